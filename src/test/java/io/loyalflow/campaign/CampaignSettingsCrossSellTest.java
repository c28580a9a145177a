package io.loyalflow.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cross-sell's trigger ORDER_PLACED in campaign settings: its order age limit (default P3D), the stored form,
 * and the rules activation applies: ORDER_PLACED enters the cross-sell template only and the template nothing
 * else, and its wait without purchase data lies between its shortest and longest wait. {@code CrossSellJourneyTest}
 * covers the template's own default (ORDER_PLACED when the trigger is left out).
 */
class CampaignSettingsCrossSellTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static CampaignSettings parse(String json) {
        Violations violations = new Violations();
        CampaignSettings settings = CampaignSettings.parse(read(json), "settings", violations);
        assertThat(violations.list()).as("violations of " + json).isEmpty();
        return settings;
    }

    private static List<String> faults(String json) {
        Violations violations = new Violations();
        CampaignSettings.parse(read(json), "settings", violations);
        return violations.list().stream().map(FieldViolation::field).toList();
    }

    private static List<String> entryFaults(String template, String json) {
        Violations violations = new Violations();
        ActivationChecks.checkOrderEntry(template, parse(json), violations);
        return violations.list().stream().map(FieldViolation::field).toList();
    }

    @Test
    void anOrderTriggerTakesThreeDaysOldOrdersUnlessTheCampaignSaysAndReentersAfterExit() {
        CampaignSettings settings = parse("{\"trigger\": {\"type\": \"ORDER_PLACED\"}}");
        assertThat(settings.trigger().orderMaxAgeOrDefault()).isEqualTo(Duration.ofDays(3));
        assertThat(settings.reentry().policy()).isEqualTo(CampaignSettings.ReentryPolicy.AFTER_EXIT);
        assertThat(settings.trigger().type().enteredBySchedule()).isFalse();

        CampaignSettings day = parse("{\"trigger\": {\"type\": \"ORDER_PLACED\", \"orderMaxAge\": \"P1D\"}}");
        assertThat(day.trigger().orderMaxAgeOrDefault()).isEqualTo(Duration.ofDays(1));
        assertThat(day.toJson().path("trigger").path("orderMaxAge").asText()).isEqualTo("P1D");
        assertThat(parse(day.toJson().toString())).isEqualTo(day);
    }

    @Test
    void anAgeLimitOnAnotherTriggerOrABadOneIsRefusedNamingTheSetting() {
        assertThat(faults("{\"trigger\": {\"type\": \"FIRST_ORDER\", \"orderMaxAge\": \"P3D\"}}"))
                .containsExactly("settings.trigger.orderMaxAge");
        assertThat(faults("{\"trigger\": {\"type\": \"ORDER_PLACED\", \"orderMaxAge\": \"PT30S\"}}"))
                .containsExactly("settings.trigger.orderMaxAge");
        assertThat(faults("{\"trigger\": {\"type\": \"ORDER_PLACED\", \"orderMaxAge\": \"soon\"}}"))
                .containsExactly("settings.trigger.orderMaxAge");
        assertThat(faults("{\"trigger\": {\"type\": \"ORDER_PLACED\", \"firstOrderMaxAge\": \"P3D\"}}"))
                .containsExactly("settings.trigger.firstOrderMaxAge");
    }

    @Test
    void orderPlacedEntersTheCrossSellOnlyAndTheCrossSellNothingElse() {
        assertThat(entryFaults("cross-sell", "{\"trigger\": {\"type\": \"ORDER_PLACED\"}}"))
                .isEmpty();
        assertThat(entryFaults("cross-sell", "{\"trigger\": {\"type\": \"RECURRING\", \"every\": \"P1D\"}}"))
                .containsExactly("settings.trigger.type");
        assertThat(entryFaults("win-back", "{\"trigger\": {\"type\": \"ORDER_PLACED\"}}"))
                .containsExactly("settings.trigger.type");
        assertThat(entryFaults("win-back", "{\"trigger\": {\"type\": \"RECURRING\", \"every\": \"P1D\"}}"))
                .isEmpty();
    }

    @Test
    void theWaitWithoutPurchaseDataLiesBetweenTheShortestAndTheLongest() {
        String trigger = "\"trigger\": {\"type\": \"ORDER_PLACED\"}";
        assertThat(entryFaults("cross-sell", "{" + trigger + ", \"waits\": {\"minWait\": \"P7D\"}}"))
                .isEmpty();
        assertThat(entryFaults("cross-sell", "{" + trigger + ", \"waits\": {\"minWait\": \"P20D\"}}"))
                .containsExactly("settings.waits.defaultWait");
        assertThat(entryFaults("cross-sell", "{" + trigger + ", \"waits\": {\"maxWait\": \"P10D\"}}"))
                .containsExactly("settings.waits.defaultWait");
        assertThat(entryFaults(
                        "cross-sell",
                        "{" + trigger + ", \"waits\": {\"minWait\": \"P20D\", \"maxWait\": \"P10D\","
                                + " \"defaultWait\": \"P15D\"}}"))
                .containsExactly("settings.waits.minWait");
        assertThat(entryFaults(
                        "cross-sell",
                        "{" + trigger + ", \"waits\": {\"minWait\": \"P20D\", \"defaultWait\": \"P25D\"}}"))
                .isEmpty();
    }
}
