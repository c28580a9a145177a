package io.loyalflow.platform;

import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.platform.metrics.MeterDescriptions;
import io.loyalflow.testsupport.IntegrationTest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Loyalflow meter says what it counts: in Prometheus's HELP lines, and for each meter the code names. */
class MeterDescriptionsTest extends IntegrationTest {

    /** A meter name in a Micrometer call: {@code counter("loyalflow.x"}, {@code Timer.builder("loyalflow.x")}, ... */
    private static final Pattern METER = Pattern.compile(
            "(?:counter|timer|gauge|summary|builder|longTaskTimer)\\(\\s*\"(loyalflow\\.[a-z0-9_.]+)\"");

    @Test
    void noLoyalflowHelpLineIsEmpty() {
        // meters appear once used: an order, and a refused one
        String customer = "meters-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customer,
                        "placedAt",
                        Instant.parse("2026-01-05T10:00:00Z").toString(),
                        "amount",
                        new BigDecimal("20.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("20.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        as(SERVICE)
                .body(Map.of("orderId", "", "customerId", customer))
                .post("/api/orders")
                .then()
                .statusCode(422);

        String scrape = as(MONITORING)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<String> help = scrape.lines()
                .filter(line -> line.startsWith("# HELP loyalflow_"))
                .toList();
        assertThat(help)
                .as("HELP lines of Loyalflow's meters")
                .isNotEmpty()
                .anySatisfy(line -> assertThat(line).startsWith("# HELP loyalflow_orders_total Orders received"));
        assertThat(help)
                .allSatisfy(line -> assertThat(line.split(" ", 4))
                        .as(line)
                        .hasSize(4)
                        .satisfies(parts -> assertThat(parts[3]).isNotBlank()));
    }

    @Test
    void everyMeterTheCodeNamesHasADescription() throws IOException {
        TreeSet<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher matcher = METER.matcher(Files.readString(file));
                while (matcher.find()) {
                    named.add(matcher.group(1));
                }
            }
        }
        assertThat(named)
                .as("meters the code names")
                .contains("loyalflow.orders", "loyalflow.journeys.exits", "loyalflow.segments.retiering");
        assertThat(named)
                .allSatisfy(
                        name -> assertThat(MeterDescriptions.of(name)).as(name).isNotBlank());
    }
}
