package io.loyalflow.demo;

import io.loyalflow.order.ImportLine;
import io.loyalflow.order.OrderItemRequest;
import io.loyalflow.order.OrderRequest;
import io.loyalflow.order.OrderSource;
import io.loyalflow.platform.problem.FieldViolation;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The CDNOW purchase log ({@code customer_id date number_of_cds dollar_value}, one header line) as
 * orders. The log has dates only: each purchase is placed at noon, New York time (CDNOW was a US
 * shop), and gets a stable id from customer, the log's own date and its rank on that day, so loading
 * the log again changes nothing. The demo moves every date by the same number of days
 * ({@code shiftDays}) and may take only the first customers of the log ({@code customers}).
 */
class CdnowOrderSource implements OrderSource {

    static final ZoneId ZONE = ZoneId.of("America/New_York");
    static final String CUSTOMER_PREFIX = "cdnow-";
    private static final LocalTime PURCHASE_TIME = LocalTime.NOON;

    private final BufferedReader reader;
    private final long shiftDays;
    private final int customers;
    private long lineNumber;
    private String previousDay;
    private int rankOnDay;

    CdnowOrderSource(BufferedReader reader) {
        this(reader, 0, 0);
    }

    /**
     * @param shiftDays days added to every date of the log
     * @param customers the log's first customers to read (its customer numbers 1 to this); 0: all
     */
    CdnowOrderSource(BufferedReader reader, long shiftDays, int customers) {
        this.reader = reader;
        this.shiftDays = shiftDays;
        this.customers = customers;
    }

    @Override
    public ImportLine next() throws IOException {
        String line;
        do {
            line = reader.readLine();
            lineNumber++;
            if (line == null) {
                return null;
            }
        } while (lineNumber == 1 || line.isBlank());
        String[] fields = line.trim().split("\\s+");
        if (fields.length != 4) {
            return ImportLine.unreadable(
                    lineNumber,
                    null,
                    List.of(new FieldViolation("", "expected 4 whitespace-separated fields, got " + fields.length)));
        }
        if (customers > 0 && customerNumber(fields[0]) > customers) {
            return null; // the log is ordered by customer number
        }
        String customerId = CUSTOMER_PREFIX + fields[0];
        String day = customerId + "-" + fields[1];
        rankOnDay = day.equals(previousDay) ? rankOnDay + 1 : 1;
        previousDay = day;
        LocalDate date =
                LocalDate.parse(fields[1], DateTimeFormatter.BASIC_ISO_DATE).plusDays(shiftDays);
        int cds = Integer.parseInt(fields[2]);
        BigDecimal dollars = new BigDecimal(fields[3]);
        return ImportLine.of(
                lineNumber,
                new OrderRequest(
                        day + "-" + rankOnDay,
                        customerId,
                        date.atTime(PURCHASE_TIME).atZone(ZONE).toOffsetDateTime(),
                        dollars,
                        "USD",
                        List.of(new OrderItemRequest(
                                "CD", cds, dollars.divide(BigDecimal.valueOf(cds), 4, RoundingMode.HALF_UP), null))));
    }

    private static int customerNumber(String field) {
        try {
            return Integer.parseInt(field);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
