package io.loyalflow.testsupport;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngines;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port, over its own fresh database (H2, or PostgreSQL in the
 * PostgreSQL run), with the job executor off and a clock the test controls. All subclasses share
 * one cached context per run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
@Import(IntegrationTest.Support.class)
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    @Autowired
    protected IdentityService identityService;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase database = TestDatabase.create();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::username);
        registry.add("spring.datasource.password", database::password);
    }

    @Autowired
    protected ProcessEngine processEngine;

    /** The durable events: published facts, waiting for their listeners, a failure switch. */
    @Autowired
    protected DurableEvents durableEvents;

    @BeforeEach
    void connectRestAssured() {
        RestAssured.port = port;
        TestUsers.ensure(identityService);
        // camunda-bpm-assert keeps its engine per thread; test classes of other Spring contexts run on
        // the same thread with another engine, so each test binds this context's engine and releases it.
        BpmnAwareTests.init(processEngine);
        // The engine REST API and the webapps find their engine in Camunda's static registry, where each
        // Spring test context in this JVM registers its engine as "default" and the last one built wins:
        // without this, a test's /engine-rest calls could reach another context's engine and database.
        ProcessEngines.registerProcessEngine(processEngine);
    }

    @AfterEach
    void resetClock() {
        // a listener still running would see the next test's clock
        durableEvents.awaitSettled();
        durableEvents.clear();
        clock.reset();
        BpmnAwareTests.reset();
    }

    /**
     * A request as the given user, sending and accepting JSON. The answer is returned once the
     * listeners of the facts the request published (re-tiering, goals, campaign entry, catch-up) have
     * run: they are asynchronous, and tests assert what a user sees once they have.
     */
    protected RequestSpecification as(TestUsers user) {
        return RestAssured.given(new RequestSpecBuilder()
                        .setPort(port)
                        .setContentType(ContentType.JSON)
                        .build())
                .filter(settled())
                .auth()
                .preemptive()
                .basic(user.id, user.password);
    }

    protected RequestSpecification anonymous() {
        return RestAssured.given(new RequestSpecBuilder()
                        .setPort(port)
                        .setContentType(ContentType.JSON)
                        .build())
                .filter(settled());
    }

    /** A shop's order through the API: one item of {@code amount} USD, placed at {@code placedAt}; its id. */
    protected String placeOrder(String customerId, Instant placedAt, String amount) {
        String orderId = "o-" + UUID.randomUUID();
        as(TestUsers.SERVICE)
                .body(Map.of(
                        "orderId",
                        orderId,
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        new BigDecimal(amount),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal(amount)))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        return orderId;
    }

    private Filter settled() {
        return (request, response, context) -> {
            Response answer = context.next(request, response);
            durableEvents.awaitSettled();
            return answer;
        };
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Support {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }

        @Bean
        DurableEvents durableEvents(JdbcTemplate jdbc) {
            return new DurableEvents(jdbc);
        }

        @Bean
        ThreadPoolTaskExecutorCustomizer countingEventTasks(DurableEvents events) {
            return events.counting();
        }

        @Bean
        static BeanPostProcessor listenerFaults() {
            return DurableEvents.faults();
        }
    }
}
