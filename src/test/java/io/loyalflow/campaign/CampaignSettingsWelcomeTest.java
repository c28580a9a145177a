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
 * The welcome programme's triggers in campaign settings: FIRST_ORDER with its first-order age limit,
 * NEW_PROFILE, re-entry ONCE filled in and anything else refused at {@code settings.reentry}; the stored form.
 * {@code WelcomeJourneyTest} covers the template's own default (FIRST_ORDER when the trigger is left out).
 */
class CampaignSettingsWelcomeTest {

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

    @Test
    void aFirstOrderTriggerEntersOnceAndTakesThreeDaysOldFirstOrdersUnlessTheCampaignSays() {
        CampaignSettings settings = parse("{\"trigger\": {\"type\": \"FIRST_ORDER\"}}");
        assertThat(settings.reentry().policy()).isEqualTo(CampaignSettings.ReentryPolicy.ONCE);
        assertThat(settings.trigger().firstOrderMaxAgeOrDefault()).isEqualTo(Duration.ofDays(3));
        assertThat(settings.trigger().type().welcomesNewCustomers()).isTrue();

        CampaignSettings oneDay = parse("{\"trigger\": {\"type\": \"FIRST_ORDER\", \"firstOrderMaxAge\": \"PT36H\"}}");
        assertThat(oneDay.trigger().firstOrderMaxAgeOrDefault()).isEqualTo(Duration.ofHours(36));
        assertThat(parse(oneDay.toJson().toString())).isEqualTo(oneDay);
        assertThat(oneDay.toJson().path("reentry").path("policy").asText()).isEqualTo("ONCE");
    }

    @Test
    void aNewProfileTriggerEntersOnceAndTakesNoAgeLimit() {
        CampaignSettings settings =
                parse("{\"trigger\": {\"type\": \"NEW_PROFILE\"}, \"reentry\": {\"policy\": \"ONCE\"}}");
        assertThat(settings.reentry().policy()).isEqualTo(CampaignSettings.ReentryPolicy.ONCE);
        assertThat(faults("{\"trigger\": {\"type\": \"NEW_PROFILE\", \"firstOrderMaxAge\": \"P3D\"}}"))
                .containsExactly("settings.trigger.firstOrderMaxAge");
        assertThat(faults(
                        "{\"trigger\": {\"type\": \"RECURRING\", \"every\": \"P1D\", \"firstOrderMaxAge\": \"P3D\"}}"))
                .containsExactly("settings.trigger.firstOrderMaxAge");
    }

    @Test
    void anotherReentryPolicyOrABadAgeIsRefusedNamingTheSetting() {
        assertThat(faults("{\"trigger\": {\"type\": \"FIRST_ORDER\"}, \"reentry\": {\"policy\": \"AFTER_EXIT\"}}"))
                .containsExactly("settings.reentry");
        assertThat(
                        faults(
                                "{\"trigger\": {\"type\": \"NEW_PROFILE\"}, \"reentry\": {\"policy\": \"EVERY_N_DAYS\", \"days\": 30}}"))
                .containsExactly("settings.reentry");
        assertThat(faults("{\"trigger\": {\"type\": \"FIRST_ORDER\", \"firstOrderMaxAge\": \"PT30S\"}}"))
                .containsExactly("settings.trigger.firstOrderMaxAge");
        assertThat(faults("{\"trigger\": {\"type\": \"FIRST_ORDER\", \"firstOrderMaxAge\": \"soon\"}}"))
                .containsExactly("settings.trigger.firstOrderMaxAge");
        // other triggers keep their default policy
        assertThat(parse("{}").reentry().policy()).isEqualTo(CampaignSettings.ReentryPolicy.AFTER_EXIT);
    }
}
