package io.loyalflow.platform.events;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Listeners of durable facts ({@code @ApplicationModuleListener}) run asynchronously on Spring
 * Boot's {@code applicationTaskExecutor}, sized by {@code spring.task.execution.pool.*}. The
 * setting {@code spring.task.execution.mode: force} makes Boot create that executor although the
 * Camunda job executor declares a task executor of its own, and use it for {@code @Async}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class EventConfiguration {}
