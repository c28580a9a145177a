import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a reproducible NDJSON file of orders for the import benchmark:
 * {@code java bench/GenerateOrders.java <orders> <customers> <file>}. Orders have 1 to 3 items,
 * amounts equal to their items' total, and placement times over the two years before 2026-11-01.
 */
public class GenerateOrders {

  public static void main(String[] args) throws IOException {
    int orders = Integer.parseInt(args[0]);
    int customers = Integer.parseInt(args[1]);
    Path file = Path.of(args[2]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Random random = new Random(42);
    long end = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    long span = 730L * 24 * 3600;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(256);
      for (int i = 1; i <= orders; i++) {
        line.setLength(0);
        int items = 1 + random.nextInt(3);
        long totalCents = 0;
        StringBuilder itemJson = new StringBuilder(128);
        for (int k = 0; k < items; k++) {
          int quantity = 1 + random.nextInt(3);
          int cents = 199 + random.nextInt(9800);
          totalCents += (long) quantity * cents;
          if (k > 0) {
            itemJson.append(',');
          }
          itemJson.append("{\"sku\":\"SKU-").append(1000 + random.nextInt(5000)).append("\",\"quantity\":")
              .append(quantity).append(",\"unitPrice\":").append(money(cents)).append('}');
        }
        line.append("{\"orderId\":\"bench-").append(i)
            .append("\",\"customerId\":\"bench-c").append(1 + random.nextInt(customers))
            .append("\",\"placedAt\":\"").append(Instant.ofEpochSecond(end - (long) (random.nextDouble() * span)))
            .append("\",\"amount\":").append(money(totalCents))
            .append(",\"currency\":\"USD\",\"items\":[").append(itemJson).append("]}\n");
        out.append(line);
      }
    }
  }

  private static String money(long cents) {
    return String.format(Locale.ROOT, "%d.%02d", cents / 100, cents % 100);
  }
}
