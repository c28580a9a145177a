package io.loyalflow.experiment;

import org.hipparchus.distribution.continuous.BetaDistribution;

/**
 * Bayesian figures of arms' rates: each arm's rate has the posterior Beta(1 + s, 1 + n − s) after s
 * outcomes in n journeys (a uniform prior). The probability that an arm is best is
 * P(X_i > X_j for every other j), computed by numerical integration on a fixed grid, so the same counts
 * always give the same figures (no random draws): over [lo, hi], which holds ±10 standard deviations of
 * every posterior, {@value #CELLS} cells; each arm's posterior mass per cell (its density at the cell's
 * middle, normalised to 1), and P(i best) = Σ_c m_i(c) · Π_{j≠i} (F_j(before c) + m_j(c) / 2), the half
 * cell splitting ties evenly.
 */
final class Posteriors {

    static final int CELLS = 1200;
    private static final double SPREAD = 10;

    private Posteriors() {}

    /** The posterior's parameters. */
    static double alpha(long outcomes) {
        return 1.0 + outcomes;
    }

    static double beta(long journeys, long outcomes) {
        return 1.0 + journeys - outcomes;
    }

    /** P(best) per arm; {@code journeys[i] >= outcomes[i] >= 0}. */
    static double[] probabilityToBeBest(long[] journeys, long[] outcomes) {
        int k = journeys.length;
        double[] best = new double[k];
        if (k == 0) {
            return best;
        }
        if (k == 1) {
            best[0] = 1.0;
            return best;
        }
        double[] a = new double[k];
        double[] b = new double[k];
        double lo = 1;
        double hi = 0;
        for (int i = 0; i < k; i++) {
            a[i] = alpha(outcomes[i]);
            b[i] = beta(journeys[i], outcomes[i]);
            double mean = a[i] / (a[i] + b[i]);
            double sd = Math.sqrt(a[i] * b[i] / ((a[i] + b[i]) * (a[i] + b[i]) * (a[i] + b[i] + 1)));
            lo = Math.min(lo, mean - SPREAD * sd);
            hi = Math.max(hi, mean + SPREAD * sd);
        }
        lo = Math.max(0, lo);
        hi = Math.min(1, hi);
        double h = (hi - lo) / CELLS;
        double[][] mass = new double[k][CELLS];
        for (int i = 0; i < k; i++) {
            double[] log = new double[CELLS];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CELLS; c++) {
                double x = lo + (c + 0.5) * h;
                log[c] = (a[i] - 1) * Math.log(x) + (b[i] - 1) * Math.log1p(-x);
                max = Math.max(max, log[c]);
            }
            double sum = 0;
            for (int c = 0; c < CELLS; c++) {
                mass[i][c] = Math.exp(log[c] - max);
                sum += mass[i][c];
            }
            for (int c = 0; c < CELLS; c++) {
                mass[i][c] /= sum;
            }
        }
        double[] below = new double[k];
        for (int c = 0; c < CELLS; c++) {
            for (int i = 0; i < k; i++) {
                double others = 1;
                for (int j = 0; j < k && others > 0; j++) {
                    if (j != i) {
                        others *= below[j] + mass[j][c] / 2;
                    }
                }
                best[i] += mass[i][c] * others;
            }
            for (int j = 0; j < k; j++) {
                below[j] += mass[j][c];
            }
        }
        return best;
    }

    /** The central credible interval of the rate, e.g. level 0.95 for 2.5 % .. 97.5 %. */
    static double[] interval(long journeys, long outcomes, double level) {
        BetaDistribution posterior = new BetaDistribution(alpha(outcomes), beta(journeys, outcomes));
        double tail = (1 - level) / 2;
        return new double[] {
            posterior.inverseCumulativeProbability(tail), posterior.inverseCumulativeProbability(1 - tail)
        };
    }
}
