package io.loyalflow.platform.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.loyalflow.platform.problem.FieldViolation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/** Says which field of a JSON document a Jackson failure is about, and what was expected there. */
public final class JsonErrors {

    /** The field at fault (empty for the document itself) and a message a client developer understands. */
    public static FieldViolation violation(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new FieldViolation(path(unknown), "unknown field; expected one of " + unknown.getKnownPropertyIds());
        }
        if (e instanceof ValueInstantiationException instantiation) {
            return new FieldViolation(path(instantiation), rootMessage(instantiation));
        }
        if (e instanceof InvalidFormatException format) {
            return new FieldViolation(
                    path(format), "expected " + describe(format.getTargetType()) + ", got " + quote(format.getValue()));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldViolation(path(mismatch), "expected " + describe(mismatch.getTargetType()));
        }
        if (e instanceof JsonParseException parse) {
            var location = parse.getLocation();
            return new FieldViolation(
                    "",
                    "malformed JSON at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": "
                            + parse.getOriginalMessage());
        }
        if (e instanceof JsonMappingException mapping) {
            return new FieldViolation(path(mapping), mapping.getOriginalMessage());
        }
        return new FieldViolation("", e.getOriginalMessage());
    }

    /** JSON path of a mapping failure, e.g. {@code items[2].quantity}. */
    public static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** What a target type looks like in JSON, for messages such as "expected an integer". */
    public static String describe(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type)
                || type == double.class
                || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time with offset, such as 2026-11-22T18:30:00Z";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)
                || type.getName().startsWith("com.fasterxml.jackson.databind.node")
                || type.isRecord()) {
            return "a JSON object";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static String quote(Object value) {
        return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private JsonErrors() {}
}
