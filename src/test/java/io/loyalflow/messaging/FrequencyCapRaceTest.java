package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aopalliance.intercept.MethodInterceptor;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The frequency cap holds when several sends to one customer run at once (two nodes, or two job
 * executor threads): five journeys of the same customer have their send jobs executed at the same time
 * on five threads, and every one of them has read the customer's recent sends (none) before any claims
 * its delivery (a barrier after the gate's read). Exactly the cap's number of e-mails go out; the others
 * are CAPPED, skipped or deferred as the step says.
 */
@Import(FrequencyCapRaceTest.ReadBarrier.class)
class FrequencyCapRaceTest extends MessagingIntegrationTest {

    private static final String JOURNEY = "messaging-journey-test";
    private static final int JOURNEYS = 5;
    /** The default e-mail cap: 3 in 7 days. */
    private static final int CAP = 3;
    /** 10:00 in New York: inside the e-mail window. */
    private static final Instant NOW = Instant.parse("2026-06-01T14:00:00Z");

    /** Set while a race runs: every send waits here after the gate's read until all of them have read. */
    static volatile CyclicBarrier afterGateRead;

    @AfterEach
    void disarm() {
        afterGateRead = null;
    }

    @Test
    void concurrentSendsToOneCustomerSendExactlyTheCapAndSkipTheRest() throws Exception {
        String customer = raceCustomer();

        List<ProcessInstance> journeys = race(customer, "SKIP");

        List<Map<String, Object>> rows = deliveriesOfCustomer(customer);
        assertThat(sendGridRequests()).isEqualTo(CAP);
        assertThat(rows).hasSize(JOURNEYS);
        assertThat(rows.stream().filter(row -> "SENT".equals(row.get("status"))))
                .hasSize(CAP)
                .allSatisfy(row -> assertThat(row).containsEntry("gate_decision", "PASSED"));
        assertThat(rows.stream().filter(row -> !"SENT".equals(row.get("status"))))
                .hasSize(JOURNEYS - CAP)
                .allSatisfy(row -> assertThat(row)
                        .containsEntry("status", "SKIPPED")
                        .containsEntry("gate_decision", "CAPPED")
                        .containsEntry("gate_detail", "3 email message(s) in the last PT168H (cap 3); skipped")
                        .containsEntry("counted", false));
        for (ProcessInstance journey : journeys) {
            runDueJobs(journey.getId());
        }
        long skipped =
                journeys.stream().filter(journey -> ended(journey.getId())).count();
        assertThat(skipped).as("journeys that took the not-sent branch").isEqualTo(JOURNEYS - CAP);
        assertThat(jdbc.queryForObject(
                        "select count(*) from send_cap_lock where channel = 'email' and customer_key = "
                                + "(select customer_key from customer where customer_id = ?)",
                        Integer.class,
                        customer))
                .isEqualTo(1);
    }

    @Test
    void concurrentSendsToOneCustomerSendExactlyTheCapAndDeferTheRestUntilTheCapFreesUp() throws Exception {
        String customer = raceCustomer();

        List<ProcessInstance> journeys = race(customer, "DEFER");

        List<Map<String, Object>> rows = deliveriesOfCustomer(customer);
        assertThat(sendGridRequests()).isEqualTo(CAP);
        assertThat(rows.stream().filter(row -> "SENT".equals(row.get("status"))))
                .hasSize(CAP);
        List<Map<String, Object>> deferred =
                rows.stream().filter(row -> !"SENT".equals(row.get("status"))).toList();
        assertThat(deferred).hasSize(JOURNEYS - CAP).allSatisfy(row -> {
            assertThat(row)
                    .containsEntry("status", "DEFERRED")
                    .containsEntry("gate_decision", "CAPPED")
                    .containsEntry("gate_detail", "3 email message(s) in the last PT168H (cap 3); deferred");
            // the oldest of the three sends was claimed now: the cap frees up a week later, at 10:00 in New York
            Object retryAt = row.get("retry_at");
            assertThat(
                            retryAt instanceof java.time.OffsetDateTime time
                                    ? time.toInstant()
                                    : ((java.sql.Timestamp) retryAt).toInstant())
                    .isEqualTo(NOW.plus(Duration.ofDays(7)));
        });
        for (Map<String, Object> row : deferred) {
            ProcessInstance journey = journeys.stream()
                    .filter(j -> j.getId().equals(row.get("process_instance_id")))
                    .findFirst()
                    .orElseThrow();
            assertThat(journey).isWaitingAt("Task_SendOffer");
        }
    }

    private String raceCustomer() {
        clock.set(NOW);
        sendGridAccepts("sg-race");
        return newCustomer("race-" + UUID.randomUUID() + "@example.com", null, "America/New_York", true, false);
    }

    /** Starts the journeys and executes their send jobs at once, one thread each. */
    private List<ProcessInstance> race(String customer, String whenCapped) throws Exception {
        List<ProcessInstance> journeys = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOURNEYS; i++) {
            ProcessInstance journey = startJourney(JOURNEY, customer, Map.of("emailWhenCapped", whenCapped));
            journeys.add(journey);
            jobs.add(onlyJob(journey.getId()).getId());
        }
        afterGateRead = new CyclicBarrier(JOURNEYS);
        ExecutorService threads = Executors.newFixedThreadPool(JOURNEYS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String job : jobs) {
                runs.add(threads.submit(() -> managementService.executeJob(job)));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        afterGateRead = null;
        return journeys;
    }

    private List<Map<String, Object>> deliveriesOfCustomer(String customer) {
        return jdbc.queryForList(
                "select * from delivery where customer_key = (select customer_key from customer where customer_id = ?) "
                        + "order by delivery_seq",
                customer);
    }

    /** Holds each send after the gate's read (the recipient and the cap's count) until all racing sends have read. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ReadBarrier {

        @Bean
        static BeanPostProcessor barrierAfterGateRead() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof DeliveryRepository)) {
                        return bean;
                    }
                    ProxyFactory proxy = new ProxyFactory(bean);
                    proxy.setProxyTargetClass(true);
                    proxy.addAdvice((MethodInterceptor) invocation -> {
                        Object result = invocation.proceed();
                        CyclicBarrier barrier = afterGateRead;
                        if (barrier != null && invocation.getMethod().getName().equals("recipient")) {
                            barrier.await(30, TimeUnit.SECONDS);
                        }
                        return result;
                    });
                    return proxy.getProxy();
                }
            };
        }
    }
}
