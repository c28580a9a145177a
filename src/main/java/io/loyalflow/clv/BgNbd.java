package io.loyalflow.clv;

import static org.hipparchus.special.Gamma.logGamma;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The BG/NBD model of repeat purchases (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy
 * Way"): while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α), and after each
 * repeat purchase drops out for good with probability p ~ Beta(a, b). Times are in the unit of the
 * summaries (weeks). Formulas: docs/clv.md.
 */
public record BgNbd(double r, double alpha, double a, double b) {

    /** Below this distance of a from 1 the conditional expectation uses its limit form (0/0 otherwise). */
    private static final double A_NEAR_ONE = 1e-8;

    public BgNbd {
        for (double parameter : new double[] {r, alpha, a, b}) {
            if (!(parameter > 0) || !Double.isFinite(parameter)) {
                throw new IllegalArgumentException(String.format(
                        "BG/NBD parameters must be positive and finite: r = %s, alpha = %s, a = %s, b = %s",
                        r, alpha, a, b));
            }
        }
    }

    /** The log-likelihood of one customer's (x, t_x, T). */
    public double logLikelihood(int x, double tx, double T) {
        double a1 = logGamma(r + x) - logGamma(r) + r * Math.log(alpha);
        double a2 = logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
        double a3 = -(r + x) * Math.log(alpha + T);
        if (x == 0) {
            return a1 + a2 + a3;
        }
        double a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
        return a1 + a2 + logSumExp(a3, a4);
    }

    /** The total log-likelihood of all customers. */
    public double logLikelihood(CustomerSummaries customers) {
        return new Likelihood(customers).value(r, alpha, a, b);
    }

    /**
     * Maximum-likelihood estimates for the customers, starting from r = 1, a = b = 1 and the α that
     * matches the mean purchase rate.
     */
    public static ModelFit<BgNbd> fit(CustomerSummaries customers) {
        if (customers.size() == 0) {
            throw new IllegalArgumentException("no customers to fit");
        }
        long started = System.nanoTime(); // the grouping is part of the fit
        Likelihood likelihood = new Likelihood(customers);
        double repeatPurchases = 0;
        double age = 0;
        for (int i = 0; i < customers.size(); i++) {
            repeatPurchases += customers.x(i);
            age += customers.T(i);
        }
        double startAlpha = repeatPurchases > 0 && age > 0 ? age / repeatPurchases : 1;
        double[] start = {0, Math.log(startAlpha), 0, 0};
        MaximumLikelihood.Result result = MaximumLikelihood.maximise(
                p -> likelihood.value(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]), Math.exp(p[3])),
                start,
                "r",
                "alpha",
                "a",
                "b");
        BgNbd model = new BgNbd(result.parameter(0), result.parameter(1), result.parameter(2), result.parameter(3));
        return new ModelFit<>(
                model,
                result.standardErrors(),
                result.logLikelihood(),
                customers.size(),
                likelihood.groups(),
                result.iterations(),
                result.evaluations(),
                result.restarts(),
                result.converged(),
                result.convergence(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * P(alive | x, t_x, T): 1 for x = 0 (no purchase since the first, so no chance yet to drop out),
     * otherwise 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), evaluated in logs so that large x stays finite.
     */
    public double probabilityAlive(int x, double tx, double T) {
        checkCustomer(x, tx, T);
        if (x == 0) {
            return 1;
        }
        return 1 / (1 + Math.exp(logOddsDead(x, tx, T)));
    }

    /**
     * E[Y(t) | x, t_x, T], the expected number of purchases in the next t time units:
     * <pre>
     *   (a+b+x−1)/(a−1) · [1 − ₂F₁(r+x, b+x; a+b+x−1; z) · (1−z)^(r+x)] / (1 + [x&gt;0] a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
     * </pre>
     * with z = t/(α+T+t). By Euler's transformation the product in brackets is (1−z)^(a−1) ·
     * ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose parameters stay small for any x: that is the form computed.
     */
    public double expectedPurchases(double t, int x, double tx, double T) {
        checkCustomer(x, tx, T);
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("the horizon t must be 0 or more, not " + t);
        }
        if (t == 0) {
            return 0;
        }
        double logOneMinusZ = -Math.log1p(t / (alpha + T));
        double z = t / (alpha + T + t);
        double c = a + b + x - 1;
        double numerator;
        if (Math.abs(a - 1) < A_NEAR_ONE) {
            numerator = c * limitAtAEqualsOne(x, z, logOneMinusZ);
        } else {
            Hypergeometric2F1.Evaluation f = Hypergeometric2F1.evaluate(a + b - 1 - r, a - 1, c, z, logOneMinusZ);
            double logProduct = (a - 1) * logOneMinusZ + f.logAbs();
            // 1 − sign·exp(logProduct), without losing digits when the product is close to 1
            double bracket = f.sign() > 0 ? -Math.expm1(logProduct) : 1 + Math.exp(logProduct);
            numerator = c / (a - 1) * bracket;
        }
        if (x == 0) {
            return numerator;
        }
        double logOdds = logOddsDead(x, tx, T);
        // numerator / (1 + e^logOdds), also when e^logOdds overflows
        return logOdds > 0
                ? numerator * Math.exp(-logOdds) / (1 + Math.exp(-logOdds))
                : numerator / (1 + Math.exp(logOdds));
    }

    /** ln(a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), the log-odds of having dropped out, for x &gt; 0. */
    private double logOddsDead(int x, double tx, double T) {
        return Math.log(a / (b + x - 1)) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
    }

    /**
     * [1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z)] / (a−1) as a → 1: with ε = a−1, (ε)ₙ ≈ ε (n−1)!, so the
     * bracket is −ε [ln(1−z) + Σₙ≥₁ (b−r)ₙ/(c)ₙ zⁿ/n] + O(ε²), the error of this form about |ε|.
     */
    private double limitAtAEqualsOne(int x, double z, double logOneMinusZ) {
        double p = b - r; // a+b−1−r at a = 1
        double c = b + x; // a+b+x−1 at a = 1
        double term = 1; // (p)ₙ/(c)ₙ zⁿ
        double sum = 0;
        for (int n = 1; n < Hypergeometric2F1.MAX_TERMS; n++) {
            term *= (p + n - 1) / (c + n - 1) * z;
            sum += term / n;
            if (n > -p && Math.abs(term) < 1e-17 * Math.abs(sum) * (1 - z)) {
                break;
            }
        }
        return -(logOneMinusZ + sum);
    }

    private static void checkCustomer(int x, double tx, double T) {
        if (x < 0 || !(tx >= 0) || !(T >= tx) || !Double.isFinite(T)) {
            throw new IllegalArgumentException(
                    String.format("need x >= 0 and 0 <= t_x <= T, got x = %d, t_x = %s, T = %s", x, tx, T));
        }
    }

    static double logSumExp(double u, double v) {
        double max = Math.max(u, v);
        return max == Double.NEGATIVE_INFINITY ? max : max + Math.log1p(Math.exp(Math.min(u, v) - max));
    }

    /**
     * The total log-likelihood over customers grouped by identical (x, t_x, T), with the terms that
     * depend only on x, only on T or only on t_x computed once per distinct value and evaluation.
     * Large data are summed in fixed chunks in parallel, added in a fixed order: the same data give the
     * same value on any number of cores.
     */
    static final class Likelihood {

        private static final int CHUNK = 8_192;

        private final int[] distinctX;
        private final double[] distinctT;
        private final double[] distinctTx;
        private final int[] xOf;
        private final int[] tOf;
        private final int[] txOf;
        private final double[] weight;

        Likelihood(CustomerSummaries customers) {
            record Key(int x, double tx, double T) {}
            Map<Key, Integer> groupOf = new HashMap<>();
            int[] counts = new int[Math.max(16, Math.min(customers.size(), 1 << 16))];
            int[] xs = customers.xColumn();
            double[] txs = customers.txColumn();
            double[] ts = customers.TColumn();
            Key[] keys = new Key[counts.length];
            for (int i = 0; i < customers.size(); i++) {
                Key key = new Key(xs[i], txs[i], ts[i]);
                Integer group = groupOf.get(key);
                if (group == null) {
                    group = groupOf.size();
                    groupOf.put(key, group);
                    if (group == counts.length) {
                        counts = Arrays.copyOf(counts, counts.length * 2);
                        keys = Arrays.copyOf(keys, keys.length * 2);
                    }
                    keys[group] = key;
                }
                counts[group]++;
            }
            int groups = groupOf.size();
            weight = new double[groups];
            xOf = new int[groups];
            tOf = new int[groups];
            txOf = new int[groups];
            Map<Integer, Integer> xIndex = new HashMap<>();
            Map<Double, Integer> tIndex = new HashMap<>();
            Map<Double, Integer> txIndex = new HashMap<>();
            for (int g = 0; g < groups; g++) {
                weight[g] = counts[g];
                xOf[g] = xIndex.computeIfAbsent(keys[g].x(), k -> xIndex.size());
                tOf[g] = tIndex.computeIfAbsent(keys[g].T(), k -> tIndex.size());
                txOf[g] = txIndex.computeIfAbsent(keys[g].tx(), k -> txIndex.size());
            }
            distinctX = new int[xIndex.size()];
            xIndex.forEach((x, k) -> distinctX[k] = x);
            distinctT = new double[tIndex.size()];
            tIndex.forEach((t, k) -> distinctT[k] = t);
            distinctTx = new double[txIndex.size()];
            txIndex.forEach((tx, k) -> distinctTx[k] = tx);
        }

        int groups() {
            return weight.length;
        }

        double value(double r, double alpha, double a, double b) {
            double lnAlpha = Math.log(alpha);
            double lnGammaR = logGamma(r);
            double lnGammaAB = logGamma(a + b);
            double lnGammaB = logGamma(b);
            double lnA = Math.log(a);
            double[] base = new double[distinctX.length];
            double[] dropout = new double[distinctX.length];
            for (int k = 0; k < distinctX.length; k++) {
                int x = distinctX[k];
                base[k] = logGamma(r + x)
                        - lnGammaR
                        + r * lnAlpha
                        + lnGammaAB
                        + logGamma(b + x)
                        - lnGammaB
                        - logGamma(a + b + x);
                dropout[k] = lnA - Math.log(b + Math.max(x, 1) - 1);
            }
            double[] lnAlphaT = new double[distinctT.length];
            for (int k = 0; k < distinctT.length; k++) {
                lnAlphaT[k] = Math.log(alpha + distinctT[k]);
            }
            double[] lnAlphaTx = new double[distinctTx.length];
            for (int k = 0; k < distinctTx.length; k++) {
                lnAlphaTx[k] = Math.log(alpha + distinctTx[k]);
            }
            int chunks = (weight.length + CHUNK - 1) / CHUNK;
            IntStream chunkIndexes = IntStream.range(0, chunks);
            double[] sums = (chunks > 2 ? chunkIndexes.parallel() : chunkIndexes)
                    .mapToDouble(chunk -> {
                        double sum = 0;
                        int end = Math.min(weight.length, (chunk + 1) * CHUNK);
                        for (int g = chunk * CHUNK; g < end; g++) {
                            int k = xOf[g];
                            int x = distinctX[k];
                            double a3 = -(r + x) * lnAlphaT[tOf[g]];
                            double ll = x == 0
                                    ? base[k] + a3
                                    : base[k] + logSumExp(a3, dropout[k] - (r + x) * lnAlphaTx[txOf[g]]);
                            sum += weight[g] * ll;
                        }
                        return sum;
                    })
                    .toArray();
            double total = 0;
            for (double sum : sums) {
                total += sum;
            }
            return total;
        }
    }
}
