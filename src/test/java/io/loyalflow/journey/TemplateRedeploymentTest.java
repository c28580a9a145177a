package io.loyalflow.journey;

import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An analyst changes the win-back template in Camunda Modeler and deploys it (the engine REST API):
 * customers who enter afterwards run the new version, a journey already inside stays on its version
 * to the end. Runs in a JVM of its own ("isolated"): Camunda's REST API finds its engine in a static
 * registry, which the first Spring context of a shared test JVM would own.
 */
@Tag("isolated")
class TemplateRedeploymentTest extends IntegrationTest {

    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");

    @Autowired
    RuntimeService runtime;

    @Autowired
    ManagementService management;

    @Autowired
    RepositoryService repository;

    @Test
    void newEntriesRunTheRedeployedTemplateAndRunningJourneysKeepTheirVersion() throws Exception {
        clock.set(NOW);
        String campaign = "win-back-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Win them back",
                        "template",
                        WinBackProcess.KEY,
                        "settings",
                        Map.of(
                                "trigger", Map.of("type", "API_ONLY"),
                                "sender", Map.of("email", "offers@shop.example", "name", "The Shop"),
                                "messages",
                                        Map.of(
                                                TASK_SEND_OFFER_EMAIL.id(),
                                                Map.of("templateId", "d-0123456789abcdef0123456789abcdef"),
                                                TASK_SEND_OFFER_SMS.id(),
                                                Map.of("smsText", "15% off your next order: BACK15")),
                                "reentry", Map.of("policy", "AFTER_EXIT"))))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);
        int shipped = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(WinBackProcess.KEY)
                .latestVersion()
                .singleResult()
                .getVersion();

        ProcessInstance before = enroll(campaign, customer());
        runJobs(before);
        assertThat(timerDue(before)).isEqualTo(NOW.plus(Duration.ofDays(14)));

        String original = Files.readString(Path.of("bpmn/win-back.bpmn"));
        String shorterWait = original.replace("'orderWait', 'P14D'", "'orderWait', 'P10D'");
        assertThat(shorterWait).isNotEqualTo(original);
        deployAsModeler(shorterWait);
        assertThat(repository
                        .createProcessDefinitionQuery()
                        .processDefinitionKey(WinBackProcess.KEY)
                        .latestVersion()
                        .singleResult()
                        .getVersion())
                .isEqualTo(shipped + 1);

        ProcessInstance after = enroll(campaign, customer());
        runJobs(after);
        assertThat(version(after)).isEqualTo(shipped + 1);
        assertThat(timerDue(after)).isEqualTo(NOW.plus(Duration.ofDays(10)));

        assertThat(version(before)).isEqualTo(shipped);
        assertThat(timerDue(before))
                .as("the journey inside keeps its version's wait")
                .isEqualTo(NOW.plus(Duration.ofDays(14)));
        as(SERVICE)
                .get("/api/customers/{id}/journeys", customerOf(before))
                .then()
                .statusCode(200)
                .body("[0].templateVersion", org.hamcrest.Matchers.equalTo(shipped));
    }

    private String customerOf(ProcessInstance journey) {
        return (String) runtime.getVariable(journey.getId(), CUSTOMER_ID.name());
    }

    private String customer() {
        String id = "c-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of(
                        "email",
                        id + "@example.com",
                        "firstName",
                        "Ann",
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_IN",
                                        "source",
                                        "checkout",
                                        "statedAt",
                                        "2025-01-01T00:00:00Z"))))
                .put("/api/customers/{id}", id)
                .then()
                .statusCode(201);
        return id;
    }

    private ProcessInstance enroll(String campaign, String customerId) {
        String instance = as(SERVICE)
                .body(Map.of("customerId", customerId))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201)
                .extract()
                .path("processInstanceId");
        return runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult();
    }

    private void runJobs(ProcessInstance journey) {
        for (int round = 0; round < 10; round++) {
            List<Job> due = management
                    .createJobQuery()
                    .processInstanceId(journey.getId())
                    .executable()
                    .list();
            if (due.isEmpty()) {
                return;
            }
            due.forEach(job -> management.executeJob(job.getId()));
        }
    }

    private Instant timerDue(ProcessInstance journey) {
        return management
                .createJobQuery()
                .processInstanceId(journey.getId())
                .timers()
                .singleResult()
                .getDuedate()
                .toInstant();
    }

    private int version(ProcessInstance journey) {
        String definition = runtime.createProcessInstanceQuery()
                .processInstanceId(journey.getId())
                .singleResult()
                .getProcessDefinitionId();
        return repository.getProcessDefinition(definition).getVersion();
    }

    /** What Camunda Modeler sends when an analyst clicks "Deploy". */
    private void deployAsModeler(String bpmn) {
        as(ADMIN)
                .contentType("multipart/form-data")
                .multiPart("deployment-name", WinBackProcess.KEY)
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart("deploy-changed-only", "true")
                .multiPart(
                        "win-back.bpmn",
                        "win-back.bpmn",
                        bpmn.getBytes(StandardCharsets.UTF_8),
                        "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(200);
    }
}
