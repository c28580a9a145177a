package io.loyalflow.platform;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Thread pools for a module's background work, each declared as a bean in the module's configuration.
 * Spring shuts a pool down when the context closes, after the beans that use it: it keeps accepting tasks
 * until then (so a bean may still hand work over while the context closes), then interrupts what runs and
 * drops what waits, as {@code shutdownNow} did for the pools the beans made themselves. Spring Boot's
 * executor metrics ({@code executor.*} from Micrometer's {@code ExecutorServiceMetrics}) measure every
 * {@link ThreadPoolTaskExecutor} bean, tagged {@code name} with its bean name.
 */
public final class ManagedExecutors {

    private ManagedExecutors() {}

    /**
     * A fixed number of threads over an unbounded queue, as {@code Executors.newFixedThreadPool}: a task
     * waits for a free thread and is never refused. With one thread, tasks run one at a time in the order
     * they were handed over.
     */
    public static ThreadPoolTaskExecutor fixed(int threads, String threadNamePrefix, boolean daemon) {
        ThreadPoolTaskExecutor executor = managed(threadNamePrefix, daemon);
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        executor.setQueueCapacity(Integer.MAX_VALUE);
        return executor;
    }

    /**
     * A thread for every task that finds none idle, as {@code Executors.newCachedThreadPool}: for work that
     * made a thread of its own each time (a writer fed while its caller goes on), so no task ever waits
     * behind another caller's. Idle threads end after a minute.
     */
    public static ThreadPoolTaskExecutor onDemand(String threadNamePrefix, boolean daemon) {
        ThreadPoolTaskExecutor executor = managed(threadNamePrefix, daemon);
        executor.setCorePoolSize(0);
        executor.setMaxPoolSize(Integer.MAX_VALUE);
        executor.setQueueCapacity(0);
        executor.setKeepAliveSeconds(60);
        return executor;
    }

    private static ThreadPoolTaskExecutor managed(String threadNamePrefix, boolean daemon) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix(threadNamePrefix);
        executor.setDaemon(daemon);
        executor.setAcceptTasksAfterContextClose(true);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        return executor;
    }
}
