package io.loyalflow.segment;

import io.loyalflow.platform.db.ColumnarInsert;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a refresh changed, and its writing: tiers, memberships entered and left, and their events.
 * The built-in and the defined segments' refreshes both collect their differences in a {@link Changes}
 * and write it here, in transactions of whole chunks (a crash leaves whole chunks; no huge
 * transaction). On PostgreSQL as column arrays by parallel writers on their own connections, so the
 * tables' indexes are maintained in parallel; on H2 in batches.
 */
@Component
class SegmentLedger {

    private static final int POSTGRES_CHUNK = 10_000;
    private static final int BATCH_CHUNK = 2_000;

    private final JdbcTemplate jdbc;
    private final Database database;
    private final TransactionTemplate transactions;
    private final AsyncTaskExecutor writerThreads;

    SegmentLedger(
            JdbcTemplate jdbc,
            Database database,
            TransactionTemplate transactions,
            @Qualifier(SegmentExecutors.LEDGER_WRITERS) AsyncTaskExecutor writerThreads) {
        this.jdbc = jdbc;
        this.database = database;
        this.transactions = transactions;
        this.writerThreads = writerThreads;
    }

    /**
     * Rows to write: tiers {customer key, tier, rank}, enters and leaves {segment id, customer key},
     * events {kind, segment id, customer key, from tier, to tier, tier change}.
     */
    static final class Changes {
        final List<Object[]> tiers = new ArrayList<>();
        final List<Object[]> enters = new ArrayList<>();
        final List<Object[]> leaves = new ArrayList<>();
        final List<Object[]> events = new ArrayList<>();

        void tierChanged(long customerKey, String previous, String tier, int rank, Object change) {
            tiers.add(new Object[] {customerKey, tier, rank});
            events.add(new Object[] {
                "TIER_CHANGED", null, customerKey, previous, tier, change == null ? null : change.toString()
            });
        }

        /** Records who entered and who left a segment; answers {entered, left}. */
        int[] difference(String segmentId, Set<Long> was, Set<Long> is) {
            int[] counts = new int[2];
            for (Long key : is) {
                if (!was.contains(key)) {
                    enters.add(new Object[] {segmentId, key});
                    events.add(new Object[] {"SEGMENT_ENTERED", segmentId, key, null, null, null});
                    counts[0]++;
                }
            }
            for (Long key : was) {
                if (!is.contains(key)) {
                    leaves.add(new Object[] {segmentId, key});
                    events.add(new Object[] {"SEGMENT_LEFT", segmentId, key, null, null, null});
                    counts[1]++;
                }
            }
            return counts;
        }
    }

    void write(Changes changes, Instant now, String cause) {
        OffsetDateTime at = Timestamps.utc(now);
        if (database.isPostgres()) {
            writeInParallel(changes, at, cause);
            return;
        }
        inChunks(
                changes.tiers,
                BATCH_CHUNK,
                rows -> jdbc.batchUpdate(
                        "merge into customer_tier (customer_key, tier, "
                                + "tier_rank, since, evaluated_at) key (customer_key) values (?, ?, ?, ?, ?)",
                        rows.stream()
                                .map(r -> new Object[] {r[0], r[1], r[2], at, at})
                                .toList()));
        inChunks(
                changes.enters,
                BATCH_CHUNK,
                rows -> jdbc.batchUpdate(
                        "insert into segment_membership (segment_id, " + "customer_key, entered_at) values (?, ?, ?)",
                        rows.stream().map(r -> new Object[] {r[0], r[1], at}).toList()));
        inChunks(
                changes.leaves,
                BATCH_CHUNK,
                rows -> jdbc.batchUpdate(
                        "update segment_membership set left_at = ? "
                                + "where segment_id = ? and customer_key = ? and left_at is null",
                        rows.stream().map(r -> new Object[] {at, r[0], r[1]}).toList()));
        inChunks(
                changes.events,
                BATCH_CHUNK,
                rows -> jdbc.batchUpdate(
                        "insert into segment_event (kind, segment_id, "
                                + "customer_key, from_tier, to_tier, tier_change, occurred_at, cause) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        rows.stream()
                                .map(r -> new Object[] {r[0], r[1], r[2], r[3], r[4], r[5], at, cause})
                                .toList()));
    }

    private void writeInParallel(Changes changes, OffsetDateTime at, String cause) {
        List<Object[]> events = changes.events;
        // events, the most rows, in two halves
        List<Runnable> writers = List.of(
                () -> inChunks(
                        changes.tiers,
                        POSTGRES_CHUNK,
                        rows -> ColumnarInsert.write(
                                jdbc,
                                "insert into customer_tier "
                                        + "(customer_key, tier, tier_rank, since, evaluated_at) select k, t, r, ?, ? from unnest(?::int8[], "
                                        + "?::varchar[], ?::int4[]) as x(k, t, r) on conflict (customer_key) do update set tier = excluded.tier, "
                                        + "tier_rank = excluded.tier_rank, since = excluded.since, evaluated_at = excluded.evaluated_at",
                                rows,
                                new String[] {"int8", "varchar", "int4"},
                                at,
                                at)),
                () -> {
                    inChunks(
                            changes.enters,
                            POSTGRES_CHUNK,
                            rows -> ColumnarInsert.write(
                                    jdbc,
                                    "insert into segment_membership "
                                            + "(segment_id, customer_key, entered_at) select s, k, ? from unnest(?::varchar[], ?::int8[]) as x(s, k)",
                                    rows,
                                    new String[] {"varchar", "int8"},
                                    at));
                    inChunks(
                            changes.leaves,
                            POSTGRES_CHUNK,
                            rows -> ColumnarInsert.write(
                                    jdbc,
                                    "update segment_membership m "
                                            + "set left_at = ? from unnest(?::varchar[], ?::int8[]) as x(s, k) where m.segment_id = x.s "
                                            + "and m.customer_key = x.k and m.left_at is null",
                                    rows,
                                    new String[] {"varchar", "int8"},
                                    at));
                },
                () -> writeEvents(events.subList(0, events.size() / 2), at, cause),
                () -> writeEvents(events.subList(events.size() / 2, events.size()), at, cause));
        try {
            List<Future<?>> running =
                    writers.stream().<Future<?>>map(writerThreads::submit).toList();
            for (Future<?> writer : running) {
                writer.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private void writeEvents(List<Object[]> events, OffsetDateTime at, String cause) {
        inChunks(
                events,
                POSTGRES_CHUNK,
                rows -> ColumnarInsert.write(
                        jdbc,
                        "insert into segment_event (kind, segment_id, "
                                + "customer_key, from_tier, to_tier, tier_change, occurred_at, cause) select a, b, c, d, e, f, ?, ? "
                                + "from unnest(?::varchar[], ?::varchar[], ?::int8[], ?::varchar[], ?::varchar[], ?::varchar[]) "
                                + "as x(a, b, c, d, e, f)",
                        rows,
                        new String[] {"varchar", "varchar", "int8", "varchar", "varchar", "varchar"},
                        at,
                        cause));
    }

    private void inChunks(List<Object[]> rows, int size, Consumer<List<Object[]>> writer) {
        for (int from = 0; from < rows.size(); from += size) {
            List<Object[]> chunk = rows.subList(from, Math.min(from + size, rows.size()));
            transactions.executeWithoutResult(tx -> writer.accept(chunk));
        }
    }
}
