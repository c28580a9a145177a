package io.loyalflow.experiment;

/**
 * When an experiment declares a winner: every open arm has at least the minimum sample of journeys, and one
 * arm's probability to be best ({@link Posteriors}) reaches the threshold. Checked at every review; nothing
 * else ends an experiment early, whatever the figures show between reviews.
 */
final class WinnerRule {

    private WinnerRule() {}

    /** The index of the winning arm, or -1 while there is none. */
    static int winner(long[] journeys, long[] outcomes, int minSample, double threshold) {
        if (journeys.length < 2) {
            return -1;
        }
        for (long n : journeys) {
            if (n < minSample) {
                return -1;
            }
        }
        double[] best = Posteriors.probabilityToBeBest(journeys, outcomes);
        for (int i = 0; i < best.length; i++) {
            if (best[i] >= threshold) {
                return i;
            }
        }
        return -1;
    }
}
