package io.loyalflow.segment;

import static io.loyalflow.segment.ConditionTree.ATTRIBUTE_PREFIX;
import static io.loyalflow.segment.ConditionTree.CHOICES;
import static io.loyalflow.segment.ConditionTree.FIELDS;
import static io.loyalflow.segment.ConditionTree.MAX_ATTRIBUTE_NAME_LENGTH;
import static io.loyalflow.segment.ConditionTree.MAX_CHILDREN;
import static io.loyalflow.segment.ConditionTree.MAX_DAYS_AGO;
import static io.loyalflow.segment.ConditionTree.MAX_DEPTH;
import static io.loyalflow.segment.ConditionTree.MAX_IN_VALUES;
import static io.loyalflow.segment.ConditionTree.MAX_TEXT_LENGTH;
import static io.loyalflow.segment.ConditionTree.typeOf;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.platform.problem.FieldViolation;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses and validates a JSON condition tree for {@link ConditionTree}: walks the JSON once, building the AST
 * and recording faults with their JSON paths; the AST is only trusted when faultless.
 */
final class ConditionParser {

    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ISO_LOCAL_DATE;

    private final List<FieldViolation> faults = new ArrayList<>();

    /** The faults found so far, in document order. */
    List<FieldViolation> faults() {
        return faults;
    }

    private void fault(String path, String message) {
        faults.add(new FieldViolation(path, message));
    }

