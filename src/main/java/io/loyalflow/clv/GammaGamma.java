package io.loyalflow.clv;

import static org.hipparchus.special.Gamma.logGamma;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The Gamma-Gamma model of spend per purchase (Fader, Hardie &amp; Lee 2005, "RFM and CLV: Using Iso-Value
 * Curves"): a customer's purchase values are Gamma(p, ν) with rate ν, and ν varies across customers
 * as Gamma(q, v) (rate v), independently of how often they buy. Fitted on customers with at least
 * one repeat purchase, on their mean repeat-purchase value m. Formulas: docs/clv.md.
 */
public record GammaGamma(double p, double q, double v) {

    public GammaGamma {
        for (double parameter : new double[] {p, q, v}) {
            if (!(parameter > 0) || !Double.isFinite(parameter)) {
                throw new IllegalArgumentException(String.format(
                        "Gamma-Gamma parameters must be positive and finite: p = %s, q = %s, v = %s", p, q, v));
            }
        }
    }

    /** The log-likelihood of one repeat buyer's mean value m over x repeat purchases (x &gt; 0, m &gt; 0). */
    public double logLikelihood(int x, double m) {
        checkRepeatBuyer(x, m);
        double px = p * x;
        return logGamma(px + q)
                - logGamma(px)
                - logGamma(q)
                + q * Math.log(v)
                + (px - 1) * Math.log(m)
                + px * Math.log(x)
                - (px + q) * Math.log(x * m + v);
    }

    /**
     * The total log-likelihood of the repeat buyers with a positive mean value among the customers (the
     * others carry no spend information the model can use).
     */
    public double logLikelihood(CustomerSummaries customers) {
        return new Likelihood(customers).value(p, q, v);
    }

    /** Maximum-likelihood estimates from the repeat buyers, starting from p = 1, q = 2 and v = their mean m. */
    public static ModelFit<GammaGamma> fit(CustomerSummaries customers) {
        long started = System.nanoTime(); // preparing the columns is part of the fit
        Likelihood likelihood = new Likelihood(customers);
        if (likelihood.buyers() == 0) {
            throw new IllegalArgumentException(
                    "no customer has a repeat purchase with a positive mean value: nothing to fit the spend model on");
        }
        double[] start = {0, Math.log(2), Math.log(likelihood.meanValue())};
        MaximumLikelihood.Result result = MaximumLikelihood.maximise(
                w -> likelihood.value(Math.exp(w[0]), Math.exp(w[1]), Math.exp(w[2])), start, "p", "q", "v");
        GammaGamma model = new GammaGamma(result.parameter(0), result.parameter(1), result.parameter(2));
        return new ModelFit<>(
                model,
                result.standardErrors(),
                result.logLikelihood(),
                likelihood.buyers(),
                likelihood.buyers(),
                result.iterations(),
                result.evaluations(),
                result.restarts(),
                result.converged(),
                result.convergence(),
                (System.nanoTime() - started) / 1e9);
    }

    /** The mean purchase value of the population, v·p/(q−1); infinite in this model unless q &gt; 1. */
    public double populationMeanValue() {
        if (!(q > 1)) {
            throw new IllegalStateException("q = " + q + " <= 1: the model's mean purchase value is infinite");
        }
        return v * p / (q - 1);
    }

    /**
     * E[M | x, m], the expected value of this customer's future purchases: the population mean and the
     * customer's own mean, weighted by w = p·x/(p·x+q−1) (the more purchases, the more the own mean
     * counts); the population mean for x = 0. Needs q &gt; 1.
     */
    public double expectedAverageValue(int x, double m) {
        if (x == 0) {
            return populationMeanValue();
        }
        if (x < 0 || !(m >= 0) || !Double.isFinite(m)) {
            throw new IllegalArgumentException(
                    String.format("expected value needs x >= 0 and a mean value m >= 0, got x = %d, m = %s", x, m));
        }
        double populationMean = populationMeanValue();
        double weight = p * x / (p * x + q - 1);
        return (1 - weight) * populationMean + weight * m;
    }

    private static void checkRepeatBuyer(int x, double m) {
        if (x <= 0 || !(m > 0) || !Double.isFinite(m)) {
            throw new IllegalArgumentException(String.format(
                    "the spend model needs a repeat buyer (x > 0) with a positive mean value, got x = %d, m = %s",
                    x, m));
        }
    }

    /** The total log-likelihood of the repeat buyers, with ln m, ln x and x·m taken once per customer. */
    static final class Likelihood {

        private static final int CHUNK = 8_192;

        private final int[] distinctX;
        private final int[] xOf;
        private final int[] x;
        private final double[] logM;
        private final double[] logX;
        private final double[] total;
        private final double meanValue;

        Likelihood(CustomerSummaries customers) {
            if (!customers.hasValues()) {
                throw new IllegalArgumentException("the spend model needs the mean purchase values m");
            }
            int buyers = 0;
            for (int i = 0; i < customers.size(); i++) {
                if (customers.x(i) > 0 && customers.m(i) > 0) {
                    buyers++;
                }
            }
            x = new int[buyers];
            xOf = new int[buyers];
            logM = new double[buyers];
            logX = new double[buyers];
            total = new double[buyers];
            Map<Integer, Integer> xIndex = new HashMap<>();
            double valueSum = 0;
            int j = 0;
            for (int i = 0; i < customers.size(); i++) {
                int purchases = customers.x(i);
                if (purchases == 0) {
                    continue;
                }
                double m = customers.m(i);
                if (!(m > 0)) {
                    // Repeat purchases worth nothing (free goods, fully discounted orders) have no Gamma density: such
                    // a
                    // customer says nothing about spend. Scoring still weighs their own mean, 0, in E[M].
                    continue;
                }
                x[j] = purchases;
                xOf[j] = xIndex.computeIfAbsent(purchases, k -> xIndex.size());
                logM[j] = Math.log(m);
                logX[j] = Math.log(purchases);
                total[j] = purchases * m;
                valueSum += m;
                j++;
            }
            distinctX = new int[xIndex.size()];
            xIndex.forEach((purchases, k) -> distinctX[k] = purchases);
            meanValue = buyers == 0 ? Double.NaN : valueSum / buyers;
        }

        int buyers() {
            return x.length;
        }

        double meanValue() {
            return meanValue;
        }

        double value(double p, double q, double v) {
            double perCustomer = -logGamma(q) + q * Math.log(v);
            double[] gammaRatio = new double[distinctX.length];
            for (int k = 0; k < distinctX.length; k++) {
                double px = p * distinctX[k];
                gammaRatio[k] = logGamma(px + q) - logGamma(px) + perCustomer;
            }
            int chunks = (x.length + CHUNK - 1) / CHUNK;
            IntStream chunkIndexes = IntStream.range(0, chunks);
            double[] sums = (chunks > 2 ? chunkIndexes.parallel() : chunkIndexes)
                    .mapToDouble(chunk -> {
                        double sum = 0;
                        int end = Math.min(x.length, (chunk + 1) * CHUNK);
                        for (int i = chunk * CHUNK; i < end; i++) {
                            double px = p * x[i];
                            sum += gammaRatio[xOf[i]]
                                    + (px - 1) * logM[i]
                                    + px * logX[i]
                                    - (px + q) * Math.log(total[i] + v);
                        }
                        return sum;
                    })
                    .toArray();
            double sum = 0;
            for (double chunkSum : sums) {
                sum += chunkSum;
            }
            return sum;
        }
    }
}
