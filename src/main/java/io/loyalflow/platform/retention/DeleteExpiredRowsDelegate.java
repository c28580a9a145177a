package io.loyalflow.platform.retention;

import static io.loyalflow.platform.retention.RetentionVariables.BATCHES;
import static io.loyalflow.platform.retention.RetentionVariables.CLEANUPS_FINISHED;
import static io.loyalflow.platform.retention.RetentionVariables.CLEANUP_OUTCOME;
import static io.loyalflow.platform.retention.RetentionVariables.CLEANUP_STARTED_AT;
import static io.loyalflow.platform.retention.RetentionVariables.ROWS_DELETED;
import static io.loyalflow.platform.retention.RetentionVariables.ROWS_DELETED_TOTAL;

import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Delete expired rows" in the storage-cleanup process: one job's batches; the run's state lives in variables. */
@Component("deleteExpiredRows")
class DeleteExpiredRowsDelegate implements JavaDelegate {

    private final StorageCleanup cleanup;

    DeleteExpiredRowsDelegate(StorageCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Date startedAt = CLEANUP_STARTED_AT.from(execution).getOrNull();
        StorageCleanup.Run run = startedAt == null
                ? StorageCleanup.Run.startingAt(cleanup.now())
                : RunVariables.read(
                        startedAt.toInstant(),
                        CLEANUPS_FINISHED.from(execution).getOrNull(),
                        ROWS_DELETED.from(execution).getOrNull(),
                        BATCHES.from(execution).getOrNull());
        StorageCleanup.Slice slice = cleanup.runSlice(run);
        CLEANUP_STARTED_AT.on(execution).set(Date.from(run.startedAt()));
        CLEANUP_OUTCOME.on(execution).set(slice.outcome());
        CLEANUPS_FINISHED.on(execution).set(String.join(",", slice.run().finished()));
        ROWS_DELETED.on(execution).set(RunVariables.deleted(slice.run()));
        ROWS_DELETED_TOTAL.on(execution).set(slice.run().total());
        BATCHES.on(execution).set(slice.run().batches());
    }
}