    Condition node(JsonNode node, String path, int depth) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            fault(path, "is required");
            return null;
        }
        if (!node.isObject()) {
            fault(path, "must be an object: a group (and, or, not) or a leaf (field, op, value)");
            return null;
        }
        // Refused before looking inside, so a hostile tree cannot make the walk arbitrarily deep.
        if (depth > MAX_DEPTH) {
            fault(path, "nests deeper than " + MAX_DEPTH + " levels");
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("and", "or", "not", "field")) {
            if (node.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() > 1) {
            fault(
                    path,
                    "has " + kinds.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" and "))
                            + ": a condition is either one group (and, or, not) or a leaf (field, op, value)");
            return null;
        }
        String kind = kinds.isEmpty() ? null : kinds.get(0);
        if (kind == null) {
            if (node.has("op") || node.has("value")) {
                return leaf(node, path); // a leaf that forgot its field: say so at the field
            }
            fault(path, "must have one of 'and', 'or', 'not' (a group) or 'field' (a leaf)");
            return null;
        }
        return switch (kind) {
            case "and", "or" -> group(node, path, depth, kind);
            case "not" -> not(node, path, depth);
            default -> leaf(node, path);
        };
    }

    private Condition group(JsonNode node, String path, int depth, String kind) {
        unknownKeys(node, path, Set.of(kind), "a group has only '" + kind + "'");
        JsonNode children = node.get(kind);
        String childrenPath = key(path, kind);
        if (!children.isArray() || children.isEmpty() || children.size() > MAX_CHILDREN) {
            fault(childrenPath, "must be an array of 1 to " + MAX_CHILDREN + " conditions");
            return null;
        }
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            conditions.add(node(children.get(i), index(childrenPath, i), depth + 1));
        }
        if (conditions.contains(null)) {
            return null;
        }
        return kind.equals("and") ? new Condition.And(conditions) : new Condition.Or(conditions);
    }

    private Condition not(JsonNode node, String path, int depth) {
        unknownKeys(node, path, Set.of("not"), "a group has only 'not'");
        Condition child = node(node.get("not"), key(path, "not"), depth + 1);
        return child == null ? null : new Condition.Not(child);
    }

    private Condition leaf(JsonNode node, String path) {
        unknownKeys(node, path, Set.of("field", "op", "value"), "a leaf has only 'field', 'op' and 'value'");
        String fieldPath = key(path, "field");
        String opPath = key(path, "op");
        JsonNode fieldNode = node.get("field");
        String field = null;
        ConditionType type = null;
        if (fieldNode == null || fieldNode.isNull()) {
            fault(fieldPath, "is required");
        } else if (!fieldNode.isTextual()) {
            fault(fieldPath, "must be a string naming a field");
        } else {
            field = fieldNode.textValue();
            type = typeOf(field).orElse(null);
            if (type == null) {
                fault(
                        fieldPath,
                        field.startsWith(ATTRIBUTE_PREFIX)
                                ? "attribute names must have 1 to " + MAX_ATTRIBUTE_NAME_LENGTH + " characters"
                                : "unknown field '" + field + "'; expected one of " + String.join(", ", FIELDS.keySet())
                                        + " or " + ATTRIBUTE_PREFIX + "<name>");
            }
        }
        JsonNode opNode = node.get("op");
        ConditionOperator op = null;
        if (opNode == null || opNode.isNull()) {
            fault(opPath, "is required");
        } else if (!opNode.isTextual()) {
            fault(opPath, "must be a string naming an operator");
        } else {
            op = ConditionOperator.fromJson(opNode.textValue()).orElse(null);
            if (op == null) {
                fault(
                        opPath,
                        "unknown operator '" + opNode.textValue() + "'; expected one of "
                                + Arrays.stream(ConditionOperator.values())
                                        .map(ConditionOperator::json)
                                        .collect(Collectors.joining(", ")));
            }
        }
        if (type == null || op == null) {
            return null; // what the value must look like depends on both
        }
        if (!type.allows(op)) {
            fault(
                    opPath,
                    "operator '" + op.json() + "' is not allowed for " + type.label() + " field '" + field
                            + "'; allowed: "
                            + Arrays.stream(ConditionOperator.values())
                                    .filter(type::allows)
                                    .map(ConditionOperator::json)
                                    .collect(Collectors.joining(", ")));
            return null;
        }
        List<ConditionValue> values = values(node.get("value"), key(path, "value"), field, type, op);
        return values == null ? null : new Condition.Leaf(field, type, op, values);
    }

    private List<ConditionValue> values(
            JsonNode value, String path, String field, ConditionType type, ConditionOperator op) {
        switch (op) {
            case EXISTS -> {
                if (value == null) {
                    return List.of(new ConditionValue.Bool(true));
                }
                if (!value.isBoolean()) {
                    fault(path, "must be true or false (exists needs no value; false means 'does not exist')");
                    return null;
                }
                return List.of(new ConditionValue.Bool(value.booleanValue()));
            }
            case BETWEEN -> {
                if (value == null || !value.isArray() || value.size() != 2) {
                    fault(
                            path,
                            value == null ? "is required: [low, high]" : "must be an array of two bounds [low, high]");
                    return null;
                }
                ConditionValue low = scalar(value.get(0), index(path, 0), field, type, op);
                ConditionValue high = scalar(value.get(1), index(path, 1), field, type, op);
                if (low == null || high == null) {
                    return null;
                }
                if (low.getClass() != high.getClass()) {
                    // Which of an ISO day and a relative day is earlier changes with today: no static order.
                    fault(path, "bounds must both be ISO dates or both be {\"daysAgo\": n}");
                    return null;
                }
                // Order-insensitive: [90 days ago, 45 days ago] and [45, 90] mean the same window.
                return compare(low, high) <= 0 ? List.of(low, high) : List.of(high, low);
            }
            case IN -> {
                if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES) {
                    fault(
                            path,
                            value == null ? "is required" : "must be an array of 1 to " + MAX_IN_VALUES + " values");
                    return null;
                }
                List<ConditionValue> values = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    values.add(scalar(value.get(i), index(path, i), field, type, op));
                }
                return values.contains(null) ? null : values;
            }
            default -> {
                if (value == null) {
                    fault(path, "is required");
                    return null;
                }
                ConditionValue scalar = scalar(value, path, field, type, op);
                return scalar == null ? null : List.of(scalar);
            }
        }
    }

    private ConditionValue scalar(JsonNode value, String path, String field, ConditionType type, ConditionOperator op) {
        return switch (type) {
            case NUMBER -> {
                if (!value.isNumber()) {
                    fault(path, "must be a number");
                    yield null;
                }
                yield new ConditionValue.Num(value.decimalValue());
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    fault(path, "must be true or false");
                    yield null;
                }
                yield new ConditionValue.Bool(value.booleanValue());
            }
            case DATE -> date(value, path);
            case TEXT, ATTRIBUTE -> text(value, path, field, op);
        };
    }

    private ConditionValue date(JsonNode value, String path) {
        String expected = "must be an ISO date (yyyy-mm-dd) or {\"daysAgo\": n}";
        if (value.isTextual()) {
            try {
                return new ConditionValue.Day(LocalDate.parse(value.textValue(), ISO_DATE));
            } catch (DateTimeParseException e) {
                fault(path, expected);
                return null;
            }
        }
        if (!value.isObject()) {
            fault(path, expected);
            return null;
        }
        unknownKeys(value, path, Set.of("daysAgo"), "a relative date has only 'daysAgo'");
        JsonNode days = value.get("daysAgo");
        String daysPath = key(path, "daysAgo");
        if (days == null || days.isNull()) {
            fault(daysPath, "is required");
            return null;
        }
        if (!days.isIntegralNumber()
                || !days.canConvertToInt()
                || days.intValue() < 0
                || days.intValue() > MAX_DAYS_AGO) {
            fault(daysPath, "must be a whole number of days from 0 to " + MAX_DAYS_AGO);
            return null;
        }
        return value.size() == 1 ? new ConditionValue.DaysAgo(days.intValue()) : null;
    }

    private ConditionValue text(JsonNode value, String path, String field, ConditionOperator op) {
        if (!value.isTextual()) {
            fault(path, "must be a string");
            return null;
        }
        String text = value.textValue();
        if (text.length() > MAX_TEXT_LENGTH) {
            fault(path, "must have at most " + MAX_TEXT_LENGTH + " characters");
            return null;
        }
        if (op == ConditionOperator.CONTAINS && text.isEmpty()) {
            fault(path, "must not be empty");
            return null;
        }
        List<String> choices = CHOICES.get(field);
        // A typo such as "Gld" would silently select nobody: refuse it. Substrings are free-form.
        if (choices != null
                && op != ConditionOperator.CONTAINS
                && choices.stream().noneMatch(choice -> choice.equalsIgnoreCase(text))) {
            fault(path, "must be one of " + String.join(", ", choices));
            return null;
        }
        return new ConditionValue.Text(text);
    }

    private void unknownKeys(JsonNode node, String path, Set<String> allowed, String hint) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                fault(key(path, name), "unknown key; " + hint);
            }
        }
    }

    private static String key(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    private static String index(String path, int index) {
        return (path == null ? "" : path) + "[" + index + "]";
    }

    /** Calendar order for dates (a larger daysAgo is earlier), numeric order for numbers. */
    private static int compare(ConditionValue a, ConditionValue b) {
        if (a instanceof ConditionValue.Num x && b instanceof ConditionValue.Num y) {
            return x.value().compareTo(y.value());
        }
        if (a instanceof ConditionValue.Day x && b instanceof ConditionValue.Day y) {
            return x.date().compareTo(y.date());
        }
        if (a instanceof ConditionValue.DaysAgo x && b instanceof ConditionValue.DaysAgo y) {
            return Integer.compare(y.days(), x.days());
        }
        throw new IllegalArgumentException("cannot order " + a + " and " + b);
    }
}
