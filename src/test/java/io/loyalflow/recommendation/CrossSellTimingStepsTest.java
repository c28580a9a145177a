package io.loyalflow.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The "Time the cross-sell offer" step: the median clamped to the step's bounds, the default without data. */
class CrossSellTimingStepsTest {

    private static CrossSellTimingSteps.Wait plan(Duration median, String min, String max, String fallback) {
        CrossSellTimingSteps steps = new CrossSellTimingSteps(orderId -> Optional.ofNullable(median));
        return steps.plan(new CrossSellTimingSteps.Step("Time the offer", "Task_Time", "o-1", min, max, fallback));
    }

    @Test
    void theMedianWithinTheBoundsIsTheWait() {
        assertThat(plan(Duration.ofDays(10), "P1D", "P60D", "P14D"))
                .isEqualTo(new CrossSellTimingSteps.Wait("PT240H", "PURCHASE_DATA"));
    }

    @Test
    void aMedianOutsideTheBoundsIsClampedToThem() {
        assertThat(plan(Duration.ofHours(3), "P1D", "P60D", "P14D").duration()).isEqualTo("PT24H");
        assertThat(plan(Duration.ofDays(400), "P1D", "P60D", "P14D").duration()).isEqualTo("PT1440H");
        assertThat(plan(Duration.ofDays(400), null, null, "P14D").duration()).isEqualTo("PT9600H");
    }

    @Test
    void withoutPurchaseDataTheDefaultApplies() {
        assertThat(plan(null, "P1D", "P60D", "PT36H")).isEqualTo(new CrossSellTimingSteps.Wait("PT36H", "DEFAULT"));
    }

    @Test
    void badInputsAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> plan(null, "P1D", "P60D", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaultWait is required");
        assertThatThrownBy(() -> plan(null, "one day", "P60D", "P14D"))
                .hasMessageContaining("minWait must be an ISO-8601 duration");
        assertThatThrownBy(() -> plan(null, "P1D", "-P1D", "P14D"))
                .hasMessageContaining("maxWait must not be negative");
        assertThatThrownBy(() -> plan(null, "P9D", "P2D", "P5D"))
                .hasMessageContaining("must not be longer than maxWait");
        assertThatThrownBy(() -> plan(null, "P1D", "P60D", "P90D"))
                .hasMessageContaining("defaultWait (PT2160H) must lie between minWait and maxWait");
        CrossSellTimingSteps steps = new CrossSellTimingSteps(orderId -> Optional.empty());
        assertThatThrownBy(() -> steps.plan(new CrossSellTimingSteps.Step(null, "Task_Time", " ", null, null, "P1D")))
                .hasMessageContaining("Step 'Task_Time': no orderId");
    }
}
