package io.loyalflow.platform.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field's place in a JSON document, written as the API names fields in its problems:
 * {@code consents.email.statedAt}, {@code items[0].sku}.
 */
record JsonPath(List<Object> segments) {

    static final JsonPath ROOT = new JsonPath(List.of());

    JsonPath {
        segments = List.copyOf(segments);
    }

    JsonPath property(String name) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(name);
        return new JsonPath(longer);
    }

    JsonPath index(int index) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(index);
        return new JsonPath(longer);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    JsonPath parent() {
        return new JsonPath(segments.subList(0, segments.size() - 1));
    }

    /** This path and every path above it, up to (and including) {@code top}. */
    List<String> upTo(String top) {
        List<String> names = new ArrayList<>();
        for (JsonPath p = this; !p.isRoot(); p = p.parent()) {
            names.add(p.toString());
            if (p.toString().equals(top)) {
                break;
            }
        }
        return names;
    }

    /** The value at this path, or a missing node. */
    JsonNode in(JsonNode document) {
        JsonNode node = document;
        for (Object segment : segments) {
            node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
        }
        return node;
    }

    /** Puts {@code value} at this path, creating the objects and arrays on the way that are missing. */
    void set(ObjectNode document, JsonNode value) {
        JsonNode container = document;
        for (int i = 0; i < segments.size(); i++) {
            Object segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            JsonNode next = last ? value : child(container, segment, segments.get(i + 1));
            if (segment instanceof Integer index) {
                ArrayNode array = (ArrayNode) container;
                while (array.size() <= index) {
                    array.addObject();
                }
                array.set(index, next);
            } else {
                ((ObjectNode) container).set((String) segment, next);
            }
            container = next;
        }
    }

    private static JsonNode child(JsonNode container, Object segment, Object nextSegment) {
        JsonNode existing = segment instanceof Integer index ? container.path(index) : container.path((String) segment);
        boolean wantArray = nextSegment instanceof Integer;
        if (wantArray && existing.isArray() || !wantArray && existing.isObject()) {
            return existing;
        }
        return wantArray ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }
}
