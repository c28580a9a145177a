package io.loyalflow.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.springframework.core.io.ClassPathResource;

/** The CDNOW purchase log shipped with the service ({@code demo/CDNOW_master.txt}). */
final class CdnowLog {

    static final String RESOURCE = "demo/CDNOW_master.txt";

    private CdnowLog() {}

    static BufferedReader open() throws IOException {
        return new BufferedReader(
                new InputStreamReader(new ClassPathResource(RESOURCE).getInputStream(), StandardCharsets.US_ASCII),
                64 * 1024);
    }

    /** The log's first {@code customers} customers (0: all): how many there are and their last purchase day. */
    record Extent(int customers, LocalDate lastDay) {}

    static Extent extent(int customers) throws IOException {
        int highest = 0;
        LocalDate last = LocalDate.MIN;
        try (BufferedReader reader = open()) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length != 4) {
                    continue;
                }
                int number = Integer.parseInt(fields[0]);
                if (customers > 0 && number > customers) {
                    break;
                }
                highest = Math.max(highest, number);
                LocalDate day = LocalDate.parse(fields[1], DateTimeFormatter.BASIC_ISO_DATE);
                if (day.isAfter(last)) {
                    last = day;
                }
            }
        }
        return new Extent(highest, last);
    }
}
