package io.loyalflow.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.experiment.ExperimentSetting;
import io.loyalflow.experiment.ExperimentSetting.Metric;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.util.List;
import org.junit.jupiter.api.Test;

/** settings.experiments: per A/B split step, how its experiment is judged; strict, with every fault named. */
class CampaignSettingsExperimentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CampaignSettings parse(String json) {
        Violations violations = new Violations();
        CampaignSettings settings = CampaignSettings.parse(read(json), "settings", violations);
        assertThat(violations.list()).as("violations of " + json).isEmpty();
        return settings;
    }

    private static List<FieldViolation> violations(String json) {
        Violations violations = new Violations();
        CampaignSettings.parse(read(json), "settings", violations);
        return violations.list();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aSplitTheCampaignSaysNothingAboutTakesTheDefaults() {
        CampaignSettings settings = parse("{}");
        assertThat(settings.experiments()).isEmpty();
        assertThat(settings.experiment("Task_SplitReminder")).isEqualTo(ExperimentSetting.DEFAULTS);
        assertThat(ExperimentSetting.DEFAULTS)
                .isEqualTo(new ExperimentSetting(Metric.CONVERSION, 500, 0.95, false, "CONTROL", null));
        assertThat(settings.toJson().has("experiments")).isFalse();
    }

    @Test
    void everyFieldIsReadAndWhatIsLeftOutIsTheDefault() {
        CampaignSettings settings = parse("""
        {"experiments": {
          "Task_SplitReminder": {"metric": "OPEN", "minSample": 1000, "threshold": 0.9, "applyWinner": true,
                                 "controlArm": "HOLDOUT", "window": "P28D"},
          "Task_SplitIncentive": {"applyWinner": true}}}""");
        assertThat(settings.experiment("Task_SplitReminder"))
                .isEqualTo(new ExperimentSetting(Metric.OPEN, 1000, 0.9, true, "HOLDOUT", "P28D"));
        assertThat(settings.experiment("Task_SplitIncentive"))
                .isEqualTo(new ExperimentSetting(Metric.CONVERSION, 500, 0.95, true, "CONTROL", null));
        // stored with every field written out, and read back equal
        CampaignSettings again = parse(settings.toJson().toString());
        assertThat(again.experiments()).isEqualTo(settings.experiments());
        assertThat(settings.toJson()
                        .path("experiments")
                        .path("Task_SplitIncentive")
                        .path("minSample")
                        .asInt())
                .isEqualTo(500);
    }

    @Test
    void eachFaultNamesItsField() {
        List<FieldViolation> faults = violations("""
        {"experiments": {
          "Task_SplitReminder": {"metric": "REVENUE", "minSample": 0, "threshold": 1.0, "applyWinner": "yes",
                                 "controlArm": "no arm!", "window": "P0D", "colour": "red"},
          "Task_SplitIncentive": "A:50",
          "bad id!": {}}}""");
        assertThat(faults)
                .extracting(FieldViolation::field)
                .containsExactlyInAnyOrder(
                        "settings.experiments.Task_SplitReminder.colour",
                        "settings.experiments.Task_SplitReminder.metric",
                        "settings.experiments.Task_SplitReminder.minSample",
                        "settings.experiments.Task_SplitReminder.threshold",
                        "settings.experiments.Task_SplitReminder.applyWinner",
                        "settings.experiments.Task_SplitReminder.controlArm",
                        "settings.experiments.Task_SplitReminder.window",
                        "settings.experiments.Task_SplitIncentive",
                        "settings.experiments.bad id!");
        assertThat(violations("{\"experiments\": {\"Task_SplitReminder\": {\"threshold\": 0.4}}}"))
                .extracting(FieldViolation::message)
                .containsExactly("must be a probability to be best from 0.5 to 0.9999, e.g. 0.95");
        assertThat(violations("{\"experiments\": {\"Task_SplitReminder\": {\"minSample\": 10000001}}}"))
                .extracting(FieldViolation::field)
                .containsExactly("settings.experiments.Task_SplitReminder.minSample");
        assertThat(violations("{\"experiments\": {\"Task_SplitReminder\": {\"window\": \"P99999D\"}}}"))
                .extracting(FieldViolation::field)
                .containsExactly("settings.experiments.Task_SplitReminder.window");
        assertThat(violations("{\"experiments\": []}"))
                .extracting(FieldViolation::field)
                .containsExactly("settings.experiments");
    }
}
