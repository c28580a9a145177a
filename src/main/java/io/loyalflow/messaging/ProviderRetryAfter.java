package io.loyalflow.messaging;

import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.jobexecutor.DefaultFailedJobCommandFactory;
import org.camunda.bpm.engine.impl.jobexecutor.FailedJobCommandFactory;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * A send the provider refused with a wait (HTTP 429 with Retry-After, or SendGrid's rate-limit reset)
 * is tried again no earlier than the provider asked: the failed job is retried along its cycle as
 * always (one try fewer left, an incident after the last), but its next due date is moved to the end
 * of the wait when the cycle's next step would come sooner. A try during the wait would only be refused
 * again and use up a retry. A wait longer than {@link #LONGEST_WAIT} counts as that long, so a bad
 * header cannot park journeys for days.
 *
 * <p>The engine's failed-job command factory is its documented hook for what happens to a failed job,
 * hence the engine's {@code impl} packages.
 */
@Component
class ProviderRetryAfter extends AbstractProcessEnginePlugin {

    static final Duration LONGEST_WAIT = Duration.ofHours(1);

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        FailedJobCommandFactory engines = configuration.getFailedJobCommandFactory() != null
                ? configuration.getFailedJobCommandFactory()
                : new DefaultFailedJobCommandFactory();
        configuration.setFailedJobCommandFactory(new FailedJobCommandFactory() {
            @Override
            public Command<Object> getCommand(String jobId, Throwable exception) {
                Command<Object> retry = engines.getCommand(jobId, exception);
                Duration wait = waitAskedFor(exception);
                if (wait == null) {
                    return retry;
                }
                return context -> {
                    Object result = retry.execute(context);
                    JobEntity job = context.getJobManager().findJobById(jobId);
                    Date earliest = new Date(ClockUtil.getCurrentTime().getTime() + wait.toMillis());
                    if (job != null
                            && job.getRetries() > 0
                            && (job.getDuedate() == null || job.getDuedate().before(earliest))) {
                        job.setDuedate(earliest);
                    }
                    return result;
                };
            }
        });
    }

    /** The provider's wait carried by the failure (or one of its causes), at most {@link #LONGEST_WAIT}; else null. */
    static Duration waitAskedFor(Throwable exception) {
        int depth = 0;
        for (Throwable cause = exception; cause != null && depth < 10; cause = cause.getCause(), depth++) {
            if (cause instanceof RetryableSendException retryable && retryable.retryAfter() != null) {
                Duration wait = retryable.retryAfter();
                if (wait.isNegative() || wait.isZero()) {
                    return null;
                }
                return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
            }
        }
        return null;
    }
}
