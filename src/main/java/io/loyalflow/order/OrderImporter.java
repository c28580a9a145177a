package io.loyalflow.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.platform.problem.FieldViolation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Bulk import: reads orders one by one, validates each, and stores valid ones in chunks, each
 * chunk in its own transaction. A bad line is reported with its line number and never costs the
 * good ones. If the import stops half-way (crash, lost connection), sending the same file again is
 * safe: orders already stored count as unchanged.
 */
@Service
public class OrderImporter {

    private static final Logger log = LoggerFactory.getLogger(OrderImporter.class);
    static final int CHUNKS_IN_FLIGHT = 2;

    public enum Format {
        NDJSON,
        CSV
    }

    private final OrderIntake intake;
    private final OrderProperties properties;
    private final ObjectMapper objectMapper;
    private final AsyncTaskExecutor writerThreads;

    OrderImporter(
            OrderIntake intake,
            OrderProperties properties,
            ObjectMapper objectMapper,
            @Qualifier(OrderExecutors.IMPORT_WRITER) AsyncTaskExecutor writerThreads) {
        this.intake = intake;
        this.properties = properties;
        this.objectMapper = objectMapper;
        this.writerThreads = writerThreads;
    }

    /**
     * Imports a body of NDJSON or CSV in UTF-8. Throws {@link UnreadableImportException}, with what was
     * stored until then, when the body breaks off or turns unreadable (a truncated gzip stream, CSV
     * bytes that are not UTF-8, a lost connection).
     */
    public ImportReport importOrders(InputStream input, Format format) throws IOException {
        try (OrderSource source = format == Format.CSV
                ? new CsvOrderSource(new InputStreamReader(
                        input,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)))
                : new NdjsonOrderSource(input, objectMapper.reader())) {
            return run(
                    source,
                    format.name().toLowerCase(Locale.ROOT),
                    "import",
                    CustomerOrigin.ORDER,
                    null,
                    OrderIntake.Publication.PUBLISHED);
        }
    }

    /**
     * Imports orders from any source; customers created on the way get {@code origin} and
     * {@code timeZone}. Reading and validating (this thread) overlaps with storing (one chunk at a
     * time, in file order, at most {@link #CHUNKS_IN_FLIGHT} waiting), so the database and
     * the parser work at the same time while memory stays bounded. Each stored chunk publishes its
     * new orders as one {@link OrdersRecorded} unless {@code publication} says otherwise.
     */
    public ImportReport run(
            OrderSource source,
            String format,
            String sourceTag,
            CustomerOrigin origin,
            String timeZone,
            OrderIntake.Publication publication)
            throws IOException {
        long started = System.nanoTime();
        Tally tally = new Tally(properties.importErrorLimit());
        Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        IOException unreadable = null;
        try {
            List<Pending> chunk = new ArrayList<>(properties.importChunkSize());
            try {
                for (ImportLine line = source.next(); line != null; line = source.next()) {
                    tally.read();
                    List<FieldViolation> errors = line.order() == null ? line.errors() : intake.check(line.order());
                    if (!errors.isEmpty()) {
                        tally.reject(line.line(), line.orderId(), errors);
                        continue;
                    }
                    chunk.add(new Pending(line.line(), ValidOrder.of(line.order())));
                    if (chunk.size() == properties.importChunkSize()) {
                        submit(inFlight, List.copyOf(chunk), sourceTag, origin, timeZone, publication, tally);
                        chunk.clear();
                    }
                }
            } catch (IOException e) {
                // the orders read whole before the break are stored as usual, so the answer can say exactly
                // what is on record and sending the whole file again completes the import
                unreadable = e;
            }
            submit(inFlight, List.copyOf(chunk), sourceTag, origin, timeZone, publication, tally);
            while (!inFlight.isEmpty()) {
                await(inFlight.removeFirst());
            }
        } finally {
            // after a failure: the chunks still waiting are not stored
            inFlight.forEach(waiting -> waiting.cancel(false));
        }
        ImportReport report =
                tally.report(format, source.fatalError(), (System.nanoTime() - started) / 1_000_000, intake, sourceTag);
        if (unreadable != null) {
            throw new UnreadableImportException(report, unreadable);
        }
        return report;
    }

    private void submit(
            Deque<CompletableFuture<Void>> inFlight,
            List<Pending> chunk,
            String sourceTag,
            CustomerOrigin origin,
            String timeZone,
            OrderIntake.Publication publication,
            Tally tally) {
        if (chunk.isEmpty()) {
            return;
        }
        while (inFlight.size() >= CHUNKS_IN_FLIGHT) {
            await(inFlight.removeFirst());
        }
        // each chunk starts when the one before it is stored, so chunks are stored one at a time in file order
        // (a later line of the same order finds the earlier one stored); after a failure, none of the later ones
        CompletableFuture<Void> previous =
                inFlight.isEmpty() ? CompletableFuture.completedFuture(null) : inFlight.getLast();
        inFlight.addLast(previous.thenRunAsync(
                () -> store(chunk, sourceTag, origin, timeZone, publication, tally), writerThreads));
    }

    /** Waits for a stored chunk; a failure to store stops the import with that failure. */
    private static void await(Future<?> stored) {
        try {
            stored.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Import interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private record Pending(long line, ValidOrder order) {}

    private void store(
            List<Pending> chunk,
            String sourceTag,
            CustomerOrigin origin,
            String timeZone,
            OrderIntake.Publication publication,
            Tally tally) {
        if (chunk.isEmpty()) {
            return;
        }
        try {
            OrderIntake.BatchResult result =
                    intake.store(chunk.stream().map(Pending::order).toList(), sourceTag, origin, timeZone, publication);
            tally.stored(result, chunk);
        } catch (DuplicateKeyException e) {
            throw e;
        } catch (DataIntegrityViolationException e) {
            if (chunk.size() == 1) {
                log.warn(
                        "Order {} at line {} refused by the database",
                        chunk.get(0).order().orderId(),
                        chunk.get(0).line(),
                        e);
                tally.reject(
                        chunk.get(0).line(),
                        chunk.get(0).order().orderId(),
                        List.of(new FieldViolation("", "refused by the database: " + rootMessage(e))));
                return;
            }
            // Find the culprit without losing the rest of the chunk.
            for (Pending pending : chunk) {
                store(List.of(pending), sourceTag, origin, timeZone, publication, tally);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Counts shared by the reading thread and the writer thread. */
    private static final class Tally {
        private final int errorLimit;
        /** The errors with the lowest line numbers: conflicts are only known when their chunk is stored. */
        private final TreeSet<ImportReport.LineError> errors =
                new TreeSet<>(Comparator.comparingLong(ImportReport.LineError::line));

        private long orders;
        private long created;
        private long unchanged;
        private long rejected;
        private long conflicts;
        private long customersCreated;

        Tally(int errorLimit) {
            this.errorLimit = errorLimit;
        }

        synchronized void read() {
            orders++;
        }

        synchronized void reject(long line, String orderId, List<FieldViolation> why) {
            rejected++;
            errors.add(new ImportReport.LineError(line, orderId, why));
            if (errors.size() > errorLimit) {
                errors.pollLast();
            }
        }

        synchronized void stored(OrderIntake.BatchResult result, List<Pending> chunk) {
            customersCreated += result.customersCreated();
            for (int i = 0; i < chunk.size(); i++) {
                OrderIntake.Result outcome = result.results().get(i);
                switch (outcome.outcome()) {
                    case CREATED -> created++;
                    case UNCHANGED -> unchanged++;
                    case CONFLICT -> {
                        conflicts++;
                        List<FieldViolation> why = new ArrayList<>();
                        why.add(new FieldViolation("orderId", "already recorded with different content"));
                        why.addAll(outcome.differences());
                        reject(chunk.get(i).line(), outcome.orderId(), why);
                    }
                }
            }
        }

        synchronized ImportReport report(
                String format, String aborted, long durationMillis, OrderIntake intake, String sourceTag) {
            if (rejected > conflicts) {
                intake.count(sourceTag, "rejected", rejected - conflicts);
            }
            return new ImportReport(
                    format,
                    orders,
                    created + unchanged,
                    created,
                    unchanged,
                    rejected,
                    customersCreated,
                    List.copyOf(errors),
                    rejected - errors.size(),
                    aborted,
                    durationMillis);
        }
    }
}
