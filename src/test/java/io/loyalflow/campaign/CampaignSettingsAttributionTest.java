package io.loyalflow.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The campaign report's attribution windows: defaults, bounds, field-named faults, stored form. */
class CampaignSettingsAttributionTest {

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
    void withoutTheSettingTheReportUsesFiveDaysAfterAnEmailAndOneAfterAnSms() {
        CampaignSettings settings = parse("{}");
        assertThat(settings.attribution()).isNull();
        assertThat(settings.attributionOrDefault().email()).isEqualTo(Duration.ofDays(5));
        assertThat(settings.attributionOrDefault().sms()).isEqualTo(Duration.ofDays(1));
        assertThat(settings.toJson().has("attribution")).isFalse();
    }

    @Test
    void theCampaignsWindowsAreKeptAndAWindowLeftOutTakesItsDefault() {
        CampaignSettings settings = parse("{\"attribution\": {\"emailWindow\": \"P7D\", \"smsWindow\": \"PT12H\"}}");
        assertThat(settings.attributionOrDefault().email()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.attributionOrDefault().sms()).isEqualTo(Duration.ofHours(12));
        assertThat(parse(settings.toJson().toString())).isEqualTo(settings);

        CampaignSettings emailOnly = parse("{\"attribution\": {\"emailWindow\": \"P3D\"}}");
        assertThat(emailOnly.attributionOrDefault().smsWindow()).isEqualTo("P1D");
        assertThat(emailOnly.toJson().path("attribution").path("smsWindow").asText())
                .isEqualTo("P1D");
    }

    @Test
    void windowsOutsideTheBoundsOrNotDurationsAreRefusedByName() {
        assertThat(faults("{\"attribution\": {\"emailWindow\": \"P91D\"}}"))
                .containsExactly("settings.attribution.emailWindow");
        assertThat(faults("{\"attribution\": {\"smsWindow\": \"PT30M\"}}"))
                .containsExactly("settings.attribution.smsWindow");
        assertThat(faults("{\"attribution\": {\"smsWindow\": 5}}")).containsExactly("settings.attribution.smsWindow");
        assertThat(faults("{\"attribution\": {\"emailWindow\": \"five days\"}}"))
                .containsExactly("settings.attribution.emailWindow");
        assertThat(faults("{\"attribution\": {\"emailWindow\": \"P" + "1".repeat(50) + "D\"}}"))
                .containsExactly("settings.attribution.emailWindow");
        assertThat(faults("{\"attribution\": {\"pushWindow\": \"P1D\"}}"))
                .containsExactly("settings.attribution.pushWindow");
        assertThat(faults("{\"attribution\": \"P5D\"}")).containsExactly("settings.attribution");
        assertThat(faults("{\"attribution\": {\"emailWindow\": \"P90D\", \"smsWindow\": \"PT1H\"}}"))
                .isEmpty();
    }
}
