package io.loyalflow.clv;

import io.loyalflow.clv.TransactionLog.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CDNOW research data beside the clone (../shared/data/cdnow, as in CI): the raw 1/10 sample and
 * the published summaries.
 */
final class CdnowSample {

    static final Path DIRECTORY = Path.of("..", "shared", "data", "cdnow");
    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);

    private CdnowSample() {}

    /**
     * CDNOW_sample.txt: master id, sample id, yyyymmdd, CDs, dollars per line. Customers are named by
     * their sample id (1 to 2357), as in the summary files.
     */
    static List<Transaction> transactions() {
        List<Transaction> transactions = new ArrayList<>();
        for (String line : lines("CDNOW_sample.txt")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            transactions.add(new Transaction(
                    String.valueOf(Integer.parseInt(fields[1])),
                    LocalDate.parse(fields[2], DateTimeFormatter.BASIC_ISO_DATE),
                    new BigDecimal(fields[4])));
        }
        return transactions;
    }

    /** cdnow_customers_summary_with_transactions.csv: ID, x, t_x, T, zbar as written (two decimals). */
    static List<String[]> publishedSummaries() {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = lines("cdnow_customers_summary_with_transactions.csv");
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.trim().split(","));
            }
        }
        return rows;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(DIRECTORY.resolve(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the CDNOW data are expected in "
                            + DIRECTORY.toAbsolutePath().normalize() + " (../shared beside the clone)",
                    e);
        }
    }
}
