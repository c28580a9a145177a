package io.loyalflow.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The best-customer settings: variant and audience, the e-mail series and what it inherits, smart send, team task. */
class CampaignSettingsBestCustomerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T1 = "d-" + "1".repeat(32);
    private static final String T2 = "d-" + "2".repeat(32);
    private static final String T3 = "d-" + "3".repeat(32);

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
    void theVariantPicksTheEntrySegmentAndTrigger() {
        CampaignSettings standard = parse("{\"variant\": \"STANDARD\"}");
        assertThat(standard.audience().segment()).isEqualTo("best-customers");
        assertThat(standard.trigger().type()).isEqualTo(CampaignSettings.TriggerType.SEGMENT_ENTERED);

        CampaignSettings predictive = parse("""
        {"variant": "PREDICTIVE", "audience": {"conditions": {"field": "emailConsent", "op": "eq", "value": true}},
         "trigger": {"type": "SEGMENT_ENTERED"}}""");
        assertThat(predictive.audience().segment()).isEqualTo("best-customers-predictive");
        assertThat(predictive.audience().conditions()).isNotNull();
        // the stored form names the segment, so a revision reads the same without knowing the rule
        assertThat(predictive.toJson().path("audience").path("segment").asText())
                .isEqualTo("best-customers-predictive");
        assertThat(predictive.toJson().path("variant").asText()).isEqualTo("PREDICTIVE");
        assertThat(parse(predictive.toJson().toString())).isEqualTo(predictive);

        assertThat(parse("{\"variant\": \"STANDARD\", \"audience\": {\"segment\": \"best-customers\"}}")
                        .audience()
                        .segment())
                .isEqualTo("best-customers");
    }

    @Test
    void aSegmentOrTriggerContradictingTheVariantIsRefusedNamingTheField() {
        List<FieldViolation> refused = violations("""
        {"variant": "PREDICTIVE", "audience": {"segment": "best-customers"}, "trigger": {"type": "RECURRING", "every": "P1D"}}""");
        assertThat(refused)
                .extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("settings.audience.segment", "settings.trigger.type");
        assertThat(refused.get(0).message()).contains("best-customers-predictive");
        assertThat(faults("{\"variant\": \"GOLDEN\"}")).containsExactly("settings.variant");
        // without a variant nothing changes: an audience still needs its segment
        assertThat(faults("{\"audience\": {}}")).containsExactly("settings.audience.segment");
        assertThat(parse("{}").audience()).isNull();
    }

    @Test
    void laterEmailsInheritSenderTemplateDataAndSmartSendFromEmailOne() {
        CampaignSettings settings = parse("""
        {"sender": {"email": "offers@shop.example", "name": "The Shop"},
         "series": [
           {"templateId": "%s", "after": "P0D", "sender": {"email": "founder@shop.example", "name": "Jo Founder"},
            "templateData": {"color": "gold", "signature": "Jo", "logo": "big"}, "smartSend": true},
           {"templateId": "%s", "after": "P7D", "templateData": {"signature": "Jo, again", "logo": null}},
           {"templateId": "%s", "after": "P14D", "sender": {"email": "vp@shop.example"}, "smartSend": false}
         ]}""".formatted(T1, T2, T3));

        CampaignSettings.ResolvedEmail first = settings.seriesEmail(0);
        assertThat(first.sender()).isEqualTo(new CampaignSettings.Sender("founder@shop.example", "Jo Founder"));
        assertThat(first.senderField()).isEqualTo("settings.series[0].sender");
        assertThat(first.smartSend()).isTrue();

        CampaignSettings.ResolvedEmail second = settings.seriesEmail(1);
        assertThat(second.templateId()).isEqualTo(T2);
        assertThat(second.after()).isEqualTo("P7D");
        assertThat(second.sender()).isEqualTo(first.sender());
        assertThat(second.senderField()).isEqualTo("settings.series[0].sender");
        assertThat(second.templateData()).isEqualTo(read("{\"color\": \"gold\", \"signature\": \"Jo, again\"}"));
        assertThat(second.smartSend()).isTrue();

        CampaignSettings.ResolvedEmail third = settings.seriesEmail(2);
        // the sender is inherited whole or not at all: the VP's address never goes out under the founder's name
        assertThat(third.sender()).isEqualTo(new CampaignSettings.Sender("vp@shop.example", null));
        assertThat(third.templateData())
                .isEqualTo(read("{\"color\": \"gold\", \"signature\": \"Jo\", \"logo\": \"big\"}"));
        assertThat(third.smartSend()).isFalse();

        assertThatThrownBy(() -> settings.seriesEmail(3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(parse(settings.toJson().toString())).isEqualTo(settings);
    }

    @Test
    void emailOneWithoutSenderGoesFromTheCampaignSenderElseTheConfiguredOne() {
        CampaignSettings withSender = parse("""
        {"sender": {"email": "offers@shop.example"}, "series": [{"templateId": "%s", "after": "P1D"},
         {"templateId": "%s", "after": "P1D"}]}""".formatted(T1, T2));
        assertThat(withSender.seriesEmail(1).sender().email()).isEqualTo("offers@shop.example");
        assertThat(withSender.seriesEmail(1).senderField()).isEqualTo("settings.sender");
        assertThat(withSender.seriesEmail(1).templateData()).isNull();
        assertThat(withSender.seriesEmail(1).smartSend()).isFalse();

        CampaignSettings configured =
                parse("{\"series\": [{\"templateId\": \"%s\", \"after\": \"P1D\"}]}".formatted(T1));
        assertThat(configured.seriesEmail(0).sender()).isNull();
        assertThat(configured.seriesEmail(0).senderField()).isNull();
    }

    @Test
    void everyFaultOfTheSeriesIsNamedByItsPath() {
        assertThat(faults("""
        {"series": [
          {"templateId": "welcome", "after": "-P1D", "sender": {"email": "nobody"}, "smartSend": "yes", "subject": "Hi"},
          {"after": "P1W", "templateData": {"x": "{{fistName}}"}},
          {"after": "p3d"},
          "P3D"
        ],
         "smartSend": {"fallbackHour": 24}, "teamTask": {"candidateGroup": "team lead"}}"""))
                .containsExactlyInAnyOrder(
                        "settings.series[0].templateId",
                        "settings.series[0].after",
                        "settings.series[0].sender.email",
                        "settings.series[0].smartSend",
                        "settings.series[0].subject",
                        "settings.series[1].after",
                        "settings.series[1].templateData",
                        "settings.series[2].after",
                        "settings.series[3]",
                        "settings.smartSend.fallbackHour",
                        "settings.teamTask.title",
                        "settings.teamTask.candidateGroup");
        assertThat(faults("{\"series\": {\"templateId\": \"x\"}}")).containsExactly("settings.series");
        assertThat(faults("{\"smartSend\": {\"fallbackHour\": 9.5}}"))
                .containsExactly("settings.smartSend.fallbackHour");
        assertThat(faults("{\"smartSend\": {}}")).containsExactly("settings.smartSend.fallbackHour");
        assertThat(faults("{\"series\": [" + "{},".repeat(CampaignSettings.MAX_SERIES) + "{}]}"))
                .containsExactly("settings.series");
    }

    @Test
    void aDraftSeriesMayBeIncompleteUntilActivation() {
        CampaignSettings draft =
                parse("{\"series\": [{\"after\": \"P0D\"}, {}], \"smartSend\": {\"fallbackHour\": 0}}");
        assertThat(draft.series()).hasSize(2);
        assertThat(draft.seriesEmail(1).templateId()).isNull();
        assertThat(draft.smartSend().fallbackHour()).isZero();
    }

    @Test
    void theTeamTaskDefaultsToTheTeamGroup() {
        CampaignSettings settings =
                parse("{\"teamTask\": {\"title\": \"Call this customer\", \"description\": \"Thank them\"}}");
        assertThat(settings.teamTask().group()).isEqualTo("loyalflow-team");
        assertThat(settings.toJson().path("teamTask").has("candidateGroup")).isFalse();
        assertThat(parse("{\"teamTask\": {\"title\": \"Send a signed book\", \"candidateGroup\": \"store-managers\"}}")
                        .teamTask()
                        .group())
                .isEqualTo("store-managers");
    }

    @Test
    void settingsWithoutTheNewKeysKeepTheirStoredForm() {
        CampaignSettings plain = parse("{\"audience\": {\"segment\": \"win-back\"}}");
        assertThat(plain.toJson().has("variant")).isFalse();
        assertThat(plain.toJson().has("series")).isFalse();
        assertThat(plain.toJson().has("smartSend")).isFalse();
        assertThat(plain.toJson().has("teamTask")).isFalse();
        assertThat(plain.series()).isEmpty();
    }
}
