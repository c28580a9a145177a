package io.loyalflow.campaign;

import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.loyalflow.journey.AdvocateReferralProcess;
import io.loyalflow.journey.SatisfactionSurveyProcess;
import io.loyalflow.journey.ValueSegmentUpgradeProcess;
import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.messaging.MessagingIntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Campaigns are refused with every problem named, and a refusal changes nothing stored. */
class CampaignActivationTest extends MessagingIntegrationTest {

    private String draft(String template, Map<String, Object> settings) {
        String id = "c-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of("id", id, "name", "Campaign " + id, "template", template, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201)
                .body("state", equalTo("DRAFT"));
        return id;
    }

    @Test
    void activationListsEveryProblemAndTheCampaignStaysADraft() {
        senderVerified(false);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(),
                        Map.of("templateId", TEMPLATE),
                        "Task_Nope",
                        Map.of("smsText", "hello")));
        settings.put("waits", Map.of("foreverWait", "P1D"));
        String id = draft(WinBackProcess.KEY, settings);

        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body(
                        "errors.field",
                        containsInAnyOrder(
                                "settings.audience",
                                "settings.messages.Task_SendOfferSms",
                                "settings.messages.Task_Nope",
                                "settings.waits.foreverWait",
                                "settings.sender.email"));
        as(ANALYST).get("/api/campaigns/{id}", id).then().statusCode(200).body("state", equalTo("DRAFT"));

        // fixed: activates
        senderVerified(true);
        settings.put("audience", Map.of("segment", "win-back"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_OFFER_EMAIL.id(),
                        Map.of("templateId", TEMPLATE),
                        TASK_SEND_OFFER_SMS.id(),
                        Map.of("smsText", "{{firstName}}, come back")));
        settings.remove("waits");
        as(ANALYST)
                .body(Map.of("name", "Fixed", "template", WinBackProcess.KEY, "settings", settings))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(200)
                .body("revision", equalTo(2));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));

        // an active campaign cannot take settings that could not run
        settings.put("messages", Map.of(TASK_SEND_OFFER_EMAIL.id(), Map.of("templateId", TEMPLATE)));
        as(ANALYST)
                .body(Map.of("name", "Broken", "template", WinBackProcess.KEY, "settings", settings))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("settings.messages.Task_SendOfferSms"));
        as(ANALYST)
                .get("/api/campaigns/{id}", id)
                .then()
                .body("revision", equalTo(2))
                .body("name", equalTo("Fixed"));

        as(ANALYST).post("/api/campaigns/{id}/pause", id).then().statusCode(200).body("state", equalTo("PAUSED"));
        as(ANALYST)
                .post("/api/campaigns/{id}/archive", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ARCHIVED"));
        as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(409);
    }

    @Test
    void aTemplateThatIsNotDeployedAndAnUnknownSegmentAreNamed() {
        senderVerified(true);
        String id = draft(
                "no-such-process",
                Map.of("audience", Map.of("segment", "no-such-segment"), "trigger", Map.of("type", "SEGMENT_ENTERED")));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder("template", "settings.audience.segment"));
    }

    @Test
    void badSettingsAreRefusedAtCreationWithTheirPathsAndNothingIsStored() {
        String id = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        id,
                        "name",
                        "Bad",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of(
                                "messages", Map.of(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "Hi {{nickname}}")),
                                "trigger", Map.of("type", "RECURRING"),
                                "waits", Map.of("orderWait", "two weeks"),
                                "reentry", Map.of("policy", "EVERY_N_DAYS"),
                                "colour", "blue")))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body(
                        "errors.field",
                        hasItems(
                                "settings.messages.Task_SendOfferSms.smsText",
                                "settings.trigger.every",
                                "settings.waits.orderWait",
                                "settings.reentry.days",
                                "settings.colour"));
        as(ANALYST).get("/api/campaigns/{id}", id).then().statusCode(404);
        as(ANALYST)
                .body(Map.of("id", "Not An Id", "name", "x", "template", WinBackProcess.KEY))
                .post("/api/campaigns")
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("id"));
    }

    /** Complete value-segment-upgrade settings but for the reminder split's weights. */
    private static Map<String, Object> upgradeSettings(String arms) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example"));
        settings.put(
                "messages",
                Map.of(
                        TASK_SEND_CONGRATULATION.id(),
                        Map.of("templateId", TEMPLATE),
                        ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL.id(),
                        Map.of("templateId", TEMPLATE),
                        ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS.id(),
                        Map.of("smsText", "Welcome to your new tier"),
                        TASK_SEND_SURVEY.id(),
                        Map.of("templateId", TEMPLATE)));
        settings.put("followUp", SatisfactionSurveyProcess.KEY);
        if (arms != null) {
            settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), arms));
        }
        return settings;
    }

    @Test
    void armWeightsThatDoNotMatchTheBranchesAfterTheSplitAreRefusedNamingTheStep() {
        senderVerified(true);
        String field = "settings.arms.Task_SplitReminder";
        // an unknown arm with a weight, and the branch of arm B left without one
        String id = draft(ValueSegmentUpgradeProcess.KEY, upgradeSettings("A:50, C:50"));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body("errors.field", containsInAnyOrder(field, field))
                .body(
                        "errors.message",
                        containsInAnyOrder(
                                "the A/B split 'Choose the reminder channel (A/B)' (Task_SplitReminder) has no branch for arm C: its "
                                        + "gateway routes A, B, CONTROL",
                                "the A/B split 'Choose the reminder channel (A/B)' (Task_SplitReminder) routes arm B, which the weights "
                                        + "A:50, C:50 leave out: give it a weight (0 keeps it closed) or remove its branch"));
        as(ANALYST).get("/api/campaigns/{id}", id).then().body("state", equalTo("DRAFT"));

        // an arm without a branch, even a closed one
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "Closed C",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        upgradeSettings("A:50, B:50, C:0")))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(200);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(java.util.List.of(field)))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("has no branch for arm C"));

        // the arms of another split (advocate-referral's incentive test) are checked the same way
        String advocate = draft(
                AdvocateReferralProcess.KEY,
                Map.of("arms", Map.of(TASK_SPLIT_INCENTIVE.id(), "VOUCHER:50, REMINDER:50")));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", advocate)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("settings.arms.Task_SplitIncentive"))
                .body(
                        "errors.message",
                        hasItems(org.hamcrest.Matchers.containsString("has no branch for arm REMINDER")));

        // weights naming exactly the routed arms activate, and so do the template's own (A:50, B:50)
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "Fixed",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        upgradeSettings("A:0, B:100")))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(200);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        // an active campaign cannot take them back
        as(ANALYST)
                .body(Map.of(
                        "name",
                        "Broken",
                        "template",
                        ValueSegmentUpgradeProcess.KEY,
                        "settings",
                        upgradeSettings("A:50, SMS:50")))
                .put("/api/campaigns/{id}", id)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems(field));
        String defaults = draft(ValueSegmentUpgradeProcess.KEY, upgradeSettings(null));
        as(ANALYST).post("/api/campaigns/{id}/activate", defaults).then().statusCode(200);
    }

    @Test
    void aTemplateWhoseSplitGatewayHasADefaultBranchIsRefused() {
        processEngine
                .getRepositoryService()
                .createDeployment()
                .name("split-with-default-test")
                .enableDuplicateFiltering(true)
                .addClasspathResource("campaign/split-with-default-test.bpmn")
                .deploy();
        String id = draft("split-with-default-test", Map.of("trigger", Map.of("type", "API_ONLY")));
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(java.util.List.of("template", "settings.arms.Task_Split")))
                .body(
                        "errors[1].message",
                        equalTo("the A/B split 'Split' (Task_Split) has no branch for arm B: its gateway "
                                + "routes A"))
                .body(
                        "errors[0].message",
                        equalTo("the A/B split 'Split' (Task_Split): the gateway 'Arm?' (Gateway_Arm) has "
                                + "a default branch ('B' (Flow_ArmB)): an arm without a branch of its own would take it; give that "
                                + "branch a condition such as ${arm == 'B'} and remove the default"));
    }
}
