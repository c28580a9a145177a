package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SendGrid failing for minutes while a backlog of journeys waits to send, through the real SendGrid
 * SDK: first 503, then 429 with Retry-After, then 500, then it recovers. Time is the test's; at each
 * minute the due jobs run on four threads as the job executor would run them. The offer e-mail step's
 * retry cycle is R3/PT1M (three tries, a minute apart). Journeys whose three tries all fall in the
 * outage end in an incident on the step; the others send once the provider is back, each exactly once.
 */
@Tag("postgres-only")
class ProviderOutageTest extends MessagingIntegrationTest {

    private static final String JOURNEY = "messaging-journey-test";
    private static final String STEP = "Task_SendOffer";
    /** 10:00 in New York: inside the e-mail window. */
    private static final Instant T0 = Instant.parse("2026-06-01T14:00:00Z");

    private static final int EARLY = 50;
    private static final int LATE = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBacklogWaitsOutTheOutageHonoursRetryAfterAndSendsEachMessageOnce() throws Exception {
        clock.set(T0);
        List<String> earlyCustomers = customers(EARLY);
        List<String> lateCustomers = customers(LATE);

        // 14:00 SendGrid answers 503: the early journeys' first try fails
        sendGridUnavailable(503);
        List<ProcessInstance> early = start(earlyCustomers);
        assertThat(runDue()).isEqualTo(EARLY);
        // 14:01 still 503: the second try
        at(1);
        assertThat(runDue()).isEqualTo(EARLY);
        // 14:02 rate-limited with Retry-After: 120 s: the early journeys' third and last try fails (incidents);
        // the late journeys join the backlog and fail their first try
        sendGridRateLimited(120);
        at(2);
        List<ProcessInstance> late = start(lateCustomers);
        assertThat(runDue()).isEqualTo(EARLY + LATE);
        assertThat(incidentInstances()).containsExactlyInAnyOrderElementsOf(ids(early));
        // 14:03: the cycle would try again now, but SendGrid asked for two minutes: nothing is due
        at(3);
        assertThat(dueJobs()).isEmpty();
        assertThat(sendGridRequests()).isEqualTo(3 * EARLY + LATE);
        for (ProcessInstance journey : late) {
            assertThat(stepJob(journey).getDuedate().toInstant()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
        }
        // 14:04 SendGrid answers 500: the late journeys' second try
        sendGridUnavailable(500);
        at(4);
        assertThat(runDue()).isEqualTo(LATE);
        // 14:05 SendGrid is back: the backlog drains, each late journey's third try sends
        PROVIDERS.resetMappings();
        sendGridAccepts("sg-recovered");
        at(5);
        long drainStarted = System.nanoTime();
        int drained = runDue();
        double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
        System.out.printf(
                "Provider outage: %d jobs run to drain a backlog of %d sends in %.1f s%n", drained, LATE, drainSeconds);
        // then nothing more is due for minutes (the sent journeys wait three days for an open)
        at(30);
        assertThat(dueJobs()).isEmpty();

        Map<String, Integer> tries = new HashMap<>();
        Map<String, Integer> accepted = new HashMap<>();
        Map<String, Integer> acceptedPerRecipient = new HashMap<>();
        for (ServeEvent event : PROVIDERS.getAllServeEvents()) {
            if (!event.getRequest().getUrl().equals(SENDGRID_SEND)) {
                continue;
            }
            JsonNode personalization = JSON.readTree(event.getRequest().getBodyAsString())
                    .path("personalizations")
                    .get(0);
            String deliveryId = personalization
                    .path("custom_args")
                    .path("loyalflow_delivery_id")
                    .asText();
            String recipient = personalization.path("to").get(0).path("email").asText();
            tries.merge(deliveryId, 1, Integer::sum);
            if (event.getResponse().getStatus() == 202) {
                accepted.merge(deliveryId, 1, Integer::sum);
                acceptedPerRecipient.merge(recipient, 1, Integer::sum);
            }
        }
        assertThat(sendGridRequests()).isEqualTo(3 * EARLY + 3 * LATE);
        assertThat(tries)
                .hasSize(EARLY + LATE)
                .allSatisfy((delivery, count) -> assertThat(count).isEqualTo(3));
        assertThat(accepted)
                .hasSize(LATE)
                .allSatisfy((delivery, count) -> assertThat(count).isEqualTo(1));
        assertThat(acceptedPerRecipient.keySet()).containsExactlyInAnyOrderElementsOf(emails(lateCustomers));
        assertThat(acceptedPerRecipient.values()).containsOnly(1);

        for (ProcessInstance journey : late) {
            assertThat(journey).isWaitingAt("Gateway_Opened");
            Map<String, Object> row = onlyDelivery(journey);
            assertThat(row).containsEntry("status", "SENT").containsEntry("attempts", 3);
            assertThat(accepted).containsKey((String) row.get("delivery_id"));
        }
        for (ProcessInstance journey : early) {
            assertThat(onlyDelivery(journey)).containsEntry("status", "RETRYABLE");
            assertThat(stepJob(journey).getRetries()).isZero();
        }
        assertThat(incidentInstances()).containsExactlyInAnyOrderElementsOf(ids(early));
        assertThat(incidents()).extracting(Incident::getActivityId).containsOnly(STEP);
    }

    private void at(int minutes) {
        clock.set(T0.plus(Duration.ofMinutes(minutes)));
    }

    private List<String> customers(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(newCustomer("outage-" + UUID.randomUUID() + "@example.com", null, "America/New_York", true, false));
        }
        return ids;
    }

