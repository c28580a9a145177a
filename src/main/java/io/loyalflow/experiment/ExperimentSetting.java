package io.loyalflow.experiment;

/**
 * How one A/B split's experiment is judged, as a campaign sets it ({@code settings.experiments.<step id>}).
 *
 * @param metric the outcome the arms are compared on
 * @param minSample the journeys every open arm needs before a winner may be declared
 * @param threshold the probability to be best the winning arm must reach (0.5 to 0.9999)
 * @param applyWinner whether a declared winner takes all new entries (the control arm keeps its share)
 * @param controlArm the name of the holdout arm that sends nothing (when the weights have it)
 * @param window how long the experiment runs from its start (ISO-8601), or null for no end
 */
public record ExperimentSetting(
        Metric metric, int minSample, double threshold, boolean applyWinner, String controlArm, String window) {

    /** The outcome an experiment compares: per journey assigned, whether it converted, opened or clicked. */
    public enum Metric {
        CONVERSION,
        OPEN,
        CLICK
    }

    public static final int DEFAULT_MIN_SAMPLE = 500;
    public static final double DEFAULT_THRESHOLD = 0.95;
    public static final String DEFAULT_CONTROL_ARM = "CONTROL";
    public static final int MAX_MIN_SAMPLE = 10_000_000;
    public static final double MIN_THRESHOLD = 0.5;
    public static final double MAX_THRESHOLD = 0.9999;

    /** What an experiment the campaign says nothing about uses. */
    public static final ExperimentSetting DEFAULTS = new ExperimentSetting(
            Metric.CONVERSION, DEFAULT_MIN_SAMPLE, DEFAULT_THRESHOLD, false, DEFAULT_CONTROL_ARM, null);
}
