package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BG/NBD predictions at the edges: no repeat purchase, a last purchase today, thousands of purchases. */
class BgNbdTest {

    private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);

    /**
     * The formula of docs/clv.md evaluated independently: ₂F₁ by its plain series in 40 digits (not
     * the Euler form the model uses), the powers directly.
     */
    private static double reference(BgNbd model, double t, int x, double tx, double T) {
        double r = model.r();
        double alpha = model.alpha();
        double a = model.a();
        double b = model.b();
        double z = t / (alpha + T + t);
        double logF = HighPrecision.ln(HighPrecision.hypergeometric(r + x, b + x, a + b + x - 1, z));
        double product = Math.exp(logF + (r + x) * Math.log((alpha + T) / (alpha + T + t)));
        double numerator = (a + b + x - 1) / (a - 1) * (1 - product);
        double denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
        return numerator / denominator;
    }

    @ParameterizedTest(name = "E[Y(52) | x = {0}, t_x = {1}, T = {2}]")
    @CsvSource({
        "0, 0, 38.86",
        "0, 0, 0",
        "1, 1.71, 38.86",
        "2, 30.43, 38.86",
        "7, 29.43, 31.57",
        "300, 38.86, 38.86",
        "300, 38.0, 38.86",
        "300, 30.0, 38.86",
        "1000, 38.86, 38.86",
        "1000, 38.5, 38.86",
        "1000, 36.0, 38.86",
        "3000, 27.0, 27.0"
    })
    void conditionalExpectationMatchesTheIndependentlyComputedFormula(int x, double tx, double T) {
        double expected = reference(CDNOW, 52, x, tx, T);
        double actual = CDNOW.expectedPurchases(52, x, tx, T);
        assertThat(actual).isFinite().isPositive();
        assertThat(Math.abs(actual - expected) / expected).isLessThan(1e-9);
    }

    @Test
    void aCustomerWithThousandsOfPurchasesUpToTodayKeepsBuyingAtTheirRate() {
        int x = 1000;
        double T = 38.86;
        double purchases = CDNOW.expectedPurchases(52, x, T, T);
        double rate = (CDNOW.r() + x) / (CDNOW.alpha() + T);
        // alive almost surely; fewer than rate × 52 in expectation because each purchase may be the last
        assertThat(CDNOW.probabilityAlive(x, T, T)).isCloseTo(1 / (1 + CDNOW.a() / (CDNOW.b() + x - 1)), within(1e-15));
        assertThat(purchases).isLessThan(rate * 52).isGreaterThan(rate * 52 / 3);
        // the same customer silent for the last 6 weeks, when they used to buy 26 times a week, has gone
        assertThat(CDNOW.probabilityAlive(x, T - 6, T)).isLessThan(1e-50).isPositive();
        assertThat(CDNOW.expectedPurchases(52, x, T - 6, T)).isLessThan(1e-45).isPositive();
    }

    @Test
    void withoutRepeatPurchasesTheCustomerIsAliveForSure() {
        assertThat(CDNOW.probabilityAlive(0, 0, 38.86)).isEqualTo(1);
        assertThat(CDNOW.probabilityAlive(0, 0, 0)).isEqualTo(1);
    }

    @Test
    void aLastPurchaseTodayGivesTheDropoutOddsOfThePurchaseAlone() {
        for (int x : new int[] {1, 5, 300}) {
            assertThat(CDNOW.probabilityAlive(x, 20, 20))
                    .isCloseTo(1 / (1 + CDNOW.a() / (CDNOW.b() + x - 1)), within(1e-15));
        }
    }

    @Test
    void overAShortHorizonTheExpectationIsTheExpectedRateOfALiveCustomer() {
        // d/dt E[Y(t)] at 0 = P(alive) × E[λ | data] = P(alive) (r+x)/(α+T)
        // so short that the second-order term (about t times the rate) is below 1e-8 relative, while
        // 1 − ₂F₁·(1−z)^(r+x) is of the order 1e-12 and must keep its digits
        double t = 1e-10;
        for (int[] customer : new int[][] {{0, 0, 30}, {3, 20, 30}, {300, 29, 30}}) {
            int x = customer[0];
            double slope = CDNOW.probabilityAlive(x, customer[1], customer[2])
                    * (CDNOW.r() + x)
                    / (CDNOW.alpha() + customer[2]);
            assertThat(CDNOW.expectedPurchases(t, x, customer[1], customer[2]) / t)
                    .isCloseTo(slope, withinPercentage(1e-4));
        }
        assertThat(CDNOW.expectedPurchases(0, 3, 20, 30)).isZero();
    }

    @Test
    void theExpectationGrowsWithTheHorizonAndFallsWithSilence() {
        double previous = 0;
        for (double t : new double[] {1, 4, 13, 26, 52, 104, 520}) {
            double purchases = CDNOW.expectedPurchases(t, 4, 30, 38);
            assertThat(purchases).isGreaterThan(previous);
            previous = purchases;
        }
        assertThat(CDNOW.expectedPurchases(52, 4, 20, 38)).isLessThan(CDNOW.expectedPurchases(52, 4, 30, 38));
    }

    @Test
    void aEqualToOneIsCoveredByItsLimit() {
        // (a+b+x−1)/(a−1) × [1 − …] is 0/0 at a = 1: the limit form and the formula must meet around it
        for (int x : new int[] {0, 4, 300}) {
            double below = new BgNbd(0.243, 4.414, 1 - 1e-9, 2.426).expectedPurchases(52, x, 30, 38);
            double at = new BgNbd(0.243, 4.414, 1, 2.426).expectedPurchases(52, x, 30, 38);
            double above = new BgNbd(0.243, 4.414, 1 + 2e-8, 2.426).expectedPurchases(52, x, 30, 38);
            double farther = new BgNbd(0.243, 4.414, 1 + 1e-5, 2.426).expectedPurchases(52, x, 30, 38);
            assertThat(at).isFinite().isPositive();
            assertThat(Math.abs(below - at) / at).isLessThan(1e-7);
            assertThat(Math.abs(above - at) / at).isLessThan(1e-6);
            assertThat(Math.abs(farther - at) / at).isLessThan(1e-3);
        }
    }

    @Test
    void theGroupedLikelihoodIsTheSumOverCustomers() {
        CustomerSummaries customers =
                new SyntheticCustomers(CDNOW, new GammaGamma(6.25, 3.74, 15.44), 27, 39, true).draw(3_000, 7L);
        double sum = 0;
        for (int i = 0; i < customers.size(); i++) {
            sum += CDNOW.logLikelihood(customers.x(i), customers.tx(i), customers.T(i));
        }
        assertThat(CDNOW.logLikelihood(customers)).isCloseTo(sum, within(1e-8));
    }

    @Test
    void theLikelihoodOfOneCustomerIsTheModelsProbability() {
        // x = 0: P(no purchase in (0, T]) = E[e^(−λT)] = (α/(α+T))^r, since without a repeat purchase there
        // is no chance to drop out
        double T = 30;
        assertThat(CDNOW.logLikelihood(0, 0, T))
                .isCloseTo(CDNOW.r() * Math.log(CDNOW.alpha() / (CDNOW.alpha() + T)), within(1e-12));
    }

    @Test
    void dataThatCannotPinTheModelDownGiveAFitThatSaysSo() {
        // nobody bought again: the likelihood keeps rising as r goes to 0, and a, b are not identified at all
        int n = 200;
        double[] ages = new double[n];
        java.util.Arrays.fill(ages, 30);
        ModelFit<BgNbd> fit = BgNbd.fit(CustomerSummaries.of(new int[n], new double[n], ages, null));
        assertThat(fit.converged()).isFalse();
        assertThat(fit.convergence()).startsWith("not converged: ");
    }

    @Test
    void impossibleCustomersAndParametersAreRefused() {
        assertThatThrownBy(() -> CDNOW.expectedPurchases(52, 2, 40, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CDNOW.probabilityAlive(-1, 0, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CDNOW.expectedPurchases(-1, 2, 20, 30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BgNbd(0.2, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
