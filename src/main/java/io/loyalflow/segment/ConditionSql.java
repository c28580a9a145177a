package io.loyalflow.segment;

import static io.loyalflow.segment.ConditionTree.ATTRIBUTES_KEY;
import static io.loyalflow.segment.ConditionTree.ATTRIBUTE_PREFIX;
import static io.loyalflow.segment.ConditionTree.caseInsensitive;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Translates a {@link Condition} to a parameterised SQL boolean expression, with the two-valued logic
 * {@link ConditionTree} describes: a leaf over a missing value (SQL NULL) is false, {@code not} coalesces
 * unknown to false first. Pure: the caller gives the column mapping and today.
 */
final class ConditionSql {

    /** A SQL boolean expression with {@code ?} placeholders and their values, in order. */
    public record Sql(String where, List<Object> params) {
        public Sql {
            Objects.requireNonNull(where, "where");
            params = Collections.unmodifiableList(new ArrayList<>(params));
        }
    }

    private ConditionSql() {}

    /** {@link #toSql(Condition, Map, Map, LocalDate)} without integer day columns. */
    public static Sql toSql(Condition condition, Map<String, String> columns, LocalDate today) {
        return toSql(condition, columns, Map.of(), today);
    }

    /**
     * Translates a condition to a SQL boolean expression. User values only ever become bind parameters;
     * the mapped column expressions are trusted SQL from the caller.
     *
     * @param columns field name to SQL column expression; dates map to DATE columns holding the customer's
     *     local calendar day; {@value ConditionTree#ATTRIBUTES_KEY} maps to an expression with one {@code %s} for the
     *     attribute name (a bind parameter)
     * @param daysColumns date field name to an integer column holding the days from that date to the
     *     customer's local today (e.g. lastOrderDate to days_since_last_order); when given, relative dates
     *     ({@code daysAgo}) on that field compare this column, so each customer's own today applies and
     *     {@code today} is not used for them
     * @param today the day {@code daysAgo} counts from for date fields without a days column; may be null
     *     when the condition needs none
     * @throws IllegalArgumentException when the condition needs a column the mappings lack
     */
    public static Sql toSql(
            Condition condition, Map<String, String> columns, Map<String, String> daysColumns, LocalDate today) {
        SqlWriter writer = new SqlWriter(columns, daysColumns, today);
        String where = writer.write(condition);
        return new Sql(where, writer.params);
    }

    private static final class SqlWriter {

        private final Map<String, String> columns;
        private final Map<String, String> daysColumns;
        private final LocalDate today;
        private final List<Object> params = new ArrayList<>();

        SqlWriter(Map<String, String> columns, Map<String, String> daysColumns, LocalDate today) {
            this.columns = Objects.requireNonNull(columns, "columns");
            this.daysColumns = Objects.requireNonNull(daysColumns, "daysColumns");
            this.today = today;
        }

        String write(Condition condition) {
            if (condition instanceof Condition.And and) {
                return join(and.children(), " and ");
            }
            if (condition instanceof Condition.Or or) {
                return join(or.children(), " or ");
            }
            if (condition instanceof Condition.Not not) {
                // SQL's NOT keeps unknown unknown (so a WHERE drops the row); coalescing first makes a NULL
                // comparison plain false, which NOT turns true: the same two-valued logic as matches().
                return "(not coalesce(" + write(not.child()) + ", false))";
            }
            return leaf((Condition.Leaf) condition);
        }

        private String join(List<Condition> children, String operator) {
            List<String> parts = new ArrayList<>();
            for (Condition child : children) {
                parts.add(write(child));
            }
            return "(" + String.join(operator, parts) + ")";
        }

        private String leaf(Condition.Leaf leaf) {
            return switch (leaf.type()) {
                case DATE -> dateLeaf(leaf);
                case TEXT, ATTRIBUTE -> textLeaf(leaf);
                case NUMBER, BOOLEAN -> plainLeaf(column(leaf.field()), leaf.op(), leaf.values());
            };
        }

        private String plainLeaf(String column, ConditionOperator op, List<ConditionValue> values) {
            if (op == ConditionOperator.EXISTS) {
                return exists(column, values);
            }
            List<Object> operands = values.stream().map(SqlWriter::bindable).toList();
            return compare(column, op, operands);
        }

        private String compare(String lhs, ConditionOperator op, List<Object> operands) {
            return switch (op) {
                case EQ, NE, LT, LTE, GT, GTE -> {
                    params.add(operands.get(0));
                    yield "(" + lhs + " " + symbol(op) + " ?)";
                }
                case BETWEEN -> {
                    params.add(operands.get(0));
                    params.add(operands.get(1));
                    yield "(" + lhs + " between ? and ?)";
                }
                case IN -> {
                    params.addAll(operands);
                    yield "(" + lhs + " in (" + String.join(", ", Collections.nCopies(operands.size(), "?")) + "))";
                }
                default -> throw new IllegalArgumentException("operator " + op.json() + " cannot compare here");
            };
        }

        private String exists(String column, List<ConditionValue> values) {
            boolean exists = ((ConditionValue.Bool) values.get(0)).value();
            return "(" + column + (exists ? " is not null)" : " is null)");
        }

