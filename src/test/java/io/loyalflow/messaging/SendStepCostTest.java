package io.loyalflow.messaging;

import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A journey send step may cost at most 6 database round trips beyond the engine's own work: the gate's
 * read; the claim's transaction under the frequency cap's lock (the lock row's update, the cap count
 * under the lock, the delivery's insert, the commit); the outcome. Counted, not timed: every statement
 * execution and commit through the data source, for the same one-step journey with the real send
 * delegate and with a delegate that only writes the same variables.
 */
@Import(SendStepCostTest.Counting.class)
class SendStepCostTest extends MessagingIntegrationTest {

    static final AtomicInteger ROUND_TRIPS = new AtomicInteger();

    @Test
    void aSendStepAddsAtMostSixRoundTripsToTheEnginesWork() {
        repositoryService
                .createDeployment()
                .name("cost-test-models")
                .enableDuplicateFiltering(true)
                .addClasspathResource("messaging/send-cost-test.bpmn")
                .addClasspathResource("messaging/noop-cost-test.bpmn")
                .deploy();
        clock.set(java.time.Instant.parse("2026-06-01T14:00:00Z")); // inside the e-mail window: the send goes out
        sendGridAccepts("sg-cost");
        String customer = newCustomer("cost@example.com", null, null, true, false);
        // warm up both paths (caches, first-time statements)
        measure("send-cost-test", customer);
        measure("noop-cost-test", customer);

        int engineOnly = measure("noop-cost-test", customer);
        int withSend = measure("send-cost-test", customer);

        System.out.printf("Send step round trips: engine alone %d, with the send %d%n", engineOnly, withSend);
        assertThat(engineOnly).isPositive();
        assertThat(withSend - engineOnly).isBetween(1, 6);
    }

    private int measure(String processKey, String customer) {
        ProcessInstance journey =
                runtimeService.startProcessInstanceByKey(processKey, Map.of(CUSTOMER_ID.name(), customer));
        String jobId = onlyJob(journey.getId()).getId();
        ROUND_TRIPS.set(0);
        managementService.executeJob(jobId);
        return ROUND_TRIPS.get();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Counting {

        /** Writes what the send delegate writes, without sending: the engine's share of a send step. */
        @Bean
        JavaDelegate noopSend() {
            return execution -> {
                String activityId = execution.getCurrentActivityId();
                SendTaskSupport.visitsVariable(activityId).on(execution).set(1);
                MessagingVariables.DELIVERY_OUTCOME.on(execution).set("SENT");
                MessagingVariables.DELIVERY_ID.on(execution).set("noop");
            };
        }

        @Bean
        static BeanPostProcessor countingDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof DataSource dataSource) {
                        return proxy(DataSource.class, dataSource, (target, method, args) -> {
                            Object result = method.invoke(target, args);
                            return result instanceof Connection connection ? countingConnection(connection) : result;
                        });
                    }
                    return bean;
                }
            };
        }

        private static Connection countingConnection(Connection connection) {
            return proxy(Connection.class, connection, (target, method, args) -> {
                if (method.getName().equals("commit")) {
                    ROUND_TRIPS.incrementAndGet();
                }
                Object result = method.invoke(target, args);
                if (result instanceof Statement statement) {
                    Class<?> type = method.getReturnType();
                    return proxy(type, statement, (s, m, a) -> {
                        if (m.getName().startsWith("execute")) {
                            ROUND_TRIPS.incrementAndGet();
                        }
                        return m.invoke(s, a);
                    });
                }
                return result;
            });
        }

        interface Invocation {
            Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, Object target, Invocation invocation) {
            InvocationHandler handler = (p, method, args) -> {
                try {
                    return invocation.call(target, method, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
        }
    }
}
