package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/** Provider failures: retries through the job retry cycle, incidents, permanent refusals, races and crashes. */
class EmailFailuresTest extends MessagingIntegrationTest {

    @Test
    void a503IsRetriedAlongTheRetryCycleThenBecomesAnIncidentAnOperatorCanRetry() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("busy@example.com", null, null, true, false);
        sendGridAnswers(503, "{\"errors\":[{\"message\":\"Service Unavailable\"}]}");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        Job job = onlyJob(journey.getId());

        int attempts = 0;
        while (runtimeService
                        .createIncidentQuery()
                        .processInstanceId(journey.getId())
                        .count()
                == 0) {
            Job current = managementService.createJobQuery().jobId(job.getId()).singleResult();
            if (current.getDuedate() != null && current.getDuedate().toInstant().isAfter(clock.instant())) {
                clock.set(current.getDuedate().toInstant().plusSeconds(1));
            }
            assertThatThrownBy(() -> managementService.executeJob(job.getId())).hasMessageContaining("503");
            attempts++;
            assertThat(attempts).isLessThan(10);
        }

        assertThat(attempts).isEqualTo(3); // the task's own cycle, R3/PT1M
        assertThat(sendGridRequests()).isEqualTo(3);
        Incident incident = runtimeService
                .createIncidentQuery()
                .processInstanceId(journey.getId())
                .singleResult();
        assertThat(incident.getActivityId()).isEqualTo("Task_SendOffer");
        assertThat(incident.getIncidentMessage()).contains("nothing was sent");
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsEntry("status", "RETRYABLE").containsEntry("attempts", 3));

        sendGridAccepts("sg-after-incident");
        managementService.setJobRetries(job.getId(), 1);
        managementService.executeJob(job.getId());

        assertThat(sendGridRequests()).isEqualTo(4);
        assertThat(runtimeService
                        .createIncidentQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("status", "SENT")
                        .containsEntry("attempts", 4)
                        .containsEntry("provider_message_id", "sg-after-incident"));
    }

    @Test
    void anInvalidAddressFailsTheDeliverySuppressesItAndTheJourneyTakesItsNotDeliveredPath() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z")); // inside the e-mail window in UTC, the customer's zone
        String customer = newCustomer("no-such-mailbox@example.com", null, null, true, false);
        sendGridAnswers(
                400,
                "{\"errors\":[{\"message\":\"Does not contain a valid address.\","
                        + "\"field\":\"personalizations.0.to.0.email\"}]}");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());

        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed("EndEvent_NotDelivered");
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(
                        row -> assertThat(row).containsEntry("status", "FAILED").containsEntry("counted", false));
        assertThat(jdbc.queryForObject(
                        "select reason from suppression where channel = 'email' and address = ?",
                        String.class,
                        "no-such-mailbox@example.com"))
                .isEqualTo("HARD_BOUNCE");
    }

    @Test
    void aReadTimeoutIsRecordedUnknownAndNeverResent() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z")); // inside the e-mail window in UTC, the customer's zone
        String customer = newCustomer("slow@example.com", null, null, true, false);
        PROVIDERS.stubFor(post(urlEqualTo(SENDGRID_SEND))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("X-Message-Id", "too-late")
                        .withFixedDelay(7000)));
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());

        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt("Gateway_Opened"); // UNKNOWN goes on like SENT: it may have arrived
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsEntry("status", "UNKNOWN").containsEntry("counted", true));
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void aSendInterruptedBeforeItsOutcomeWasRecordedIsUnknownOnRetryNotResent() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("interrupted@example.com", null, null, true, false);
        sendGridAccepts("sg-interrupted");
        crashSwitch.on();
        ProcessInstance journey =
                runtimeService.startProcessInstanceByKey("send-then-fail-test", Map.of(CUSTOMER_ID.name(), customer));
        Job job = onlyJob(journey.getId());
        assertThatThrownBy(() -> managementService.executeJob(job.getId())).hasMessageContaining("simulated crash");
        // as if the node had died between the provider's answer and recording it
        jdbc.update(
                "update delivery set status = 'SENDING', provider_message_id = null where process_instance_id = ?",
                journey.getId());
        crashSwitch.off();

        // another node picks the job up while the send may still be under way: it must not send
        assertThatThrownBy(() -> managementService.executeJob(job.getId())).isInstanceOf(SendInProgressException.class);
        clock.advance(Duration.ofMinutes(10));
        managementService.setJobRetries(job.getId(), 1);
        managementService.executeJob(job.getId());

        assertThat(journey).isEnded();
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "UNKNOWN"));
    }

    @Test
    void twoExecutionsOfTheSameStepAtOnceSendOneMessage() throws Exception {
        clock.set(Instant.parse("2026-06-01T10:00:00Z")); // inside the e-mail window in UTC, the customer's zone
        String customer = newCustomer("race@example.com", null, null, true, false);
        PROVIDERS.stubFor(post(urlEqualTo(SENDGRID_SEND))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("X-Message-Id", "sg-race")
                        .withFixedDelay(500)));
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        Job job = onlyJob(journey.getId());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Throwable>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(pool.submit(() -> {
                start.await();
                try {
                    managementService.executeJob(job.getId());
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }));
        }
        start.countDown();
        List<Throwable> failures = new ArrayList<>();
        for (Future<Throwable> run : runs) {
            Throwable failure = run.get();
            if (failure != null) {
                failures.add(failure);
            }
        }
        pool.shutdown();

        assertThat(sendGridRequests()).isEqualTo(1);
        // The loser is told the step is being sent; its failure can also make the winner's job commit lose the
        // engine's optimistic lock. Either way the message went out once, and the job's retry goes on without sending.
        assertThat(failures).isNotEmpty().anySatisfy(e -> assertThat(e).isInstanceOf(SendInProgressException.class));
        clock.advance(Duration.ofMinutes(5));
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(deliveriesOf(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "SENT"));
    }
}
