package io.loyalflow.experiment;

/**
 * When an experiment declares a winner, without stopping early on peeking. The review does not test the
 * figures whenever it runs: it looks at the experiment only when the smallest open arm has reached the next
 * milestone of the minimum sample, 1×, 2×, 4×, 8×, … (look 1, 2, 3, 4, …), once per milestone. At look k
 * an arm wins when its probability to be best ({@link Posteriors}) reaches
 * {@code 1 − (1 − threshold) / 2^k}: the error budget {@code 1 − threshold} is spent half at the first look,
 * a quarter at the second, and so on, so all looks together spend at most the budget (a union bound), however
 * long the experiment runs. With the defaults (500, 0.95) that is 0.975 at 500 per arm, 0.9875 at 1,000,
 * 0.99375 at 2,000, 0.996875 at 4,000. A look skipped (the arms grew past two milestones between reviews)
 * leaves its share unspent.
 */
final class WinnerRule {

    /** What a review's look found: the winning arm's index (-1 for none) and the looks done since. */
    record Look(int winner, int looksDone, double required) {}

    private WinnerRule() {}

    /** The smallest arm's sample at which look {@code looksDone + 1} is due. */
    static long nextLookAt(int minSample, int looksDone) {
        return looksDone >= 40 ? Long.MAX_VALUE : (long) minSample << looksDone;
    }

    /** The probability to be best an arm must reach at look {@code looksDone + 1}. */
    static double required(double threshold, int looksDone) {
        return 1 - (1 - threshold) / Math.pow(2, looksDone + 1);
    }

    /** Looks at the arms if a milestone is due; {@code journeys[i] >= outcomes[i]}, the arms open ones. */
    static Look look(long[] journeys, long[] outcomes, int minSample, double threshold, int looksDone) {
        if (journeys.length < 2) {
            return new Look(-1, looksDone, required(threshold, looksDone));
        }
        long least = Long.MAX_VALUE;
        for (long n : journeys) {
            least = Math.min(least, n);
        }
        if (least < nextLookAt(minSample, looksDone)) {
            return new Look(-1, looksDone, required(threshold, looksDone));
        }
        int look = 63 - Long.numberOfLeadingZeros(least / minSample); // the latest milestone reached, from 0
        double required = required(threshold, look);
        double[] best = Posteriors.probabilityToBeBest(journeys, outcomes);
        for (int i = 0; i < best.length; i++) {
            if (best[i] >= required) {
                return new Look(i, look + 1, required);
            }
        }
        return new Look(-1, look + 1, required);
    }
}
