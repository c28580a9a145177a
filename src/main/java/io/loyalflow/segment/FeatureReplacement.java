package io.loyalflow.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replaces the stored features of every customer in one transaction, on a thread and connection of
 * its own, fed chunk by chunk while the refresh's pass goes on. Estimates and dynamic segments read
 * the previous refresh's features until the new ones commit, never a half-written table; a refresh
 * that fails leaves the previous features in place.
 */
final class FeatureReplacement implements AutoCloseable {

    private static final List<Object[]> END = new ArrayList<>();

    private final BlockingQueue<List<Object[]>> chunks = new ArrayBlockingQueue<>(2);
    private final Future<?> writing;

    /** @param thread runs the writer: one of its threads for as long as the replacement lasts */
    FeatureReplacement(
            TransactionTemplate ownTransaction,
            JdbcTemplate jdbc,
            Consumer<List<Object[]>> writer,
            AsyncTaskExecutor thread) {
        writing = thread.submit(() -> ownTransaction.executeWithoutResult(tx -> {
            jdbc.update("delete from customer_features");
            try {
                for (List<Object[]> rows = chunks.take(); rows != END; rows = chunks.take()) {
                    writer.accept(rows);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("The refresh stopped before its features were complete", e);
            }
        }));
    }

    /** Hands a chunk of rows to the writer (waits while two are queued). */
    void add(List<Object[]> rows) {
        try {
            while (!chunks.offer(rows, 1, TimeUnit.SECONDS)) {
                if (writing.isDone()) {
                    awaitWriter();
                    throw new IllegalStateException("The features writer stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Commits the new features once every chunk is written; rethrows the writer's failure. */
    void commit() {
        add(END);
        awaitWriter();
    }

    private void awaitWriter() {
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Without a commit, the writer's transaction rolls back. */
    @Override
    public void close() {
        writing.cancel(true);
    }
}
