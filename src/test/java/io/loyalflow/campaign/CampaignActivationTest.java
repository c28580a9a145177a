package io.loyalflow.campaign;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.loyalflow.messaging.MessagingIntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Campaigns are refused with every problem named, and a refusal changes nothing stored. */
class CampaignActivationTest extends MessagingIntegrationTest {

  private String draft(String template, Map<String, Object> settings) {
    String id = "c-" + UUID.randomUUID().toString().substring(0, 8);
    as(ANALYST).body(Map.of("id", id, "name", "Campaign " + id, "template", template, "settings", settings))
        .post("/api/campaigns").then().statusCode(201).body("state", equalTo("DRAFT"));
    return id;
  }

  @Test
  void activationListsEveryProblemAndTheCampaignStaysADraft() {
    senderVerified(false);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
    settings.put("sender", Map.of("email", "offers@shop.example"));
    settings.put("messages", Map.of("Task_SendOfferEmail", Map.of("templateId", TEMPLATE),
        "Task_Nope", Map.of("smsText", "hello")));
    settings.put("waits", Map.of("foreverWait", "P1D"));
    String id = draft("win-back", settings);

    as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(422)
        .body("errors.field", containsInAnyOrder("settings.audience", "settings.messages.Task_SendOfferSms",
            "settings.messages.Task_Nope", "settings.waits.foreverWait", "settings.sender.email"));
    as(ANALYST).get("/api/campaigns/{id}", id).then().statusCode(200).body("state", equalTo("DRAFT"));

    // fixed: activates
    senderVerified(true);
    settings.put("audience", Map.of("segment", "win-back"));
    settings.put("messages", Map.of("Task_SendOfferEmail", Map.of("templateId", TEMPLATE),
        "Task_SendOfferSms", Map.of("smsText", "{{firstName}}, come back")));
    settings.remove("waits");
    as(ANALYST).body(Map.of("name", "Fixed", "template", "win-back", "settings", settings))
        .put("/api/campaigns/{id}", id).then().statusCode(200).body("revision", equalTo(2));
    as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(200).body("state", equalTo("ACTIVE"));

    // an active campaign cannot take settings that could not run
    settings.put("messages", Map.of("Task_SendOfferEmail", Map.of("templateId", TEMPLATE)));
    as(ANALYST).body(Map.of("name", "Broken", "template", "win-back", "settings", settings))
        .put("/api/campaigns/{id}", id).then().statusCode(422)
        .body("errors.field", hasItems("settings.messages.Task_SendOfferSms"));
    as(ANALYST).get("/api/campaigns/{id}", id).then().body("revision", equalTo(2)).body("name", equalTo("Fixed"));

    as(ANALYST).post("/api/campaigns/{id}/pause", id).then().statusCode(200).body("state", equalTo("PAUSED"));
    as(ANALYST).post("/api/campaigns/{id}/archive", id).then().statusCode(200).body("state", equalTo("ARCHIVED"));
    as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(409);
  }

  @Test
  void aTemplateThatIsNotDeployedAndAnUnknownSegmentAreNamed() {
    senderVerified(true);
    String id = draft("no-such-process", Map.of("audience", Map.of("segment", "no-such-segment"),
        "trigger", Map.of("type", "SEGMENT_ENTERED")));
    as(ANALYST).post("/api/campaigns/{id}/activate", id).then().statusCode(422)
        .body("errors.field", containsInAnyOrder("template", "settings.audience.segment"));
  }

  @Test
  void badSettingsAreRefusedAtCreationWithTheirPathsAndNothingIsStored() {
    String id = "bad-" + UUID.randomUUID().toString().substring(0, 8);
    as(ANALYST).body(Map.of("id", id, "name", "Bad", "template", "win-back", "settings", Map.of(
            "messages", Map.of("Task_SendOfferSms", Map.of("smsText", "Hi {{nickname}}")),
            "trigger", Map.of("type", "RECURRING"),
            "waits", Map.of("orderWait", "two weeks"),
            "reentry", Map.of("policy", "EVERY_N_DAYS"),
            "colour", "blue")))
        .post("/api/campaigns").then().statusCode(422)
        .body("errors.field", hasItems("settings.messages.Task_SendOfferSms.smsText", "settings.trigger.every",
            "settings.waits.orderWait", "settings.reentry.days", "settings.colour"));
    as(ANALYST).get("/api/campaigns/{id}", id).then().statusCode(404);
    as(ANALYST).body(Map.of("id", "Not An Id", "name", "x", "template", "win-back")).post("/api/campaigns")
        .then().statusCode(422).body("errors.field", hasItems("id"));
  }
}
