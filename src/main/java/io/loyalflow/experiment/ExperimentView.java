package io.loyalflow.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One experiment as {@code GET /api/campaigns/{id}/experiments} shows it: counts and rates per arm, no person.
 *
 * @param weights the weights the campaign (or the model) gives, as text
 * @param state RUNNING, WINNER_DECLARED or WINNER_APPLIED
 * @param winner the declared winner while its decision stands, else null
 * @param endsAt the end of the window, null for none
 * @param looks the winner rule's looks done (one per milestone of the minimum sample: 1×, 2×, 4×, …)
 * @param nextLookAt the journeys the smallest open arm needs for the next look (null once decided)
 * @param nextLookProbability the probability to be best an arm must reach at the next look (null once decided)
 */
public record ExperimentView(
        String experimentKey,
        String stepId,
        String name,
        String metric,
        String controlArm,
        Instant startedAt,
        int minSample,
        double threshold,
        boolean applyWinner,
        String window,
        Instant endsAt,
        String weights,
        String state,
        String winner,
        Decision decision,
        Instant reviewedAt,
        int looks,
        Long nextLookAt,
        Double nextLookProbability,
        List<ArmView> arms) {

    /**
     * A winner decision, with the figures per arm it was made on.
     *
     * @param applied whether new entries took the winner (until undone)
     */
    public record Decision(
            String arm,
            Instant decidedAt,
            Double probabilityToBeBest,
            JsonNode figures,
            boolean applied,
            Instant undoneAt,
            String undoneBy) {}

    /**
     * One arm's figures.
     *
     * @param outcomes journeys with the experiment's metric (converted, opened or clicked)
     * @param rate outcomes / assigned (0 with nobody assigned)
     * @param probabilityToBeBest null for an arm without journeys
     * @param upliftVsControl (rate − control's rate) / control's rate; null for the control arm, without one,
     *     or when the control's rate is 0
     */
    public record ArmView(
            String arm,
            int weight,
            boolean control,
            long assigned,
            long reached,
            long outcomes,
            double rate,
            double revenuePerJourney,
            Double probabilityToBeBest,
            Interval interval,
            Double upliftVsControl) {}

    /** The 95 % central credible interval of the rate (Beta posterior). */
    public record Interval(double low, double high) {}
}
