package io.loyalflow.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/** A webhook event as stored: its key, its source ({@link ProviderEventStore#SENDGRID}, ...) and its payload. */
record StoredEvent(long key, String source, String type, JsonNode payload) {

    /** A field of a payload as text; null when it is missing, null or empty. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
