package io.loyalflow.platform.retention;

import static io.loyalflow.platform.engine.ProcessVariable.dateVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/** The variables of a storage-cleanup run (Cockpit shows them; the gateway reads the outcome). */
public final class RetentionVariables {

    /** MORE (the next job goes on), DONE, or WINDOW_CLOSED (the rest waits for the next run). */
    public static final ProcessVariable<String> CLEANUP_OUTCOME = stringVariable("cleanupOutcome");

    /** When the run's first job began: the cutoffs are counted back from it, the window forward. */
    public static final ProcessVariable<java.util.Date> CLEANUP_STARTED_AT = dateVariable("cleanupStartedAt");

    /** The cleanups with nothing more to delete in this run, comma-separated. */
    public static final ProcessVariable<String> CLEANUPS_FINISHED = stringVariable("cleanupsFinished");

    /** Rows deleted so far by table, e.g. {@code delivery=1200, delivery_event=3400}. */
    public static final ProcessVariable<String> ROWS_DELETED = stringVariable("rowsDeleted");

    public static final ProcessVariable<Long> ROWS_DELETED_TOTAL = longVariable("rowsDeletedTotal");

    public static final ProcessVariable<Integer> BATCHES = integerVariable("batches");

    private RetentionVariables() {}
}
