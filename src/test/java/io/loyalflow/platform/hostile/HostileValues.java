package io.loyalflow.platform.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import io.loyalflow.platform.hostile.OpenApiOperations.Kind;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The values an attacker sends in place of a field, by the kind of value the field takes. */
final class HostileValues {

    /** One hostile value: what it is (it names the test case) and its JSON text, sent verbatim. */
    record Value(String label, String json) {

        JsonNode node() {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(json));
        }

        /** The value as a query parameter's text (JSON strings lose their quotes). */
        String text() {
            return json.startsWith("\"") ? json.substring(1, json.length() - 1).replace("\\u0000", "\u0000") : json;
        }
    }

    static final int LONG_TEXT = 100_000;

    private static final Value NUL = new Value("a NUL character", "\"before\\u0000after\"");
    private static final Value LONG = new Value("100,000 characters", "\"" + "x".repeat(LONG_TEXT) + "\"");
    private static final Value HUGE_INTEGER = new Value("a huge number", "1" + "0".repeat(30));
    private static final Value HUGE_NEGATIVE = new Value("a huge negative number", "-1" + "0".repeat(30));
    private static final Value BEYOND_DOUBLE = new Value("1e309", "1e309");
    private static final Value NAN = new Value("\"NaN\"", "\"NaN\"");
    private static final Value INFINITY = new Value("\"-Infinity\"", "\"-Infinity\"");

    /** Values for a field the schema declares. */
    static List<Value> forDeclared(Kind kind) {
        return switch (kind) {
            case STRING ->
                List.of(
                        new Value("a number instead of text", "12345"),
                        new Value("an object instead of text", "{\"nested\":\"object\"}"),
                        NUL,
                        LONG);
            case DATE_TIME, DATE ->
                List.of(
                        new Value("a number (epoch seconds) instead of a date", "123"),
                        new Value(
                                "year -999999999",
                                kind == Kind.DATE ? "\"-999999999-01-01\"" : "\"-999999999-01-01T00:00:00Z\""),
                        new Value(
                                "year +999999999",
                                kind == Kind.DATE ? "\"+999999999-12-31\"" : "\"+999999999-12-31T23:59:59Z\""),
                        new Value("a date-time without offset", "\"2026-11-20T18:30:00\""),
                        NUL,
                        LONG);
            case INTEGER ->
                List.of(
                        new Value("text instead of an integer", "\"12\""),
                        NAN,
                        INFINITY,
                        HUGE_INTEGER,
                        HUGE_NEGATIVE,
                        BEYOND_DOUBLE,
                        new Value("-1", "-1"),
                        new Value("a fraction", "1.5"));
            case NUMBER ->
                List.of(
                        new Value("text instead of a number", "\"12.5\""),
                        NAN,
                        INFINITY,
                        HUGE_INTEGER,
                        HUGE_NEGATIVE,
                        BEYOND_DOUBLE,
                        new Value("-1e309", "-1e309"),
                        new Value("1e-400", "1e-400"),
                        new Value("-0.01", "-0.01"));
            case BOOLEAN ->
                List.of(
                        new Value("text instead of true or false", "\"true\""),
                        new Value("a number instead of true or false", "1"));
            case OBJECT, FREE_OBJECT ->
                List.of(
                        new Value("text instead of an object", "\"text\""),
                        new Value("an array instead of an object", "[1,2]"));
            case ARRAY ->
                List.of(
                        new Value("text instead of an array", "\"text\""),
                        new Value("an object instead of an array", "{\"nested\":\"object\"}"));
            case ANY -> List.of(NUL, LONG);
        };
    }

    /**
     * Values for a text leaf of a valid sample inside a free-form object (JSON the schema does not
     * describe, such as campaign settings or event data): any type and any number may be legitimate
     * there, so only text is spoilt. Text that reads as an ISO-8601 duration also gets ones that
     * overflow.
     */
    static List<Value> forSampleLeaf(JsonNode sample) {
        List<Value> values = new ArrayList<>();
        if (sample.isTextual()) {
            values.add(NUL);
            values.add(LONG);
            if (isDuration(sample.asText())) {
                values.add(new Value("a duration of 999999999 days", "\"P999999999D\""));
                values.add(new Value("a duration of 9999999999999 hours", "\"PT9999999999999H\""));
            }
        }
        return values;
    }

    /** Values for a query parameter: the URL carries text, so a long text is bounded by the request line. */
    static List<Value> forQueryParameter(Kind kind) {
        return switch (kind) {
            case INTEGER, NUMBER ->
                List.of(new Value("text instead of a number", "\"twelve\""), NAN, HUGE_INTEGER, BEYOND_DOUBLE);
            case BOOLEAN -> List.of(new Value("text instead of true or false", "\"maybe\""));
            case DATE_TIME, DATE -> List.of(new Value("year -999999999", "\"-999999999-01-01T00:00:00Z\""), NUL);
            default -> List.of(NUL);
        };
    }

    private static boolean isDuration(String text) {
        try {
            Duration.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            try {
                Period.parse(text);
                return true;
            } catch (DateTimeParseException again) {
                return false;
            }
        }
    }

    private HostileValues() {}
}
