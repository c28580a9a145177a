package io.loyalflow.platform.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The operations of an OpenAPI 3 document as the hostile-input suite needs them: method and path,
 * query parameters, and every field of a JSON request body, found by walking the body's schema
 * (references, nested objects, arrays, maps and free-form objects).
 */
final class OpenApiOperations {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** The key under which a free-form object (a map, or JSON the schema does not describe) gets a probe value. */
    static final String PROBE_KEY = "probe";

    /** What kind of JSON value a field takes, as the schema declares it. */
    enum Kind {
        STRING,
        DATE_TIME,
        DATE,
        INTEGER,
        NUMBER,
        BOOLEAN,
        OBJECT,
        FREE_OBJECT,
        ARRAY,
        /** A value inside a free-form object: any JSON is well-typed there, only its content can be hostile. */
        ANY
    }

    /**
     * A field of a request body.
     *
     * @param path its JSON path, e.g. {@code items[0].sku}
     * @param freeFormRoot the path of the free-form object it lies in (null when the schema declares it):
     *     problems naming that object or any field between it and this one name this field too
     */
    record Field(JsonPath path, Kind kind, String freeFormRoot) {}

    record Parameter(String name, Kind kind) {}

    record Operation(
            String method, String path, List<Parameter> queryParameters, String bodyMediaType, List<Field> bodyFields) {

        String key() {
            return method + " " + path;
        }

        boolean hasJsonBody() {
            return bodyMediaType != null && isJson(bodyMediaType);
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private final JsonNode document;

    OpenApiOperations(JsonNode document) {
        this.document = document;
    }

    List<Operation> all() {
        List<Operation> operations = new ArrayList<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
                    if (METHODS.contains(entry.getKey())) {
                        operations.add(
                                operation(entry.getKey().toUpperCase(Locale.ROOT), path.getKey(), entry.getValue()));
                    }
                }));
        return operations;
    }

    private Operation operation(String method, String path, JsonNode operation) {
        List<Parameter> query = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if ("query".equals(resolved.path("in").asText())) {
                query.add(new Parameter(resolved.path("name").asText(), kind(resolve(resolved.path("schema")))));
            }
        }
        String mediaType = null;
        List<Field> fields = List.of();
        JsonNode content = resolve(operation.path("requestBody")).path("content");
        Iterator<String> mediaTypes = content.fieldNames();
        if (mediaTypes.hasNext()) {
            mediaType = mediaTypes.next();
            for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
                String candidate = it.next();
                if (isJson(candidate)) {
                    mediaType = candidate;
                    break;
                }
            }
            if (isJson(mediaType)) {
                fields = new ArrayList<>();
                walk(content.path(mediaType).path("schema"), JsonPath.ROOT, null, new HashSet<>(), fields);
            }
        }
        return new Operation(method, path, List.copyOf(query), mediaType, List.copyOf(fields));
    }

    /** Adds the field at {@code path} (unless it is the body itself) and every field inside it. */
    private void walk(
            JsonNode schemaOrRef, JsonPath path, String freeFormRoot, Set<String> refsOnPath, List<Field> out) {
        String ref = schemaOrRef.path("$ref").asText(null);
        if (ref != null && !refsOnPath.add(ref)) {
            return; // a recursive schema: one level is enough to reach every field kind
        }
        JsonNode schema = merged(resolve(schemaOrRef));
        Kind kind = kind(schema);
        if (!path.isRoot()) {
            out.add(new Field(path, kind, freeFormRoot));
        }
        switch (kind) {
            case OBJECT ->
                schema.path("properties")
                        .fields()
                        .forEachRemaining(property -> walk(
                                property.getValue(), path.property(property.getKey()), freeFormRoot, refsOnPath, out));
            case FREE_OBJECT -> {
                JsonNode values = schema.path("additionalProperties");
                String root = freeFormRoot != null ? freeFormRoot : path.toString();
                if (values.isObject() && !values.isEmpty()) {
                    walk(values, path.property(PROBE_KEY), root, refsOnPath, out);
                } else {
                    out.add(new Field(path.property(PROBE_KEY), Kind.ANY, root));
                }
            }
            case ARRAY -> walk(schema.path("items"), path.index(0), freeFormRoot, refsOnPath, out);
            default -> {}
        }
        if (ref != null) {
            refsOnPath.remove(ref);
        }
    }

    /** application/json or a +json type; not NDJSON, whose lines the document describes as text. */
    static boolean isJson(String mediaType) {
        String type = mediaType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    static Kind kind(JsonNode schema) {
        String type = type(schema);
        String format = schema.path("format").asText("");
        return switch (type) {
            case "string" ->
                switch (format) {
                    case "date-time" -> Kind.DATE_TIME;
                    case "date" -> Kind.DATE;
                    default -> Kind.STRING;
                };
            case "integer" -> Kind.INTEGER;
            case "number" -> Kind.NUMBER;
            case "boolean" -> Kind.BOOLEAN;
            case "array" -> Kind.ARRAY;
            case "object" -> schema.path("properties").isEmpty() ? Kind.FREE_OBJECT : Kind.OBJECT;
            // no type: properties make an object, anything else is JSON the schema does not describe
            default -> schema.path("properties").isEmpty() ? Kind.FREE_OBJECT : Kind.OBJECT;
        };
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) { // OpenAPI 3.1: ["string", "null"]
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
        }
        return type.asText("");
    }

    /** allOf parts merged into one schema (properties and type), as generators emit them for inheritance. */
    private JsonNode merged(JsonNode schema) {
        if (!schema.has("allOf")) {
            return schema;
        }
        var merged = schema.deepCopy();
        var object = (com.fasterxml.jackson.databind.node.ObjectNode) merged;
        object.remove("allOf");
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode part : schema.path("allOf")) {
            JsonNode resolved = merged(resolve(part));
            resolved.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(), p.getValue()));
            if (!object.has("type") && resolved.has("type")) {
                object.set("type", resolved.get("type"));
            }
        }
        schema.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(), p.getValue()));
        var props = object.putObject("properties");
        properties.forEach(props::set);
        return merged;
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node;
        }
        if (!ref.startsWith("#/")) {
            throw new IllegalStateException("external reference " + ref + " in the OpenAPI document");
        }
        JsonNode target = document.at(ref.substring(1));
        if (target instanceof MissingNode) {
            throw new IllegalStateException("unresolvable reference " + ref + " in the OpenAPI document");
        }
        return resolve(target);
    }
}
