package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Customers drawn from known parameters (the CDNOW estimates, CDNOW-like ages of 27 to 39 weeks) must
 * give those parameters back, within what the standard errors say.
 */
class SyntheticRecoveryTest {

    private static final BgNbd PURCHASES = new BgNbd(0.243, 4.414, 0.793, 2.426);
    private static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);
    private static final SyntheticCustomers COHORT = new SyntheticCustomers(PURCHASES, SPEND, 27, 39, false);

    /**
     * 30,000 customers, every estimate within 3 standard errors of the truth. An estimate is about
     * normal around the truth with its standard error, so each check fails by chance 0.27% of the time
     * and the seven together about 2% (of seeds; the seed is fixed), while a systematic error larger
     * than 3 standard errors (here about 20% in a or b, 5% in r) fails. The standard errors must also be
     * small enough for the check to mean something.
     */
    @Test
    void bothModelsRecoverTheirParametersWithinThreeStandardErrors() {
        CustomerSummaries customers = COHORT.draw(30_000, 20251123L);
        ModelFit<BgNbd> purchases = BgNbd.fit(customers);
        ModelFit<GammaGamma> spend = GammaGamma.fit(customers);
        System.out.printf(
                "synthetic, 30,000 customers: %s (se %s), LL %.2f, %.2f s; %s (se %s), %d buyers, %.2f s%n",
                purchases.model(),
                purchases.standardErrors(),
                purchases.logLikelihood(),
                purchases.seconds(),
                spend.model(),
                spend.standardErrors(),
                spend.observations(),
                spend.seconds());
        assertThat(purchases.converged()).as(purchases.convergence()).isTrue();
        assertThat(spend.converged()).as(spend.convergence()).isTrue();

        BgNbd fitted = purchases.model();
        assertWithin(fitted.r(), PURCHASES.r(), purchases.standardError("r"), 0.10);
        assertWithin(fitted.alpha(), PURCHASES.alpha(), purchases.standardError("alpha"), 0.10);
        assertWithin(fitted.a(), PURCHASES.a(), purchases.standardError("a"), 0.15);
        assertWithin(fitted.b(), PURCHASES.b(), purchases.standardError("b"), 0.15);
        GammaGamma spent = spend.model();
        assertWithin(spent.p(), SPEND.p(), spend.standardError("p"), 0.10);
        assertWithin(spent.q(), SPEND.q(), spend.standardError("q"), 0.15);
        assertWithin(spent.v(), SPEND.v(), spend.standardError("v"), 0.15);
    }

    private static void assertWithin(double estimate, double truth, double standardError, double largestRelativeError) {
        assertThat(standardError).isPositive().isLessThan(largestRelativeError * truth);
        assertThat(Math.abs(estimate - truth))
                .as("%s vs the true %s, standard error %s", estimate, truth, standardError)
                .isLessThanOrEqualTo(3 * standardError);
    }

    /**
     * Whether the standard errors are the right size: over 12 independent samples of 5,000 customers,
     * the errors divided by their standard errors should have a root mean square near 1. 48 values
     * (correlated within a sample) put it between 0.6 and 1.5 with room to spare; standard errors off
     * by a factor of 2 would give 0.5 or 2.
     */
    @Test
    void theStandardErrorsOfBgNbdMatchTheSpreadOfTheEstimates() {
        double squares = 0;
        int count = 0;
        for (int sample = 0; sample < 12; sample++) {
            ModelFit<BgNbd> fit = BgNbd.fit(COHORT.draw(5_000, 1000L + sample));
            assertThat(fit.converged()).as(fit.convergence()).isTrue();
            BgNbd model = fit.model();
            double[] z = {
                (model.r() - PURCHASES.r()) / fit.standardError("r"),
                (model.alpha() - PURCHASES.alpha()) / fit.standardError("alpha"),
                (model.a() - PURCHASES.a()) / fit.standardError("a"),
                (model.b() - PURCHASES.b()) / fit.standardError("b")
            };
            for (double value : z) {
                squares += value * value;
                count++;
            }
        }
        double rootMeanSquare = Math.sqrt(squares / count);
        System.out.printf("synthetic, 12 x 5,000 customers: RMS of (estimate - truth)/se = %.3f%n", rootMeanSquare);
        assertThat(rootMeanSquare).isBetween(0.6, 1.5);
    }
}