        private String textLeaf(Condition.Leaf leaf) {
            // Attribute expressions carry their own bind parameter (the name), so build them per use.
            boolean attribute = leaf.type() == ConditionType.ATTRIBUTE;
            String column = attribute ? attribute(leaf.field()) : column(leaf.field());
            if (leaf.op() == ConditionOperator.EXISTS) {
                return exists(column, leaf.values());
            }
            List<String> texts = leaf.values().stream()
                    .map(v -> ((ConditionValue.Text) v).value())
                    .toList();
            if (leaf.op() == ConditionOperator.CONTAINS) {
                params.add("%" + escapeLike(texts.get(0).toLowerCase(Locale.ROOT)) + "%");
                return "(lower(" + column + ") like ? escape '\\')";
            }
            if (caseInsensitive(leaf.field())) {
                // Lowered here rather than with lower(?): an untyped parameter inside a function trips some
                // databases' type inference, and the values are plain ASCII choices anyway.
                List<Object> lowered = texts.stream()
                        .map(t -> (Object) t.toLowerCase(Locale.ROOT))
                        .toList();
                return compare("lower(" + column + ")", leaf.op(), lowered);
            }
            return compare(column, leaf.op(), new ArrayList<>(texts));
        }

        private String dateLeaf(Condition.Leaf leaf) {
            String field = leaf.field();
            ConditionOperator op = leaf.op();
            String daysColumn = daysColumns.get(field);
            if (op == ConditionOperator.EXISTS) {
                return exists(
                        columns.containsKey(field) || daysColumn == null ? column(field) : daysColumn, leaf.values());
            }
            boolean relative = leaf.values().get(0) instanceof ConditionValue.DaysAgo;
            if (op == ConditionOperator.IN) {
                return dateIn(field, leaf.values(), daysColumn);
            }
            if (relative && daysColumn != null) {
                // d compared with (today - n) is (today - d) compared with n, the other way round.
                List<Object> days = leaf.values().stream()
                        .map(v -> (Object) ((ConditionValue.DaysAgo) v).days())
                        .toList();
                if (op == ConditionOperator.BETWEEN) {
                    // values are in calendar order (earliest first), so the larger day count comes first
                    return compare(daysColumn, op, List.of(days.get(1), days.get(0)));
                }
                return compare(daysColumn, mirror(op), days);
            }
            return compare(
                    column(field), op, leaf.values().stream().map(this::day).toList());
        }

        private String dateIn(String field, List<ConditionValue> values, String daysColumn) {
            List<Object> days = new ArrayList<>();
            List<Object> dates = new ArrayList<>();
            for (ConditionValue value : values) {
                if (value instanceof ConditionValue.DaysAgo ago && daysColumn != null) {
                    days.add(ago.days());
                } else {
                    dates.add(day(value));
                }
            }
            if (days.isEmpty()) {
                return compare(column(field), ConditionOperator.IN, dates);
            }
            if (dates.isEmpty()) {
                return compare(daysColumn, ConditionOperator.IN, days);
            }
            String onDates = compare(column(field), ConditionOperator.IN, dates);
            return "(" + onDates + " or " + compare(daysColumn, ConditionOperator.IN, days) + ")";
        }

        private Object day(ConditionValue value) {
            if (value instanceof ConditionValue.DaysAgo ago) {
                if (today == null) {
                    throw new IllegalArgumentException("today is required for relative dates without a days column");
                }
                return ago.on(today);
            }
            return ((ConditionValue.Day) value).date();
        }

        private String column(String field) {
            String column = columns.get(field);
            if (column == null) {
                throw new IllegalArgumentException("no column for field '" + field + "'");
            }
            return column;
        }

        private String attribute(String field) {
            String format = columns.get(ATTRIBUTES_KEY);
            if (format == null) {
                throw new IllegalArgumentException("attributes are not queryable here");
            }
            String[] parts = format.split("%s", -1);
            if (parts.length < 2) {
                throw new IllegalArgumentException("the " + ATTRIBUTES_KEY + " mapping needs a %s for the name");
            }
            String name = field.substring(ATTRIBUTE_PREFIX.length());
            for (int i = 1; i < parts.length; i++) {
                params.add(name);
            }
            return String.join("?", parts);
        }

        private static Object bindable(ConditionValue value) {
            if (value instanceof ConditionValue.Num num) {
                return num.value();
            }
            if (value instanceof ConditionValue.Bool bool) {
                return bool.value();
            }
            if (value instanceof ConditionValue.Text text) {
                return text.value();
            }
            throw new IllegalArgumentException("not a plain value: " + value);
        }
    }

    private static String symbol(ConditionOperator op) {
        return switch (op) {
            case EQ -> "=";
            case NE -> "<>";
            case LT -> "<";
            case LTE -> "<=";
            case GT -> ">";
            case GTE -> ">=";
            default -> throw new IllegalArgumentException(op.json());
        };
    }

    private static ConditionOperator mirror(ConditionOperator op) {
        return switch (op) {
            case LT -> ConditionOperator.GT;
            case LTE -> ConditionOperator.GTE;
            case GT -> ConditionOperator.LT;
            case GTE -> ConditionOperator.LTE;
            default -> op;
        };
    }

    /** Escapes LIKE wildcards so a user's % or _ matches itself; backslash is the declared escape. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
