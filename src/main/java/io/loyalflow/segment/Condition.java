package io.loyalflow.segment;

import java.util.List;
import java.util.Objects;

/**
 * An immutable, validated segment condition tree, as produced by {@link ConditionTree#parse}. Logic is
 * two-valued: a leaf on a missing (NULL) value is false, and {@link Not} negates that false to true, so
 * {@code not not X} is always {@code X}.
 */
public sealed interface Condition {

    /** All children hold ({@code {"and": [...]}}). */
    record And(List<Condition> children) implements Condition {
        public And {
            children = List.copyOf(children);
        }
    }

    /** At least one child holds ({@code {"or": [...]}}). */
    record Or(List<Condition> children) implements Condition {
        public Or {
            children = List.copyOf(children);
        }
    }

    /** The child does not hold ({@code {"not": {...}}}). */
    record Not(Condition child) implements Condition {
        public Not {
            Objects.requireNonNull(child, "child");
        }
    }

    /**
     * A comparison of one field. {@code values} holds one operand for eq/ne/lt/lte/gt/gte, two (low, high;
     * already ordered) for between, one or more for in, and for exists one {@link ConditionValue.Bool}
     * saying whether the value must exist.
     */
    record Leaf(String field, ConditionType type, ConditionOperator op, List<ConditionValue> values)
            implements Condition {
        public Leaf {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(op, "op");
            values = List.copyOf(values);
        }
    }
}
