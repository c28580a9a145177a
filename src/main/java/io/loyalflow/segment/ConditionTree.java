package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dynamic segment conditions: a JSON condition tree is parsed into an immutable {@link Condition}
 * ({@link ConditionParser}), translated to a parameterised SQL boolean expression ({@link ConditionSql}), or
 * evaluated in Java with the same meaning ({@link ConditionMatcher}). This class holds the field catalogue
 * and the limits all three share.
 *
 * <p>Grammar: a group {@code {"and": [..]}}, {@code {"or": [..]}} (1 to 50 children) or
 * {@code {"not": {..}}}; a leaf {@code {"field": "orders", "op": "gte", "value": 3}}. Dates take an ISO
 * day ("2026-01-31") or a day relative to the customer's local today ({@code {"daysAgo": 45}}).
 *
 * <p>Logic is two-valued in both translations: a leaf over a missing value (SQL NULL) is false, except
 * {@code exists} with {@code false}; {@code not} negates that false to true. This is what SQL gives
 * when every {@code not} coalesces unknown to false first, and it keeps {@code not not X == X}.
 *
 * <p>Pure and stateless: no Spring, no database, no clock (today is always passed in).
 */
final class ConditionTree {

    public static final int MAX_DEPTH = 10;
    public static final int MAX_CHILDREN = 50;
    public static final int MAX_IN_VALUES = 1000;
    public static final int MAX_DAYS_AGO = 36_600;
    public static final int MAX_TEXT_LENGTH = 1000;
    /** Field names starting with this address the customer's JSON attributes: {@code attributes.size}. */
    public static final String ATTRIBUTE_PREFIX = "attributes.";
    /**
     * Column mapping key for attributes: a SQL expression with one {@code %s} that receives the attribute
     * name as a bind parameter, e.g. PostgreSQL {@code (attributes::jsonb ->> %s)}.
     */
    public static final String ATTRIBUTES_KEY = "attributes.*";
    /** The same limit as the customer API puts on attribute names. */
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 100;

    /** The field catalogue: the fields a condition may test and their types (attributes aside). */
    public static final Map<String, ConditionType> FIELDS = catalogue();

    /** Text fields with a closed set of values: checked when parsing, compared case-insensitively. */
    public static final Map<String, List<String>> CHOICES = Map.of(
            "tier", List.of("Bronze", "Silver", "Gold", "Platinum"),
            "referralActivity", List.of("Active", "Dormant"));

    private ConditionTree() {}

    private static Map<String, ConditionType> catalogue() {
        Map<String, ConditionType> fields = new LinkedHashMap<>();
        for (String number : List.of(
                "orders",
                "orders12Months",
                "totalSpend",
                "spend12Months",
                "averageOrderValue",
                "daysSinceLastOrder",
                "spendPercentile",
                "successfulReferrals",
                "extendedRevenue",
                "expectedPurchases",
                "probabilityAlive",
                "expectedOrderValue",
                "predictedValue",
                "predictedValuePercentile")) {
            fields.put(number, ConditionType.NUMBER);
        }
        for (String date : List.of("lastOrderDate", "firstOrderDate")) {
            fields.put(date, ConditionType.DATE);
        }
        for (String text : List.of("tier", "email", "phone", "locale", "timeZone", "referralActivity", "customerId")) {
            fields.put(text, ConditionType.TEXT);
        }
        for (String bool : List.of("emailConsent", "smsConsent", "recentBuyer")) {
            fields.put(bool, ConditionType.BOOLEAN);
        }
        return Collections.unmodifiableMap(fields);
    }

    /** The type of a field name, including {@code attributes.<name>}; empty for an unknown field. */
    public static Optional<ConditionType> typeOf(String field) {
        if (field.startsWith(ATTRIBUTE_PREFIX)) {
            int nameLength = field.length() - ATTRIBUTE_PREFIX.length();
            return nameLength >= 1 && nameLength <= MAX_ATTRIBUTE_NAME_LENGTH
                    ? Optional.of(ConditionType.ATTRIBUTE)
                    : Optional.empty();
        }
        return Optional.ofNullable(FIELDS.get(field));
    }

    /**
     * Parses a condition tree, adding every fault to {@code violations} with its JSON path below
     * {@code path} (e.g. {@code definition.and[1].not.value}).
     *
     * @return the condition, or empty when the tree has at least one fault
     */
    public static Optional<Condition> parse(JsonNode node, String path, Violations violations) {
        ConditionParser parser = new ConditionParser();
        Condition condition = parser.node(node, path, 1);
        parser.faults().forEach(f -> violations.add(f.field(), f.message()));
        return parser.faults().isEmpty() ? Optional.of(condition) : Optional.empty();
    }

    /** Parses a condition tree, or throws an invalid-input {@code Refusal} listing every fault. */
    public static Condition parseOrThrow(JsonNode node, String path) {
        Violations violations = new Violations();
        Optional<Condition> condition = parse(node, path, violations);
        violations.throwIfAny();
        return condition.orElseThrow();
    }

    /** Every fault of a condition tree, in document order; empty when the tree is valid. */
    public static List<FieldViolation> validate(JsonNode node, String path) {
        ConditionParser parser = new ConditionParser();
        parser.node(node, path, 1);
        return List.copyOf(parser.faults());
    }

    /** The fields a condition tests, in order of first appearance (e.g. to check a column mapping). */
    public static Set<String> fields(Condition condition) {
        Set<String> fields = new LinkedHashSet<>();
        collectFields(condition, fields);
        return Collections.unmodifiableSet(fields);
    }

    private static void collectFields(Condition condition, Set<String> fields) {
        if (condition instanceof Condition.And and) {
            and.children().forEach(c -> collectFields(c, fields));
        } else if (condition instanceof Condition.Or or) {
            or.children().forEach(c -> collectFields(c, fields));
        } else if (condition instanceof Condition.Not not) {
            collectFields(not.child(), fields);
        } else if (condition instanceof Condition.Leaf leaf) {
            fields.add(leaf.field());
        }
    }

    /** Text fields with a closed set of values compare case-insensitively, in SQL and in Java alike. */
    static boolean caseInsensitive(String field) {
        return CHOICES.containsKey(field);
    }
}
