package io.loyalflow.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Beta;
import org.junit.jupiter.api.Test;

/** The Beta posteriors' figures against closed forms. */
class PosteriorsTest {

    /**
     * P(X_B > X_A) for X_A ~ Beta(a, b), X_B ~ Beta(c, d) with whole c (Evan Miller's closed form):
     * Σ_{i=0}^{c−1} B(a + i, b + d) / ((d + i) B(1 + i, d) B(a, b)).
     */
    private static double bBeatsA(double a, double b, int c, double d) {
        double total = 0;
        for (int i = 0; i < c; i++) {
            total += Math.exp(
                    Beta.logBeta(a + i, b + d) - Math.log(d + i) - Beta.logBeta(1 + i, d) - Beta.logBeta(a, b));
        }
        return total;
    }

    @Test
    void twoArmsMatchTheClosedForm() {
        long[][] cases = {{100, 10, 100, 15}, {1000, 50, 1000, 62}, {20, 0, 25, 1}, {5000, 1500, 5000, 1580}};
        for (long[] c : cases) {
            double[] best = Posteriors.probabilityToBeBest(new long[] {c[0], c[2]}, new long[] {c[1], c[3]});
            double exact = bBeatsA(1 + c[1], 1 + c[0] - c[1], (int) (1 + c[3]), 1 + c[2] - c[3]);
            assertThat(best[1])
                    .as("P(B best) for %s", java.util.Arrays.toString(c))
                    .isCloseTo(exact, within(2e-4));
            assertThat(best[0] + best[1]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void equalArmsShareTheProbabilityAndTheFiguresAreTheSameEveryTime() {
        double[] three = Posteriors.probabilityToBeBest(new long[] {300, 300, 300}, new long[] {30, 30, 30});
        for (double p : three) {
            assertThat(p).isCloseTo(1.0 / 3, within(1e-3));
        }
        assertThat(Posteriors.probabilityToBeBest(new long[] {300, 280}, new long[] {31, 22}))
                .containsExactly(Posteriors.probabilityToBeBest(new long[] {300, 280}, new long[] {31, 22}));
        double[] none = Posteriors.probabilityToBeBest(new long[] {0, 0}, new long[] {0, 0});
        assertThat(none[0]).isCloseTo(0.5, within(1e-9));
        assertThat(none[1]).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void theIntervalIsTheCentralNinetyFivePercentOfThePosterior() {
        double[] interval = Posteriors.interval(10, 3, 0.95);
        assertThat(interval[0]).isCloseTo(0.109263, within(1e-5));
        assertThat(interval[1]).isCloseTo(0.609743, within(1e-5));
    }

    @Test
    void aWinnerTakesTheOtherArmsWeightsButTheControlsShare() {
        Arms arms = Arms.parse("A:45, B:45, CONTROL:10");
        Arms applied = arms.withWinner("B", "CONTROL");
        assertThat(applied.weight("A")).isZero();
        assertThat(applied.weight("B")).isEqualTo(90);
        assertThat(applied.weight("CONTROL")).isEqualTo(10);
        assertThat(arms.withWinner("CONTROL", "CONTROL"))
                .as("a control win is not applied")
                .isSameAs(arms);
        assertThat(arms.withWinner("C", "CONTROL"))
                .as("an arm the weights do not have")
                .isSameAs(arms);
        assertThat(Arms.parse("A:50, B:50").withWinner("A", "CONTROL").weight("A"))
                .isEqualTo(100);
    }

    @Test
    void theRuleLooksOnlyAtMilestonesAndSpendsItsBudgetOverThem() {
        assertThat(WinnerRule.required(0.95, 0)).isCloseTo(0.975, within(1e-12));
        assertThat(WinnerRule.required(0.95, 1)).isCloseTo(0.9875, within(1e-12));
        // below the minimum sample in one arm: no look at all
        WinnerRule.Look none = WinnerRule.look(new long[] {499, 2000}, new long[] {10, 400}, 500, 0.95, 0);
        assertThat(none.winner()).isEqualTo(-1);
        assertThat(none.looksDone()).isZero();
        // at 600 each: look 1 (needs 0.975); a clear winner
        WinnerRule.Look first = WinnerRule.look(new long[] {600, 600}, new long[] {90, 40}, 500, 0.95, 0);
        assertThat(first.winner()).isZero();
        assertThat(first.looksDone()).isEqualTo(1);
        // the same figures again before the next milestone: no second look
        WinnerRule.Look again = WinnerRule.look(new long[] {700, 700}, new long[] {70, 40}, 500, 0.95, 1);
        assertThat(again.winner()).isEqualTo(-1);
        assertThat(again.looksDone()).isEqualTo(1);
        // past two milestones at once (2,100 ≥ 2,000): one look, at look 3's probability
        WinnerRule.Look late = WinnerRule.look(new long[] {2100, 2100}, new long[] {210, 205}, 500, 0.95, 1);
        assertThat(late.looksDone()).isEqualTo(3);
        assertThat(late.required()).isCloseTo(0.99375, within(1e-12));
    }
}
