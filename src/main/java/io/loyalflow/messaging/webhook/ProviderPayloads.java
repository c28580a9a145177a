package io.loyalflow.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Makes what a provider sent storable. A verified webhook is never refused for its content: the
 * provider would retry a 4xx for days, and a 5xx too. So text the database cannot hold is made safe
 * instead: NUL becomes U+FFFD, an event id that is not plain printable text or too long for its column
 * is replaced by its SHA-256 (the same id always gives the same key, so deduplication holds), an
 * event type is cut to its column.
 */
final class ProviderPayloads {

    static final int MAX_EVENT_ID = 200;
    static final int MAX_EVENT_TYPE = 40;
    private static final char REPLACEMENT = '\uFFFD';

    /**
     * Reads JSON as the provider sent it, NUL included (the API's own mapper refuses NUL, which a
     * provider must never be answered with).
     */
    private static final ObjectMapper AS_SENT = JsonMapper.builder().build();

    private ProviderPayloads() {}

    /** A body received and verified (spooled, not held), read as sent and made safe to store. */
    static JsonNode readTree(SpooledBody body) throws IOException {
        return sanitised(body.parse(AS_SENT));
    }

    static String text(String value) {
        return value == null ? null : value.replace('\0', REPLACEMENT);
    }

    /** An id usable as the deduplication key: the id itself when it is short printable text, else its hash. */
    static String eventId(String id) {
        boolean plain = id.length() <= MAX_EVENT_ID - 7
                && id.codePoints().noneMatch(Character::isISOControl)
                && id.indexOf(REPLACEMENT) < 0;
        return plain ? id : "sha256:" + sha256(id);
    }

    static String eventType(String type) {
        if (type == null) {
            return null;
        }
        String safe = text(type)
                .codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return safe.length() <= MAX_EVENT_TYPE ? safe : safe.substring(0, MAX_EVENT_TYPE);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sanitised(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') < 0
                    ? node
                    : JsonNodeFactory.instance.textNode(text(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                copy.set(text(field.getKey()), sanitised(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> copy.add(sanitised(element)));
            return copy;
        }
        return node;
    }
}