    private List<String> emails(List<String> customers) {
        List<String> emails = new ArrayList<>();
        for (String customer : customers) {
            emails.add(jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer));
        }
        return emails;
    }

    private List<ProcessInstance> start(List<String> customers) {
        List<ProcessInstance> journeys = new ArrayList<>();
        for (String customer : customers) {
            ProcessInstance journey = startJourney(JOURNEY, customer, Map.of());
            journeys.add(journey);
            this.journeys.add(journey.getId());
        }
        return journeys;
    }

    private void sendGridUnavailable(int status) {
        PROVIDERS.resetMappings();
        sendGridAnswers(status, "{\"errors\":[{\"message\":\"service unavailable\"}]}");
    }

    private void sendGridRateLimited(int retryAfterSeconds) {
        PROVIDERS.resetMappings();
        PROVIDERS.stubFor(post(urlEqualTo(SENDGRID_SEND))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                        .withBody("{\"errors\":[{\"message\":\"too many requests\"}]}")));
    }

    /** This test's journeys (other tests' leftovers in the shared database are not its business). */
    private final Set<String> journeys = new HashSet<>();

    private List<Job> dueJobs() {
        return managementService.createJobQuery().executable().list().stream()
                .filter(job -> journeys.contains(job.getProcessInstanceId()))
                .toList();
    }

    /**
     * Runs every due job on four threads, as the job executor does, until none is due at this moment;
     * a job that fails is left to its retry cycle. Returns how many were run.
     */
    private int runDue() throws Exception {
        int ran = 0;
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                List<Job> due = dueJobs();
                if (due.isEmpty()) {
                    return ran;
                }
                List<Future<?>> runs = new ArrayList<>();
                for (Job job : due) {
                    runs.add(executor.submit(() -> {
                        try {
                            managementService.executeJob(job.getId());
                        } catch (RetryableSendException failedThisTime) {
                            // retried along the step's cycle, or an incident after its last try
                        }
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(2, TimeUnit.MINUTES);
                }
                ran += due.size();
            }
        } finally {
            executor.shutdownNow();
        }
        throw new AssertionError("jobs keep coming at " + clock.instant());
    }

    private Job stepJob(ProcessInstance journey) {
        return managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .activityId(STEP)
                .singleResult();
    }

    private Map<String, Object> onlyDelivery(ProcessInstance journey) {
        List<Map<String, Object>> rows = deliveriesOf(journey.getId());
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private Set<String> incidentInstances() {
        Set<String> instances = new HashSet<>();
        incidents().forEach(incident -> instances.add(incident.getProcessInstanceId()));
        return instances;
    }

    private List<Incident> incidents() {
        return runtimeService.createIncidentQuery().list().stream()
                .filter(incident -> journeys.contains(incident.getProcessInstanceId()))
                .toList();
    }

    private static List<String> ids(List<ProcessInstance> journeys) {
        return journeys.stream().map(ProcessInstance::getId).toList();
    }
}
