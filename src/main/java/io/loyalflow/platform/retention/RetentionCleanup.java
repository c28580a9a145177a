package io.loyalflow.platform.retention;

import java.time.Instant;
import java.util.Map;

/**
 * A module's deletion of its own expired rows, called by the storage-cleanup process one batch at a time, each
 * batch in a transaction of its own. Implemented by the module that owns the tables: no module deletes
 * another's rows.
 */
public interface RetentionCleanup {

    /** The setting that says how long these rows are kept. */
    RetentionFamily family();

    /** A name for logs, meters and the run's variables: the main table's name. */
    String name();

    /** Within a family, the lower first: a cleanup that depends on another's deletions comes after it. */
    default int order() {
        return 0;
    }

    /**
     * Deletes at most {@code limit} of the rows that expired before {@code cutoff} (with what hangs on them),
     * the oldest first, in the caller's transaction.
     */
    Batch deleteBatch(Instant cutoff, int limit);

    /**
     * @param rows the main rows deleted (fewer than the limit: nothing more to delete in this run)
     * @param byTable rows deleted per table, the main table's included
     */
    record Batch(int rows, Map<String, Integer> byTable) {

        public static Batch of(String table, int rows) {
            return new Batch(rows, Map.of(table, rows));
        }
    }
}
