import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The CDNOW log as an NDJSON import file, with the same ids and conventions as the demo loader
 * (noon New York time, rank within the day): {@code java bench/CdnowToNdjson.java <in> <out>}.
 */
public class CdnowToNdjson {

  public static void main(String[] args) throws IOException {
    ZoneId newYork = ZoneId.of("America/New_York");
    try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.US_ASCII);
        BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      in.readLine();
      String previousDay = null;
      int rank = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        String customer = "cdnow-" + f[0];
        String day = customer + "-" + f[1];
        rank = day.equals(previousDay) ? rank + 1 : 1;
        previousDay = day;
        int cds = Integer.parseInt(f[2]);
        BigDecimal dollars = new BigDecimal(f[3]);
        String placedAt = LocalDate.parse(f[1], DateTimeFormatter.BASIC_ISO_DATE).atTime(LocalTime.NOON)
            .atZone(newYork).toOffsetDateTime().toString();
        out.append("{\"orderId\":\"").append(day).append('-').append(String.valueOf(rank))
            .append("\",\"customerId\":\"").append(customer).append("\",\"placedAt\":\"").append(placedAt)
            .append("\",\"amount\":").append(dollars.toPlainString())
            .append(",\"currency\":\"USD\",\"items\":[{\"sku\":\"CD\",\"quantity\":").append(String.valueOf(cds))
            .append(",\"unitPrice\":").append(dollars.divide(BigDecimal.valueOf(cds), 4, RoundingMode.HALF_UP)
                .toPlainString())
            .append("}]}\n");
      }
    }
  }
}
