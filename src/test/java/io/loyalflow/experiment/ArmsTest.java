package io.loyalflow.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmsTest {

    @Test
    void armSharesConvergeToTheWeights() {
        Arms arms = Arms.parse("voucher:70, reminder:20, control:10");
        Map<String, Integer> counts = new HashMap<>();
        int customers = 100_000;
        for (int i = 0; i < customers; i++) {
            counts.merge(arms.assign("advocate-incentive", "customer-" + i), 1, Integer::sum);
        }
        assertThat(counts.get("voucher") / (double) customers).isCloseTo(0.70, within(0.01));
        assertThat(counts.get("reminder") / (double) customers).isCloseTo(0.20, within(0.01));
        assertThat(counts.get("control") / (double) customers).isCloseTo(0.10, within(0.01));
    }

    @Test
    void theSameCustomerAndExperimentAlwaysGetTheSameArmAndExperimentsAreIndependent() {
        Arms arms = Arms.parse("A:50, B:50");
        int sameAcrossExperiments = 0;
        for (int i = 0; i < 2_000; i++) {
            String arm = arms.assign("exp-1", "c-" + i);
            assertThat(Arms.parse("A:50,B:50").assign("exp-1", "c-" + i)).isEqualTo(arm);
            sameAcrossExperiments += arm.equals(arms.assign("exp-2", "c-" + i)) ? 1 : 0;
        }
        // independent hashes: about half the customers land in the same arm of another experiment
        assertThat(sameAcrossExperiments / 2_000.0).isCloseTo(0.5, within(0.05));
    }

    @Test
    void anArmWithWeightZeroGetsNoOne() {
        Arms arms = Arms.parse("A:0, B:1");
        for (int i = 0; i < 1_000; i++) {
            assertThat(arms.assign("exp", "c-" + i)).isEqualTo("B");
        }
        assertThat(arms.isOpen("A")).isFalse();
        assertThat(arms.isOpen("B")).isTrue();
        assertThat(arms.isOpen("C")).isFalse();
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
      ''                 | no arms
      A:100              | at least two arms
      A:50;B:50          | not name:weight
      A:50, B            | B' is not name:weight
      A:50, A:50         | A' is named twice
      A:fifty, B:50      | must be a whole number, not
      A:-1, B:50         | between 0 and 1000000
      A:0, B:0           | at least one arm needs a weight above 0
      A B:50, C:50       | must be 1 to 40 letters
      """)
    void badArmsAreRefusedWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> Arms.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
