package io.loyalflow.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.util.ReflectionUtils;

/**
 * Tests' view of the durable events: which facts were published, when their asynchronous listeners
 * have all run (every REST call a test makes waits for that, see {@link IntegrationTest#as}), which
 * publications are still incomplete, and a switch that makes a listener fail.
 */
public class DurableEvents {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);

    private final JdbcTemplate jdbc;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Object> published = new CopyOnWriteArrayList<>();
    /** Static: the failure switch is a bean post-processor, created before any bean it could reference. */
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    public DurableEvents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every event of Loyalflow's own types published since the last {@link #clear()}, in order. */
    public <T> List<T> published(Class<T> type) {
        return published.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public void clear() {
        published.clear();
        FAILURES.clear();
    }

    /** The listener with this id (its {@code @ApplicationModuleListener} id) fails its next {@code times} calls. */
    public void failNext(String listenerId, int times) {
        FAILURES.put(listenerId, new AtomicInteger(times));
    }

    /** Waits until no listener task is queued or running (a failed one counts as done). */
    public void awaitSettled() {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(inFlight.get() + " event listener task(s) still running after "
                        + SETTLE_TIMEOUT + "; incomplete publications: " + incomplete());
            }
            sleep();
        }
    }

    /** Waits until every publication is complete: all listeners ran and succeeded. */
    public void awaitCompletion() {
        awaitSettled();
        List<String> left = incomplete();
        if (!left.isEmpty()) {
            throw new AssertionError("Incomplete event publications (a listener failed): " + left);
        }
    }

    /** The incomplete publications: listener id and event type. */
    public List<String> incomplete() {
        return jdbc.query(
                "select listener_id, event_type from event_publication where completion_date is null "
                        + "order by publication_date",
                (rs, row) -> rs.getString(1) + " <- " + rs.getString(2));
    }

    @EventListener
    public void record(PayloadApplicationEvent<?> event) {
        if (event.getPayload().getClass().getName().startsWith("io.loyalflow.")) {
            published.add(event.getPayload());
        }
    }

    /** Counts the listener tasks queued or running on the application task executor. */
    public ThreadPoolTaskExecutorCustomizer counting() {
        return executor -> executor.setTaskDecorator(task -> {
            inFlight.incrementAndGet();
            return () -> {
                try {
                    task.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            };
        });
    }

    /** Adds the failure switch to every bean with {@code @ApplicationModuleListener} methods, inside its proxy. */
    public static BeanPostProcessor faults() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof Advised advised) || !hasListener(AopUtils.getTargetClass(bean))) {
                    return bean;
                }
                StaticMethodMatcherPointcut listeners = new StaticMethodMatcherPointcut() {
                    @Override
                    public boolean matches(java.lang.reflect.Method method, Class<?> targetClass) {
                        return AnnotatedElementUtils.hasAnnotation(method, ApplicationModuleListener.class);
                    }
                };
                MethodInterceptor failing = invocation -> {
                    String id = AnnotatedElementUtils.findMergedAnnotation(
                                    invocation.getMethod(), ApplicationModuleListener.class)
                            .id();
                    AtomicInteger left = FAILURES.get(id);
                    if (left != null && left.getAndDecrement() > 0) {
                        throw new IllegalStateException("Injected failure of listener " + id);
                    }
                    return invocation.proceed();
                };
                advised.addAdvisor(new DefaultPointcutAdvisor(listeners, failing));
                return bean;
            }
        };
    }

    private static boolean hasListener(Class<?> type) {
        List<java.lang.reflect.Method> found = new ArrayList<>();
        ReflectionUtils.doWithMethods(
                type,
                found::add,
                method -> AnnotatedElementUtils.hasAnnotation(method, ApplicationModuleListener.class));
        return !found.isEmpty();
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
