package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GammaGammaTest {

    private static final GammaGamma CDNOW = new GammaGamma(6.25, 3.74, 15.44);

    /**
     * The likelihood from its definition: the mean m of x purchases of Gamma(p, rate ν) is Gamma(p·x,
     * rate x·ν), and ν is Gamma(q, rate v); the density of m is the integral over ν, taken here
     * numerically (trapezoid over ln ν, which converges fast for such smooth, quickly vanishing integrands).
     */
    @ParameterizedTest(name = "x = {0}, m = {1}")
    @CsvSource({"1, 11.77", "2, 22.35", "7, 35.5", "30, 120.0", "300, 18.2"})
    void theLikelihoodIsTheDensityOfTheMeanIntegratedOverTheCustomersRate(int x, double m) {
        double p = CDNOW.p();
        double q = CDNOW.q();
        double v = CDNOW.v();
        int steps = 200_000;
        double from = -25;
        double to = 10;
        double width = (to - from) / steps;
        double[] logIntegrand = new double[steps + 1];
        double largest = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= steps; k++) {
            double u = from + k * width;
            double nu = Math.exp(u);
            double logDensityOfMean =
                    p * x * Math.log(x * nu) + (p * x - 1) * Math.log(m) - x * nu * m - Gamma.logGamma(p * x);
            double logDensityOfRate = q * Math.log(v) + (q - 1) * u - v * nu - Gamma.logGamma(q);
            logIntegrand[k] = logDensityOfMean + logDensityOfRate + u;
            largest = Math.max(largest, logIntegrand[k]);
        }
        double sum = 0;
        for (int k = 0; k <= steps; k++) {
            sum += (k == 0 || k == steps ? 0.5 : 1) * Math.exp(logIntegrand[k] - largest);
        }
        double expected = largest + Math.log(sum * width);
        assertThat(CDNOW.logLikelihood(x, m)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void theExpectedOrderValueIsThePosteriorMeanOfTheSpend() {
        // ν | x purchases of mean m is Gamma(q + p·x, rate v + x·m), so E[p/ν] = p (v + x m) / (q + p x − 1)
        for (int x : new int[] {1, 4, 100}) {
            double m = 42.5;
            double posteriorMean = CDNOW.p() * (CDNOW.v() + x * m) / (CDNOW.q() + CDNOW.p() * x - 1);
            assertThat(CDNOW.expectedAverageValue(x, m)).isCloseTo(posteriorMean, within(1e-12));
        }
        assertThat(CDNOW.expectedAverageValue(0, 0))
                .isEqualTo(CDNOW.populationMeanValue())
                .isCloseTo(15.44 * 6.25 / 2.74, within(1e-12));
    }

    @Test
    void repeatBuyersWhoseRepeatPurchasesCostNothingAreLeftOutOfTheFitAndScoredOnTheirOwnMeanOfZero() {
        // CDNOW's master file has such customers: repeat purchases of $0.00
        var sample = TransactionLog.summarise(CdnowSample.transactions().stream(), CdnowSample.CALIBRATION_END);
        int n = sample.size();
        int[] x = new int[n + 1];
        double[] tx = new double[n + 1];
        double[] bigT = new double[n + 1];
        double[] m = new double[n + 1];
        for (int i = 0; i < n; i++) {
            x[i] = sample.x(i);
            tx[i] = sample.tx(i);
            bigT[i] = sample.T(i);
            m[i] = sample.m(i);
        }
        x[n] = 2;
        tx[n] = 10;
        bigT[n] = 30;
        m[n] = 0;
        ModelFit<GammaGamma> withFree = GammaGamma.fit(CustomerSummaries.of(x, tx, bigT, m));
        ModelFit<GammaGamma> without = GammaGamma.fit(sample);

        assertThat(withFree.observations()).isEqualTo(946);
        assertThat(withFree.model().p()).isCloseTo(without.model().p(), within(1e-9));
        assertThat(withFree.model().v()).isCloseTo(without.model().v(), within(1e-9));
        double weight = CDNOW.p() * 2 / (CDNOW.p() * 2 + CDNOW.q() - 1);
        assertThat(CDNOW.expectedAverageValue(2, 0))
                .isCloseTo((1 - weight) * CDNOW.populationMeanValue(), within(1e-12));
    }

    @Test
    void nonPositiveSpendAndAnInfiniteMeanAreRefused() {
        assertThatThrownBy(() -> CDNOW.logLikelihood(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CDNOW.expectedAverageValue(2, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGamma.fit(CustomerSummaries.of(
                        new int[] {1, 2}, new double[] {1, 2}, new double[] {3, 3}, new double[] {0, -5})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repeat purchase");
        assertThatThrownBy(() -> new GammaGamma(6.25, 1, 15.44).populationMeanValue())
                .isInstanceOf(IllegalStateException.class);
    }
}
