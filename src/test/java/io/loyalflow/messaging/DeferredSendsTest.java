package io.loyalflow.messaging;

import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;

/**
 * A deferred message under faults: the provider failing at the opening, consent withdrawn while it
 * waits, the journey deleted or moved on, two nodes sweeping at once, a job that fails after the send,
 * a resumed job that runs only after the window closed, an operator restarting the waiting step. In
 * each, at most one message goes out and no delivery stays DEFERRED with nobody waiting for it.
 */
class DeferredSendsTest extends MessagingIntegrationTest {

    private static final String JOURNEY = "messaging-journey-test";
    private static final String STEP = "Task_SendOffer";
    /** 02:30 and 08:00 in Paris (CEST) on 2 June 2026. */
    private static final Instant NIGHT =
            OffsetDateTime.parse("2026-06-02T02:30:00+02:00").toInstant();

    private static final Instant OPENING =
            OffsetDateTime.parse("2026-06-02T08:00:00+02:00").toInstant();

    /** A Paris customer whose journey's offer e-mail was tried at 02:30: the journey waits at the step. */
    private ProcessInstance waitingJourney(String processKey) {
        clock.set(NIGHT);
        sendGridAccepts("sg-" + UUID.randomUUID());
        String customer =
                newCustomer("deferred-" + UUID.randomUUID() + "@example.com", null, "Europe/Paris", true, false);
        ProcessInstance journey = processKey.equals(JOURNEY)
                ? startJourney(JOURNEY, customer, Map.of())
                : runtimeService.startProcessInstanceByKey(processKey, Map.of(CUSTOMER_ID.name(), customer));
        runDueJobs(journey.getId());
        String step = processKey.equals(JOURNEY) ? STEP : "Task_SendEmail";
        assertThat(journey).isWaitingAt(step);
        assertThat(row(journey)).containsEntry("status", "DEFERRED").containsEntry("gate_decision", "QUIET_HOURS");
        assertThat(sendGridRequests()).isZero();
        return journey;
    }

    private Map<String, Object> row(ProcessInstance journey) {
        List<Map<String, Object>> rows = deliveriesOf(journey.getId());
        assertThat(rows).as("the step's one delivery").hasSize(1);
        return rows.get(0);
    }

    private String customerOf(ProcessInstance journey) {
        return (String) runtimeService.getVariable(journey.getId(), CUSTOMER_ID.name());
    }

    private Job stepJob(ProcessInstance journey) {
        List<Job> jobs = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .activityId(STEP)
                .list();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Test
    void theProviderFailingAtTheOpeningIsRetriedAlongTheStepsCycleThenAnIncidentAndAtMostOneMessageGoesOut() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        PROVIDERS.resetAll();
        sendGridAnswers(503, "{\"errors\":[{\"message\":\"try later\"}]}");
        clock.set(OPENING);
        deferredSends.resumeDue();

        // the step's own cycle (R3/PT1M): three tries, then an incident on the step
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job job = stepJob(journey);
            clock.set(
                    job.getDuedate() == null || job.getDuedate().toInstant().isBefore(clock.instant())
                            ? clock.instant()
                            : job.getDuedate().toInstant());
            assertThatThrownBy(() -> managementService.executeJob(job.getId()))
                    .isInstanceOf(RetryableSendException.class);
            assertThat(sendGridRequests()).isEqualTo(attempt);
            assertThat(row(journey)).containsEntry("status", "RETRYABLE");
        }
        assertThat(runtimeService
                        .createIncidentQuery()
                        .processInstanceId(journey.getId())
                        .singleResult())
                .satisfies(incident -> assertThat(incident.getActivityId()).isEqualTo(STEP));
        deferredSends.resumeDue();
        assertThat(stepJob(journey))
                .as("a failing send is the job's business, not the sweep's")
                .isNotNull();

        sendGridAccepts("sg-after-incident");
        Job job = stepJob(journey);
        managementService.setJobRetries(job.getId(), 1);
        managementService.executeJob(job.getId());

