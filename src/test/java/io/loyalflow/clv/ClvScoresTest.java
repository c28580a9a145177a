package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClvScoresTest {

    private static final BgNbd PURCHASES = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);

    private static final CustomerSummaries CUSTOMERS = CustomerSummaries.of(
            new String[] {"never-again", "regular", "gone-quiet", "same-as-regular", "big-spender"},
            new int[] {0, 6, 6, 6, 2},
            new double[] {0, 37, 10, 37, 30},
            new double[] {38, 38, 38, 38, 38},
            new double[] {0, 20, 20, 20, 400});

    @Test
    void eachCustomerGetsPurchasesTimesOrderValueOverTheHorizon() {
        ClvScores scores = ClvScores.score(CUSTOMERS, PURCHASES, SPEND, ClvScores.TWELVE_MONTHS_IN_WEEKS);
        assertThat(scores.size()).isEqualTo(5);
        assertThat(scores.horizon()).isEqualTo(52);
        for (int i = 0; i < scores.size(); i++) {
            CustomerValuePrediction prediction = scores.prediction(i);
            assertThat(prediction.customerId()).isEqualTo(CUSTOMERS.id(i));
            assertThat(prediction.expectedPurchases())
                    .isEqualTo(PURCHASES.expectedPurchases(52, CUSTOMERS.x(i), CUSTOMERS.tx(i), CUSTOMERS.T(i)));
            assertThat(prediction.probabilityAlive())
                    .isEqualTo(PURCHASES.probabilityAlive(CUSTOMERS.x(i), CUSTOMERS.tx(i), CUSTOMERS.T(i)));
            assertThat(prediction.predictedValue())
                    .isEqualTo(prediction.expectedPurchases() * prediction.expectedOrderValue());
        }
        // no repeat purchase: the population's mean order value, v p / (q − 1)
        assertThat(scores.expectedOrderValue(0)).isCloseTo(15.44 * 6.25 / 2.74, within(1e-12));
        // a repeat buyer's own mean pulls the expectation towards it
        assertThat(scores.expectedOrderValue(4)).isGreaterThan(100).isLessThan(400);
        assertThat(scores.expectedOrderValue(1)).isEqualTo(SPEND.expectedAverageValue(6, 20));
        assertThat(scores.probabilityAlive(2)).isLessThan(scores.probabilityAlive(1));
    }

    @Test
    void thePercentileIsThePercentRankWithTiesRankedEqual() {
        ClvScores scores = ClvScores.score(CUSTOMERS, PURCHASES, SPEND, 52);
        // by predicted value: gone-quiet < never-again < regular = same-as-regular < big-spender
        assertThat(scores.predictedValue(2)).isLessThan(scores.predictedValue(0));
        assertThat(scores.predictedValue(0)).isLessThan(scores.predictedValue(1));
        assertThat(scores.predictedValue(1)).isLessThan(scores.predictedValue(4));
        assertThat(scores.valuePercentile(2)).isEqualTo(0);
        assertThat(scores.valuePercentile(0)).isEqualTo(0.25);
        assertThat(scores.valuePercentile(1)).isEqualTo(0.5);
        assertThat(scores.valuePercentile(3)).isEqualTo(0.5);
        assertThat(scores.valuePercentile(4)).isEqualTo(1);
    }

    @Test
    void aLongerHorizonPredictsMore() {
        ClvScores year = ClvScores.score(CUSTOMERS, PURCHASES, SPEND, 52);
        ClvScores twoYears = ClvScores.score(CUSTOMERS, PURCHASES, SPEND, 104);
        ClvScores none = ClvScores.score(CUSTOMERS, PURCHASES, SPEND, 0);
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            assertThat(twoYears.predictedValue(i)).isGreaterThan(year.predictedValue(i));
            assertThat(none.predictedValue(i)).isZero();
        }
        assertThat(twoYears.totalPredictedValue()).isGreaterThan(year.totalPredictedValue());
    }

    @Test
    void withoutAFiniteMeanOrderValueThereIsNoScore() {
        assertThatThrownBy(() -> ClvScores.score(CUSTOMERS, PURCHASES, new GammaGamma(6.25, 0.9, 15.44), 52))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("q = 0.9");
        assertThatThrownBy(() -> ClvScores.score(
                        CustomerSummaries.of(new int[] {0}, new double[] {0}, new double[] {10}, null),
                        PURCHASES,
                        SPEND,
                        52))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
