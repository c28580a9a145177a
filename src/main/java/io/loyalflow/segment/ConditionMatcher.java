package io.loyalflow.segment;

import static io.loyalflow.segment.ConditionTree.caseInsensitive;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Evaluates a {@link Condition} in Java against one customer's values, with the same meaning as the SQL
 * {@link ConditionSql} writes.
 */
final class ConditionMatcher {

    private ConditionMatcher() {}

    /**
     * Whether a customer matches, with the same meaning as {@link ConditionSql#toSql}: a leaf over a missing
     * value is false (except {@code exists: false}), {@code not} negates.
     *
     * @param values field name (including {@code attributes.<name>}) to the customer's value: numbers as
     *     any {@link Number}, dates as {@link LocalDate} (the customer's local day), text as String,
     *     booleans as Boolean; null when missing
     * @param today the customer's local today, from which {@code daysAgo} counts; may be null when the
     *     condition has no relative date
     */
    public static boolean matches(Condition condition, Function<String, Object> values, LocalDate today) {
        if (condition instanceof Condition.And and) {
            return and.children().stream().allMatch(c -> matches(c, values, today));
        }
        if (condition instanceof Condition.Or or) {
            return or.children().stream().anyMatch(c -> matches(c, values, today));
        }
        if (condition instanceof Condition.Not not) {
            return !matches(not.child(), values, today);
        }
        Condition.Leaf leaf = (Condition.Leaf) condition;
        Object raw = values.apply(leaf.field());
        if (leaf.op() == ConditionOperator.EXISTS) {
            return (raw != null) == ((ConditionValue.Bool) leaf.values().get(0)).value();
        }
        if (raw == null) {
            return false;
        }
        return switch (leaf.type()) {
            case NUMBER -> {
                BigDecimal actual = number(leaf.field(), raw);
                yield actual != null
                        && test(
                                actual,
                                leaf.op(),
                                leaf.values().stream()
                                        .map(v -> ((ConditionValue.Num) v).value())
                                        .toList());
            }
            case DATE ->
                test(
                        date(leaf.field(), raw),
                        leaf.op(),
                        leaf.values().stream().map(v -> dayOf(v, today)).toList());
            case BOOLEAN -> {
                if (!(raw instanceof Boolean actual)) {
                    throw new IllegalArgumentException(
                            "field '" + leaf.field() + "' must be a Boolean, not " + raw.getClass());
                }
                yield test(
                        actual,
                        leaf.op(),
                        leaf.values().stream()
                                .map(v -> ((ConditionValue.Bool) v).value())
                                .toList());
            }
            case TEXT, ATTRIBUTE -> text(leaf, String.valueOf(raw));
        };
    }

    private static boolean text(Condition.Leaf leaf, String actual) {
        List<String> texts = leaf.values().stream()
                .map(v -> ((ConditionValue.Text) v).value())
                .toList();
        if (leaf.op() == ConditionOperator.CONTAINS) {
            return actual.toLowerCase(Locale.ROOT).contains(texts.get(0).toLowerCase(Locale.ROOT));
        }
        if (caseInsensitive(leaf.field())) {
            return test(
                    actual.toLowerCase(Locale.ROOT),
                    leaf.op(),
                    texts.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
        }
        return test(actual, leaf.op(), texts);
    }

    private static <T extends Comparable<? super T>> boolean test(T actual, ConditionOperator op, List<T> operands) {
        return switch (op) {
            case EQ -> actual.compareTo(operands.get(0)) == 0;
            case NE -> actual.compareTo(operands.get(0)) != 0;
            case LT -> actual.compareTo(operands.get(0)) < 0;
            case LTE -> actual.compareTo(operands.get(0)) <= 0;
            case GT -> actual.compareTo(operands.get(0)) > 0;
            case GTE -> actual.compareTo(operands.get(0)) >= 0;
            case BETWEEN -> actual.compareTo(operands.get(0)) >= 0 && actual.compareTo(operands.get(1)) <= 0;
            case IN -> operands.stream().anyMatch(o -> actual.compareTo(o) == 0);
            default -> throw new IllegalArgumentException("operator " + op.json() + " cannot compare here");
        };
    }

    /** Numerically, so an Integer 3 equals a BigDecimal 3.00; NaN and infinities compare with nothing. */
    private static BigDecimal number(String field, Object raw) {
        if (raw instanceof BigDecimal decimal) {
            return decimal;
        }
        if (raw instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return BigDecimal.valueOf(((Number) raw).longValue());
        }
        if (raw instanceof Double || raw instanceof Float) {
            double value = ((Number) raw).doubleValue();
            return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
        }
        if (raw instanceof Number other) {
            return new BigDecimal(other.toString());
        }
        throw new IllegalArgumentException("field '" + field + "' must be a Number, not " + raw.getClass());
    }

    private static LocalDate date(String field, Object raw) {
        if (raw instanceof LocalDate date) {
            return date;
        }
        if (raw instanceof Date date) {
            return date.toLocalDate();
        }
        throw new IllegalArgumentException("field '" + field + "' must be a LocalDate, not " + raw.getClass());
    }

    private static LocalDate dayOf(ConditionValue value, LocalDate today) {
        if (value instanceof ConditionValue.DaysAgo ago) {
            return ago.on(Objects.requireNonNull(today, "today is required for relative dates"));
        }
        return ((ConditionValue.Day) value).date();
    }
}
