package io.loyalflow.order;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The features the API shows equal a direct computation from the orders that were sent. */
class PurchaseFeaturesTest extends DatabaseTest {

    private record Sent(Instant placedAt, BigDecimal amount) {}

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void featuresOfRandomCustomersInManyZonesEqualADirectComputation() {
        Random random = new Random(20261122);
        Instant now = Instant.parse("2026-11-02T15:00:00Z");
        clock.set(now);
        List<String> zones = List.of(
                "Europe/Paris",
                "America/New_York",
                "Asia/Kolkata",
                "Australia/Lord_Howe",
                "Pacific/Chatham",
                "America/St_Johns",
                "UTC");
        for (int c = 0; c < 14; c++) {
            String customerId = "feat-" + c + "-" + run;
            ZoneId zone = ZoneId.of(zones.get(c % zones.size()));
            as(SERVICE)
                    .body(Map.of("timeZone", zone.getId()))
                    .put("/api/customers/{id}", customerId)
                    .then()
                    .statusCode(201);
            List<Sent> sent = new ArrayList<>();
            int orders = 1 + random.nextInt(25);
            for (int o = 0; o < orders; o++) {
                // within the last two years, biased to a few local hours so the usual hour is meaningful
                Instant placedAt = now.minus(random.nextInt(730), ChronoUnit.DAYS)
                        .minus(random.nextInt(3) * 7 + random.nextInt(60) / 59, ChronoUnit.HOURS)
                        .minus(random.nextInt(3600), ChronoUnit.SECONDS);
                BigDecimal amount = BigDecimal.valueOf(random.nextInt(50_000), 2);
                sent.add(new Sent(placedAt, amount));
                as(SERVICE)
                        .body(Map.of(
                                "orderId",
                                customerId + "-o" + o,
                                "customerId",
                                customerId,
                                "placedAt",
                                placedAt.toString(),
                                "amount",
                                amount,
                                "currency",
                                "USD"))
                        .post("/api/orders")
                        .then()
                        .statusCode(201);
            }
            assertFeatures(customerId, zone, now, sent);
        }
    }

