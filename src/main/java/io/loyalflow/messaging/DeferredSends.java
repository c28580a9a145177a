package io.loyalflow.messaging;

import io.loyalflow.messaging.DeliveryRepository.DueDeferral;
import io.loyalflow.platform.db.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resumes send steps whose message was deferred, when its window opens (or the cap frees up). A send
 * step that defers its message stays at the send task ({@link SendTaskBehavior}); every node sweeps for
 * due deferrals ({@code loyalflow.messaging.deferred-sweep-interval}) and, for each, in one transaction:
 * takes the delivery row with a compare-and-set (on PostgreSQL also {@code for update skip locked}),
 * so two nodes never resume the same step, then starts the send task again before the waiting instance
 * and cancels the waiting one (Camunda's process instance modification). The send task is
 * asynchronous before, so that creates the step's job again: the job executor sends it with the step's
 * retry cycle and incidents, and the outbox finds the step's DEFERRED delivery and sends it once.
 *
 * <p>A deferred delivery whose journey ended (an order, a deletion) or moved on (an interrupting event)
 * before its window opened is closed CANCELLED: nothing stays DEFERRED for ever.
 */
@Service
public class DeferredSends {

    private static final Logger log = LoggerFactory.getLogger(DeferredSends.class);
    /** Due deferrals taken per query; a sweep goes on with the next batch while the last one was full. */
    static final int BATCH = 200;

    private final DeliveryRepository deliveries;
    private final RuntimeService runtime;
    private final ManagementService management;
    private final Database database;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Counter resumed;
    private final Counter cancelled;

    DeferredSends(
            DeliveryRepository deliveries,
            RuntimeService runtime,
            ManagementService management,
            Database database,
            PlatformTransactionManager transactions,
            Clock clock,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.runtime = runtime;
        this.management = management;
        this.database = database;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        this.resumed = Counter.builder("loyalflow.messaging.deferred.resumed")
                .description("Send steps resumed when their deferred message's window opened")
                .register(meters);
        this.cancelled = Counter.builder("loyalflow.messaging.deferred.cancelled")
                .description("Deferred messages closed unsent because their journey ended or moved on first")
                .register(meters);
    }

    /** What one sweep did. {@code left}: due deferrals not resumed now (another node's, or failed; tried again). */
    public record Sweep(int resumed, int cancelled, int left) {}

    /**
     * The send step waiting at {@code executionId} holds deferred delivery {@code deliveryId}. Runs in the
     * send job's transaction, so a sweep never sees an execution the engine rolled back.
     *
     * <p>A message the gate defers (outside the sending window, or the cap with DEFER) does not complete
     * the step: the token stays at the send task, with {@code deliveryRetryAt} and
     * {@code deliveryDeferredBecause} on the task for operators, until the sweep starts the step's job
     * again when the window opens. No model has to handle a deferral, so no deferred message can be
     * dropped by a model that forgot to. That is why the send steps are an engine {@code impl} class
     * ({@link SendTaskBehavior}, the only one): a {@code camunda:delegateExpression} bean that is an
     * activity behaviour rather than a Java delegate decides itself whether the task completes (the
     * engine's delegate-expression behaviour invokes it and, unlike for a Java delegate, does not leave the
     * task); that is the only way for a service task to wait without an extra element in the model.
     * The engine's BPMN activity behaviour base class gives {@code leave} its BPMN meaning (conditions on
     * outgoing flows, compensation).
     */
    void waiting(String deliveryId, String executionId) {
        deliveries.markWaiting(deliveryId, executionId);
    }

    @Scheduled(
            fixedDelayString = "${loyalflow.messaging.deferred-sweep-interval:30s}",
            initialDelayString = "${loyalflow.messaging.deferred-sweep-interval:30s}")
    public void sweep() {
        try {
            Sweep sweep = resumeDue();
            if (sweep.resumed() + sweep.cancelled() > 0) {
                log.info(
                        "Deferred sends: {} resumed, {} cancelled (journey over), {} left for the next sweep",
                        sweep.resumed(),
                        sweep.cancelled(),
                        sweep.left());
            }
        } catch (RuntimeException e) {
            log.warn("The deferred-sends sweep failed; it runs again shortly", e);
        }
    }

    /** Resumes every deferral due now, batch by batch. */
    public Sweep resumeDue() {
        int resumedCount = 0;
        int cancelledCount = 0;
        int left = 0;
        while (true) {
            Instant now = clock.instant();
            List<DueDeferral> due = deliveries.dueDeferrals(now, BATCH);
            int progress = 0;
            left = 0;
            for (DueDeferral deferral : due) {
                switch (resume(deferral, now)) {
                    case RESUMED -> {
                        resumedCount++;
                        progress++;
                    }
                    case CANCELLED -> {
                        cancelledCount++;
                        progress++;
                    }
                    case LEFT -> left++;
                }
            }
            // a full batch that moved something on may have more behind it; failures alone end the sweep
            if (due.size() < BATCH || progress == 0) {
                return new Sweep(resumedCount, cancelledCount, left);
            }
        }
    }

    private enum Result {
        RESUMED,
        CANCELLED,
        LEFT
    }

    private Result resume(DueDeferral due, Instant now) {
        try {
            Result result = transaction.execute(status -> {
                if (!deliveries.takeDeferral(due, database.isPostgres(), now)) {
                    return Result.LEFT; // another node has it, or the step already went on
                }
                ActivityInstance journey = runtime.getActivityInstance(due.processInstanceId());
                if (journey == null) {
                    deliveries.cancelDeferred(due.deliveryId(), "the journey ended before the message could go", now);
                    return Result.CANCELLED;
                }
                ActivityInstance waiting = waitingAt(journey, due.activityId(), due.executionId());
                if (waiting == null) {
                    if (management
                                    .createJobQuery()
                                    .processInstanceId(due.processInstanceId())
                                    .activityId(due.activityId())
                                    .count()
                            > 0) {
                        // the step was restarted by hand and its job has not run yet: that run records where it waits
                        status.setRollbackOnly();
                        return Result.LEFT;
                    }
                    deliveries.cancelDeferred(
                            due.deliveryId(), "the journey moved on before the message could go", now);
                    return Result.CANCELLED;
                }
                // start before cancel: the new instance keeps the enclosing scope (e.g. a series e-mail's subprocess)
                // alive
                runtime.createProcessInstanceModification(due.processInstanceId())
                        .startBeforeActivity(due.activityId(), waiting.getParentActivityInstanceId())
                        .cancelActivityInstance(waiting.getId())
                        .execute();
                return Result.RESUMED;
            });
            if (result == Result.RESUMED) {
                resumed.increment();
            } else if (result == Result.CANCELLED) {
                cancelled.increment();
            }
            return result;
        } catch (RuntimeException e) {
            log.warn(
                    "Could not resume deferred delivery {} of journey {} at {}; the next sweep tries again",
                    due.deliveryId(),
                    due.processInstanceId(),
                    due.activityId(),
                    e);
            return Result.LEFT;
        }
    }

    /** The instance of {@code activityId} that {@code executionId} waits in, anywhere in the tree. */
    static ActivityInstance waitingAt(ActivityInstance instance, String activityId, String executionId) {
        for (ActivityInstance child : instance.getChildActivityInstances()) {
            if (child.getActivityId().equals(activityId)
                    && List.of(child.getExecutionIds()).contains(executionId)) {
                return child;
            }
            ActivityInstance inside = waitingAt(child, activityId, executionId);
            if (inside != null) {
                return inside;
            }
        }
        return null;
    }
}
