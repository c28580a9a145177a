package io.loyalflow.order;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.platform.web.FieldViolation;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  public enum Format { NDJSON, CSV }

  private final OrderIntake intake;
  private final OrderProperties properties;
  private final ObjectMapper objectMapper;

  OrderImporter(OrderIntake intake, OrderProperties properties, ObjectMapper objectMapper) {
    this.intake = intake;
    this.properties = properties;
    this.objectMapper = objectMapper;
  }

  public ImportReport importOrders(Reader input, Format format) throws IOException {
    try (OrderSource source = format == Format.CSV ? new CsvOrderSource(input)
        : new NdjsonOrderSource(input, objectMapper.reader())) {
      return run(source, format.name().toLowerCase(), "import", CustomerOrigin.ORDER, null);
    }
  }

  /** Imports orders from any source; customers created on the way get {@code origin} and {@code timeZone}. */
  public ImportReport run(OrderSource source, String format, String sourceTag, CustomerOrigin origin, String timeZone)
      throws IOException {
    long started = System.nanoTime();
    Tally tally = new Tally(properties.importErrorLimit());
    List<Pending> chunk = new ArrayList<>(properties.importChunkSize());
    for (ImportLine line = source.next(); line != null; line = source.next()) {
      tally.orders++;
      List<FieldViolation> errors = line.order() == null ? line.errors() : intake.check(line.order());
      if (!errors.isEmpty()) {
        tally.reject(line.line(), line.orderId(), errors);
        continue;
      }
      chunk.add(new Pending(line.line(), ValidOrder.of(line.order())));
      if (chunk.size() == properties.importChunkSize()) {
        store(chunk, sourceTag, origin, timeZone, tally);
        chunk.clear();
      }
    }
    store(chunk, sourceTag, origin, timeZone, tally);
    if (tally.rejected > 0) {
      intake.count(sourceTag, "rejected", tally.rejected - tally.conflicts);
    }
    return new ImportReport(format, tally.orders, tally.created + tally.unchanged, tally.created, tally.unchanged,
        tally.rejected, tally.customersCreated, List.copyOf(tally.errors), tally.rejected - tally.errors.size(),
        source.fatalError(), (System.nanoTime() - started) / 1_000_000);
  }

  private record Pending(long line, ValidOrder order) {
  }

  private void store(List<Pending> chunk, String sourceTag, CustomerOrigin origin, String timeZone, Tally tally) {
    if (chunk.isEmpty()) {
      return;
    }
    try {
      OrderIntake.BatchResult result = intake.store(chunk.stream().map(Pending::order).toList(), sourceTag, origin,
          timeZone);
      tally.customersCreated += result.customersCreated();
      for (int i = 0; i < chunk.size(); i++) {
        OrderIntake.Result outcome = result.results().get(i);
        switch (outcome.outcome()) {
          case CREATED -> tally.created++;
          case UNCHANGED -> tally.unchanged++;
          case CONFLICT -> {
            tally.conflicts++;
            List<FieldViolation> why = new ArrayList<>();
            why.add(new FieldViolation("orderId", "already recorded with different content"));
            why.addAll(outcome.differences());
            tally.reject(chunk.get(i).line(), outcome.orderId(), why);
          }
        }
      }
    } catch (DuplicateKeyException e) {
      throw e;
    } catch (DataIntegrityViolationException e) {
      if (chunk.size() == 1) {
        log.warn("Order {} at line {} refused by the database", chunk.get(0).order().orderId(), chunk.get(0).line(),
            e);
        tally.reject(chunk.get(0).line(), chunk.get(0).order().orderId(),
            List.of(new FieldViolation("", "refused by the database: " + rootMessage(e))));
        return;
      }
      // Find the culprit without losing the rest of the chunk.
      for (Pending pending : chunk) {
        store(List.of(pending), sourceTag, origin, timeZone, tally);
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

  private static final class Tally {
    final int errorLimit;
    /** The errors with the lowest line numbers: conflicts are only known when their chunk is stored. */
    final java.util.TreeSet<ImportReport.LineError> errors =
        new java.util.TreeSet<>(java.util.Comparator.comparingLong(ImportReport.LineError::line));
    long orders;
    long created;
    long unchanged;
    long rejected;
    long conflicts;
    long customersCreated;

    Tally(int errorLimit) {
      this.errorLimit = errorLimit;
    }

    void reject(long line, String orderId, List<FieldViolation> why) {
      rejected++;
      errors.add(new ImportReport.LineError(line, orderId, why));
      if (errors.size() > errorLimit) {
        errors.pollLast();
      }
    }
  }
}
