package io.loyalflow.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Values no request may carry, refused where JSON becomes Java so that no endpoint has to remember
 * them: text with the NUL character (PostgreSQL cannot store it, and a stored one would break every
 * later query that reads it back), anywhere in a document including free-form objects and their
 * keys; and date-times that are not ISO-8601 text with an offset inside {@link #EARLIEST} to
 * {@link #LATEST} (a bare number would be read as seconds since 1970, year -999999999 is stored as
 * {@code -infinity}). Each refusal names the field, as {@link JsonErrors} reports it.
 */
final class StrictInputModule extends SimpleModule {

    /** The earliest date-time the API accepts. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The latest date-time the API accepts: the last instant of the year 9999 (UTC). */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    public static final String DATE_TIME_RANGE = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

    static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";

    public StrictInputModule() {
        super("loyalflow-strict-input");
        addDeserializer(String.class, new NulFreeStrings());
        addDeserializer(JsonNode.class, new NulFreeTrees());
        addDeserializer(OffsetDateTime.class, new BoundedDateTimes());
    }

    /** Whether a text holds the NUL character. */
    public static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }

    /** Whether a date-time lies in the range the API accepts. */
    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** Strings as Jackson reads them (coercion rules included), without NUL. Not a "standard" one, so lists use it too. */
    static final class NulFreeStrings extends StdScalarDeserializer<String> {

        NulFreeStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (hasNul(text)) {
                throw JsonMappingException.from(parser, NUL_MESSAGE);
            }
            return text;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }

    /** Free-form JSON (attributes, template data, condition trees) without NUL in any text or key. */
    static final class NulFreeTrees extends JsonNodeDeserializer {

        NulFreeTrees() {
            super();
        }

        private NulFreeTrees(NulFreeTrees base, boolean mergeArrays, boolean mergeObjects) {
            super(base, mergeArrays, mergeObjects);
        }

        @Override
        protected JsonDeserializer<?> _createWithMerge(boolean mergeArrays, boolean mergeObjects) {
            return new NulFreeTrees(this, mergeArrays, mergeObjects);
        }

        @Override
        public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = super.deserialize(parser, context);
            List<Object> path = new ArrayList<>();
            if (findNul(tree, path)) {
                JsonMappingException refused = JsonMappingException.from(parser, NUL_MESSAGE);
                for (int i = path.size() - 1; i >= 0; i--) {
                    if (path.get(i) instanceof Integer index) {
                        refused.prependPath(tree, index);
                    } else {
                        refused.prependPath(tree, (String) path.get(i));
                    }
                }
                throw refused;
            }
            return tree;
        }

        /** Depth-first; on a find, {@code path} holds the keys and indexes leading to it. */
        private static boolean findNul(JsonNode node, List<Object> path) {
            if (node.isTextual()) {
                return hasNul(node.textValue());
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                node.properties().iterator();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    path.add(field.getKey().replace('\0', '\uFFFD'));
                    if (hasNul(field.getKey()) || findNul(field.getValue(), path)) {
                        return true;
                    }
                    path.remove(path.size() - 1);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    path.add(i);
                    if (findNul(node.get(i), path)) {
                        return true;
                    }
                    path.remove(path.size() - 1);
                }
            }
            return false;
        }
    }

    /**
     * ISO-8601 date-times with an offset ({@code 2026-11-20T18:30:00+01:00}), as text only, between
     * {@link #EARLIEST} and {@link #LATEST}; adjusted to the context's zone as Jackson's own reader does.
     */
    static final class BoundedDateTimes extends StdScalarDeserializer<OffsetDateTime> {

        BoundedDateTimes() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (OffsetDateTime) context.handleUnexpectedToken(OffsetDateTime.class, parser);
            }
            String text = parser.getText().trim();
            OffsetDateTime value;
            try {
                value = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeException e) {
                return (OffsetDateTime) context.handleWeirdStringValue(
                        OffsetDateTime.class, text, "not an ISO-8601 date-time with offset");
            }
            if (!inRange(value.toInstant())) {
                throw JsonMappingException.from(
                        parser, "must be a date-time from " + DATE_TIME_RANGE + ", not " + text);
            }
            if (context.isEnabled(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)) {
                ZoneOffset offset = context.getTimeZone().toZoneId().getRules().getOffset(value.toInstant());
                value = value.withOffsetSameInstant(offset);
            }
            return value;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.DateTime;
        }
    }
}