        assertThat(sendGridRequests()).isEqualTo(4);
        assertThat(row(journey))
                .containsEntry("status", "SENT")
                .containsEntry("attempts", 4)
                .containsEntry("step_key", STEP + "#1");
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt("Gateway_Opened");
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(4);
    }

    @Test
    void consentWithdrawnWhileTheMessageWaitsSkipsItAndTheJourneyGoesOn() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        clock.set(OPENING.minusSeconds(3600));
        String customer = customerOf(journey);
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer);
        as(SERVICE)
                .body(Map.of(
                        "email",
                        email,
                        "timeZone",
                        "Europe/Paris",
                        "consents",
                        Map.of(
                                "email",
                                Map.of(
                                        "status",
                                        "OPTED_OUT",
                                        "source",
                                        "preference-center",
                                        "statedAt",
                                        clock.instant().toString()))))
                .put("/api/customers/{id}", customer)
                .then()
                .statusCode(200);

        clock.set(OPENING);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed("EndEvent_NotDelivered");
        assertThat(row(journey))
                .containsEntry("status", "SKIPPED")
                .containsEntry("gate_decision", "NO_CONSENT")
                .containsEntry("counted", false)
                .containsEntry("waiting_execution_id", null);
        assertThat(sendGridRequests()).isZero();
    }

    @Test
    void aDeletedJourneysMessageIsClosedUnsentWhenItsWindowOpens() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        runtimeService.deleteProcessInstance(journey.getId(), "operator removed the customer's journey");

        clock.set(OPENING.minusSeconds(1));
        deferredSends.resumeDue();
        assertThat(row(journey)).containsEntry("status", "DEFERRED");
        clock.set(OPENING);
        deferredSends.resumeDue();

        assertThat(row(journey))
                .containsEntry("status", "CANCELLED")
                .containsEntry("error", "the journey ended before the message could go");
        assertThat(sendGridRequests()).isZero();
    }

    @Test
    void aJourneyThatMovedOnPastTheStepClosesItsMessageUnsent() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        ActivityInstance waiting =
                runtimeService.getActivityInstance(journey.getId()).getActivityInstances(STEP)[0];
        runtimeService
                .createProcessInstanceModification(journey.getId())
                .startBeforeActivity("Gateway_Opened")
                .cancelActivityInstance(waiting.getId())
                .execute();

        clock.set(OPENING);
        deferredSends.resumeDue();

        assertThat(row(journey))
                .containsEntry("status", "CANCELLED")
                .containsEntry("error", "the journey moved on before the message could go");
        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(sendGridRequests()).isZero();

        // the journey comes back to the step (a loop in the model, or an operator): the visit never completed,
        // so it is the same step, and its delivery is taken up again and sent once
        runtimeService
                .createProcessInstanceModification(journey.getId())
                .startBeforeActivity(STEP)
                .cancelAllForActivity("Gateway_Opened")
                .execute();
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(row(journey)).containsEntry("status", "SENT").containsEntry("step_key", STEP + "#1");
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void anOperatorRestartingTheWaitingStepIsNotTakenForAJourneyThatMovedOn() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        ActivityInstance waiting =
                runtimeService.getActivityInstance(journey.getId()).getActivityInstances(STEP)[0];
        runtimeService
                .createProcessInstanceModification(journey.getId())
                .startBeforeActivity(STEP)
                .cancelActivityInstance(waiting.getId())
                .execute();

        clock.set(OPENING);
        assertThat(deferredSends.resumeDue().left()).isPositive(); // the restarted step's job is pending: left to it
        assertThat(row(journey)).containsEntry("status", "DEFERRED");
        assertThat(row(journey).get("waiting_execution_id")).isNotNull();
        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(row(journey)).containsEntry("status", "SENT").containsEntry("waiting_execution_id", null);
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void aResumedJobThatRunsOnlyAfterTheWindowClosedWaitsAgainUntilTheNextMorning() {
        ProcessInstance journey = waitingJourney(JOURNEY);
        String firstWait = (String) row(journey).get("waiting_execution_id");
        clock.set(OPENING);
        deferredSends.resumeDue();
        // the job executor is so far behind that the step's job runs at 21:30
        clock.set(OffsetDateTime.parse("2026-06-02T21:30:00+02:00").toInstant());
        runDueJobs(journey.getId());

        Instant nextMorning = OffsetDateTime.parse("2026-06-03T08:00:00+02:00").toInstant();
        assertThat(journey).isWaitingAt(STEP);
        assertThat(sendGridRequests()).isZero();
        Map<String, Object> again = row(journey);
        assertThat(again).containsEntry("status", "DEFERRED").containsEntry("step_key", STEP + "#1");
        assertThat(instant(again.get("retry_at"))).isEqualTo(nextMorning);
        assertThat(again.get("waiting_execution_id")).isNotNull().isNotEqualTo(firstWait);

        clock.set(nextMorning);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt("Gateway_Opened");
        assertThat(row(journey)).containsEntry("status", "SENT").containsEntry("attempts", 1);
        assertThat(sendGridRequests()).isEqualTo(1);
    }

    @Test
    void aJobThatFailsAfterTheResumedSendIsRetriedWithoutSendingAgain() {
        ProcessInstance journey = waitingJourney("send-then-fail-test");
        clock.set(OPENING);
        deferredSends.resumeDue();
        crashSwitch.on();
        Job job = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .singleResult();
        assertThatThrownBy(() -> managementService.executeJob(job.getId())).hasMessageContaining("simulated crash");
        assertThat(sendGridRequests()).isEqualTo(1);

        crashSwitch.off();
        managementService.executeJob(job.getId());

        assertThat(journey).isEnded();
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(row(journey)).containsEntry("status", "SENT").containsEntry("attempts", 1);
    }

    @Test
    void twoNodesSweepingAtOnceResumeEachStepOnceAndEachMessageGoesOutOnce() throws Exception {
        List<ProcessInstance> journeys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            journeys.add(waitingJourney(JOURNEY));
        }
        clock.set(OPENING);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Callable<DeferredSends.Sweep> sweep = () -> {
                start.await();
                return deferredSends.resumeDue();
            };
            Future<DeferredSends.Sweep> first = nodes.submit(sweep);
            Future<DeferredSends.Sweep> second = nodes.submit(sweep);
            start.countDown();
            System.out.printf("Two sweeps at once: %s and %s%n", first.get(), second.get());
            assertThat(first.get().resumed() + second.get().resumed()).isGreaterThanOrEqualTo(journeys.size());
        } finally {
            nodes.shutdownNow();
        }

        for (ProcessInstance journey : journeys) {
            assertThat(stepJob(journey)).as("one resumed job per step").isNotNull();
            assertThat(runtimeService.getActivityInstance(journey.getId()).getActivityInstances(STEP))
                    .isEmpty();
            runDueJobs(journey.getId());
            assertThat(journey).isWaitingAt("Gateway_Opened");
            assertThat(row(journey)).containsEntry("status", "SENT");
        }
        assertThat(sendGridRequests()).isEqualTo(journeys.size());
        deferredSends.resumeDue();
        for (ProcessInstance journey : journeys) {
            assertThat(runDueJobs(journey.getId())).isZero();
        }
        assertThat(sendGridRequests()).isEqualTo(journeys.size());
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }
}