    @Test
    void dayAndHourAreTheCustomersOwnAroundMidnightAndDaylightSavingChanges() {
        String customerId = "dst-" + run;
        ZoneId newYork = ZoneId.of("America/New_York");
        Instant now = Instant.parse("2026-11-10T12:00:00Z");
        clock.set(now);
        as(SERVICE)
                .body(Map.of("timeZone", newYork.getId()))
                .put("/api/customers/{id}", customerId)
                .then()
                .statusCode(201);
        List<Sent> sent = List.of(
                // 23:30 local on 7 March (EST), 04:30 UTC on 8 March
                new Sent(ZonedDateTime.of(2026, 3, 7, 23, 30, 0, 0, newYork).toInstant(), new BigDecimal("10.00")),
                // 23:10 local on 8 March, the day clocks sprang forward (EDT)
                new Sent(ZonedDateTime.of(2026, 3, 8, 23, 10, 0, 0, newYork).toInstant(), new BigDecimal("20.00")),
                // 01:30 local, the repeated hour of 1 November (first occurrence, EDT)
                new Sent(
                        ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, newYork)
                                .withEarlierOffsetAtOverlap()
                                .toInstant(),
                        new BigDecimal("5.005")),
                // 01:30 local again, second occurrence (EST): same local day and hour
                new Sent(
                        ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, newYork)
                                .withLaterOffsetAtOverlap()
                                .toInstant(),
                        new BigDecimal("5.005")));
        for (int i = 0; i < sent.size(); i++) {
            as(SERVICE)
                    .body(Map.of(
                            "orderId",
                            customerId + "-" + i,
                            "customerId",
                            customerId,
                            "placedAt",
                            sent.get(i).placedAt().toString(),
                            "amount",
                            sent.get(i).amount(),
                            "currency",
                            "USD"))
                    .post("/api/orders")
                    .then()
                    .statusCode(201);
        }
        JsonNode features = assertFeatures(customerId, newYork, now, sent);
        assertThat(features.get("purchaseDays").asInt()).isEqualTo(3);
        assertThat(features.get("usualPurchaseHour").asInt())
                .as("two orders at 01:30, two at 23:xx: the earlier hour wins")
                .isEqualTo(1);
        assertThat(features.get("daysSinceLastOrder").asLong()).isEqualTo(9);
        assertThat(features.get("totalSpend").decimalValue()).isEqualTo(new BigDecimal("40.01"));
    }

    @Test
    void withoutAZoneInTheProfileThePhonesZoneApplies() {
        String customerId = "phone-zone-" + run;
        clock.set(Instant.parse("2026-06-01T12:00:00Z"));
        as(SERVICE)
                .body(Map.of("phone", "+81 3-1234-5678"))
                .put("/api/customers/{id}", customerId)
                .then()
                .statusCode(201)
                .body("effectiveTimeZone", org.hamcrest.Matchers.equalTo("Asia/Tokyo"));
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        customerId + "-1",
                        "customerId",
                        customerId,
                        "placedAt",
                        "2026-05-31T22:30:00Z",
                        "amount",
                        3,
                        "currency",
                        "USD"))
                .post("/api/orders")
                .then()
                .statusCode(201);
        as(SERVICE)
                .get("/api/customers/{id}", customerId)
                .then()
                .body("features.usualPurchaseHour", org.hamcrest.Matchers.equalTo(7))
                .body("features.daysSinceLastOrder", org.hamcrest.Matchers.equalTo(0));
    }

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private JsonNode assertFeatures(String customerId, ZoneId zone, Instant now, List<Sent> sent) {
        JsonNode customer;
        try {
            customer = EXACT.readTree(as(SERVICE)
                    .get("/api/customers/{id}", customerId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        JsonNode features = customer.get("features");

        Function<Instant, ZonedDateTime> local = instant -> instant.atZone(zone);
        Instant first =
                sent.stream().map(Sent::placedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant last =
                sent.stream().map(Sent::placedAt).max(Comparator.naturalOrder()).orElseThrow();
        BigDecimal total = sent.stream().map(Sent::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        Instant yearAgo = now.atZone(zone).minusMonths(12).toInstant();
        BigDecimal lastYear = sent.stream()
                .filter(s -> s.placedAt().isAfter(yearAgo))
                .map(Sent::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        long days = sent.stream()
                .map(s -> local.apply(s.placedAt()).toLocalDate())
                .distinct()
                .count();
        Map<Integer, Long> byHour = sent.stream()
                .collect(Collectors.groupingBy(s -> local.apply(s.placedAt()).getHour(), Collectors.counting()));
        long most = byHour.values().stream().max(Long::compare).orElseThrow();
        int usualHour = byHour.entrySet().stream()
                .filter(e -> e.getValue() == most)
                .mapToInt(Map.Entry::getKey)
                .min()
                .orElseThrow();
        LocalDate today = local.apply(now).toLocalDate();

        assertThat(features.get("firstOrderAt").asText()).isEqualTo(first.toString());
        assertThat(features.get("lastOrderAt").asText()).isEqualTo(last.toString());
        assertThat(features.get("orders").asLong()).isEqualTo(sent.size());
        assertThat(features.get("purchaseDays").asLong()).isEqualTo(days);
        assertThat(features.get("totalSpend").decimalValue()).isEqualTo(total.setScale(2, RoundingMode.HALF_UP));
        assertThat(features.get("averageOrderValue").decimalValue())
                .isEqualTo(total.divide(BigDecimal.valueOf(sent.size()), 2, RoundingMode.HALF_UP));
        assertThat(features.get("spendLast12Months").decimalValue())
                .isEqualTo(lastYear.setScale(2, RoundingMode.HALF_UP));
        assertThat(features.get("daysSinceLastOrder").asLong())
                .isEqualTo(ChronoUnit.DAYS.between(local.apply(last).toLocalDate(), today));
        assertThat(features.get("usualPurchaseHour").asInt()).isEqualTo(usualHour);
        assertThat(customer.get("effectiveTimeZone").asText()).isEqualTo(zone.getId());
        return features;
    }
}
