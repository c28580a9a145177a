package io.loyalflow.segment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** One operand of a condition leaf, already checked against the field's type. */
sealed interface ConditionValue {

    record Num(BigDecimal value) implements ConditionValue {
        public Num {
            Objects.requireNonNull(value, "value");
        }
    }

    record Text(String value) implements ConditionValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    record Bool(boolean value) implements ConditionValue {}

    /** An absolute calendar day, from an ISO date such as "2026-01-31". */
    record Day(LocalDate date) implements ConditionValue {
        public Day {
            Objects.requireNonNull(date, "date");
        }
    }

    /**
     * A calendar day relative to the evaluation's "today" (the customer's local day): {@code {"daysAgo": 45}}.
     * Kept relative in the AST so that a stored segment keeps moving with time.
     */
    record DaysAgo(int days) implements ConditionValue {
        public DaysAgo {
            if (days < 0) {
                throw new IllegalArgumentException("days must not be negative: " + days);
            }
        }

        public LocalDate on(LocalDate today) {
            return today.minusDays(days);
        }
    }
}
