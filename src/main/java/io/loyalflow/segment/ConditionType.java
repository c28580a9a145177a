package io.loyalflow.segment;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kind of a field a segment condition can test. The kind decides which operators make sense and
 * what a value must look like, so a tree is checked before any SQL is generated.
 */
enum ConditionType {
    /** Counts and amounts; compared numerically (1 equals 1.0). */
    NUMBER(EnumSet.of(
            ConditionOperator.EQ,
            ConditionOperator.NE,
            ConditionOperator.LT,
            ConditionOperator.LTE,
            ConditionOperator.GT,
            ConditionOperator.GTE,
            ConditionOperator.BETWEEN,
            ConditionOperator.IN,
            ConditionOperator.EXISTS)),
    /** Calendar days in the customer's zone; values are ISO dates or {@code {"daysAgo": n}}. */
    DATE(EnumSet.of(
            ConditionOperator.EQ,
            ConditionOperator.NE,
            ConditionOperator.LT,
            ConditionOperator.LTE,
            ConditionOperator.GT,
            ConditionOperator.GTE,
            ConditionOperator.BETWEEN,
            ConditionOperator.IN,
            ConditionOperator.EXISTS)),
    /** Text; ordering text (lt, gt) has no meaning for these fields, so it is refused. */
    TEXT(EnumSet.of(
            ConditionOperator.EQ,
            ConditionOperator.NE,
            ConditionOperator.IN,
            ConditionOperator.CONTAINS,
            ConditionOperator.EXISTS)),
    BOOLEAN(EnumSet.of(ConditionOperator.EQ, ConditionOperator.NE, ConditionOperator.EXISTS)),
    /** A customer's free-form JSON attribute, compared as text. */
    ATTRIBUTE(EnumSet.of(
            ConditionOperator.EQ,
            ConditionOperator.NE,
            ConditionOperator.IN,
            ConditionOperator.CONTAINS,
            ConditionOperator.EXISTS));

    private final Set<ConditionOperator> operators;

    ConditionType(Set<ConditionOperator> operators) {
        this.operators = operators;
    }

    public boolean allows(ConditionOperator operator) {
        return operators.contains(operator);
    }

    /** The name used in messages, e.g. "number". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
