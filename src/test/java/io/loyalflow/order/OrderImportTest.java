package io.loyalflow.order;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class OrderImportTest extends DatabaseTest {

    static final String NDJSON = "application/x-ndjson";

    @Autowired
    JdbcClient jdbc;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private String id(String name) {
        return name + "-" + run;
    }

    private String line(String orderId, String customerId, String amount) {
        return "{\"orderId\":\"" + id(orderId) + "\",\"customerId\":\"" + id(customerId)
                + "\",\"placedAt\":\"2026-02-03T10:15:00Z\",\"amount\":" + amount + ",\"currency\":\"USD\","
                + "\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":" + amount + "}]}";
    }

    private JsonPath importNdjson(String body) {
        return as(SERVICE)
                .contentType(NDJSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private long stored(String orderId) {
        return jdbc.sql("select count(*) from customer_order where order_id = ?")
                .param(id(orderId))
                .query(Long.class)
                .single();
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndNeverCostTheGoodOnes() {
        String body = String.join(
                        "\n",
                        line("o1", "c1", "10.00"),
                        "{\"orderId\": \"" + id("o2") + "\", \"customerId\": ",
                        line("o3", "c1", "-5"),
                        "",
                        line("o5", "c2", "20"),
                        line("o1", "c1", "10"),
                        line("o1", "c1", "11"),
                        "{\"orderId\":\"" + id("o8") + "\",\"customerId\":\"" + id("c2")
                                + "\",\"placedAt\":\"2026-02-03T10:15:00Z\",\"amount\":\"12\",\"currency\":\"USD\"}",
                        line("o9", "c3", "30"))
                + "\n";

        JsonPath report = importNdjson(body);

        assertThat(report.getString("format")).isEqualTo("ndjson");
        assertThat(report.getLong("orders")).isEqualTo(8);
        assertThat(report.getLong("created")).isEqualTo(3);
        assertThat(report.getLong("unchanged")).isEqualTo(1);
        assertThat(report.getLong("accepted")).isEqualTo(4);
        assertThat(report.getLong("rejected")).isEqualTo(4);
        assertThat(report.getLong("customersCreated")).isEqualTo(3);
        assertThat(report.getList("errors.line", Long.class)).containsExactly(2L, 3L, 7L, 8L);
        assertThat(report.getString("errors[0].errors[0].message")).contains("malformed JSON");
        assertThat(report.getString("errors[0].orderId")).isEqualTo(id("o2"));
        assertThat(report.getString("errors[1].errors[0].field")).isEqualTo("amount");
        assertThat(report.getList("errors[2].errors.field", String.class))
                .containsExactly("orderId", "amount", "items");
        assertThat(report.getString("errors[3].errors[0].field")).isEqualTo("amount");
        assertThat(report.getString("errors[3].errors[0].message")).isEqualTo("expected a number");

        assertThat(stored("o1")).isOne();
        assertThat(stored("o5")).isOne();
        assertThat(stored("o9")).isOne();
        assertThat(stored("o3") + stored("o2") + stored("o8")).isZero();
        as(SERVICE).get("/api/orders/{id}", id("o1")).then().body("amount", equalTo(10.00f));
    }

    @Test
    void thousandsOfOrdersAcrossChunksAndSendingTheFileAgainIsSafe() {
        StringBuilder body = new StringBuilder();
        int orders = 10_000;
        for (int i = 1; i <= orders; i++) {
            if (i % 997 == 0) {
                body.append("{\"orderId\":\"").append(id("big-" + i)).append("\",\"customerId\":\"bad id\"}\n");
            } else {
                body.append(line("big-" + i, "big-customer-" + (i % 1500), (i % 90 + 1) + ".50"))
                        .append('\n');
            }
        }
        int bad = orders / 997;
        assertThat(body.length()).as("larger than the JSON body limit").isGreaterThan(1 << 20);

        JsonPath first = importNdjson(body.toString());
        assertThat(first.getLong("created")).isEqualTo(orders - bad);
        assertThat(first.getLong("rejected")).isEqualTo(bad);
        assertThat(first.getLong("customersCreated")).isEqualTo(1500);
        assertThat(first.getList("errors.line", Long.class)).hasSize(bad).allMatch(line -> line % 997 == 0);
        assertThat(jdbc.sql("select count(*) from customer_order where order_id like ?")
                        .param("big-%-" + run)
                        .query(Long.class)
                        .single())
                .isEqualTo(orders - bad);

        JsonPath again = importNdjson(body.toString());
        assertThat(again.getLong("created")).isZero();
        assertThat(again.getLong("unchanged")).isEqualTo(orders - bad);
        assertThat(again.getLong("customersCreated")).isZero();
    }

    @Test
    void aLargeImportPublishesOneEventPerStoredChunkAndItsListenersTierEveryCustomer() {
        int orders = 20_000;
        int customers = 2_000;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= orders; i++) {
            // a customer's ten orders in a row, as a shop's export lists them
            body.append(line("pub-" + i, "pub-customer-" + ((i - 1) / (orders / customers)), (i % 90 + 1) + ".50"))
                    .append('\n');
        }

        JsonPath report = importNdjson(body.toString());

        assertThat(report.getLong("created")).isEqualTo(orders);
        List<OrdersRecorded> published = durableEvents.published(OrdersRecorded.class);
        assertThat(published)
                .as("one event per chunk of 1,000")
                .hasSize(orders / 1_000)
                .allSatisfy(event -> assertThat(event.orders()).hasSize(1_000));
        assertThat(published.stream().mapToLong(event -> event.orders().size()).sum())
                .isEqualTo(orders);
        durableEvents.awaitCompletion();
        // re-tiered by the orders' events, no refresh: every customer has a tier and its first TIER_CHANGED
        assertThat(jdbc.sql("select count(*) from customer_tier t join customer c on c.customer_key = t.customer_key "
                                + "where c.customer_id like ?")
                        .param("pub-customer-%-" + run)
                        .query(Long.class)
                        .single())
                .isEqualTo(customers);
        assertThat(jdbc.sql(
                                "select count(*) from segment_event e join customer c on c.customer_key = e.customer_key "
                                        + "where c.customer_id like ? and e.kind = 'TIER_CHANGED' and e.cause like 'order:pub-%'")
                        .param("pub-customer-%-" + run)
                        .query(Long.class)
                        .single())
                .isEqualTo(customers);

        durableEvents.clear();
        importNdjson(body.toString());
        assertThat(durableEvents.published(OrdersRecorded.class))
                .as("nothing new, nothing published")
                .isEmpty();
    }

    @Test
    void onlyTheFirstErrorsAreListedButAllAreCounted() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            body.append("not json\n");
        }
        JsonPath report = importNdjson(body.toString());
        assertThat(report.getLong("rejected")).isEqualTo(150);
        assertThat(report.getList("errors")).hasSize(100);
        assertThat(report.getLong("errorsOmitted")).isEqualTo(50);
    }

    @Test
    void csvRowsOfOneOrderAreGroupedAndBadRowsReported() {
        String csv = String.join(
                        "\r\n",
                        "orderId,customerId,placedAt,amount,currency,sku,quantity,unitPrice",
                        id("k1") + "," + id("kc1") + ",2026-02-03T10:15:00+01:00,25.00,USD,\"SHIRT, BLUE\",1,15.00",
                        id("k1") + "," + id("kc1") + ",2026-02-03T10:15:00+01:00,25.00,USD,SOCKS,2,5.00",
                        id("k2") + "," + id("kc2") + ",2026-02-04T08:00:00Z,9.99,USD,,,",
                        id("k3") + "," + id("kc2") + ",2026-02-04T08:00:00Z,abc,USD,,,",
                        id("k4") + "," + id("kc2") + ",2026-02-04T08:00:00Z,5,USD,X,1",
                        id("k5") + "," + id("kc3") + ",2026-02-05T08:00:00Z,7,USD,X,1,7",
                        id("k5") + "," + id("kc3") + ",2026-02-05T08:00:00Z,8,USD,Y,1,1",
                        id("k6") + "," + id("kc3") + ",2026-02-06,7,USD,,,")
                + "\r\n";
        JsonPath report = as(SERVICE)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(report.getString("format")).isEqualTo("csv");
        assertThat(report.getLong("orders")).isEqualTo(6);
        assertThat(report.getLong("created")).isEqualTo(2);
        assertThat(report.getList("errors.line", Long.class)).containsExactly(5L, 6L, 7L, 9L);
        assertThat(report.getString("errors[0].errors[0].field")).isEqualTo("amount");
        assertThat(report.getString("errors[1].errors[0].message")).contains("row has 7 columns, the header 8");
        assertThat(report.getString("errors[2].errors[0].field")).isEqualTo("amount");
        assertThat(report.getString("errors[2].errors[0].message")).contains("line 8");
        assertThat(report.getString("errors[3].errors[0].field")).isEqualTo("placedAt");

        as(SERVICE)
                .get("/api/orders/{id}", id("k1"))
                .then()
                .statusCode(200)
                .body("placedAt", equalTo("2026-02-03T09:15:00Z"))
                .body("items", hasSize(2))
                .body("items[0].sku", equalTo("SHIRT, BLUE"))
                .body("items[1].quantity", equalTo(2));
        as(SERVICE).get("/api/orders/{id}", id("k2")).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void csvAndNdjsonItemsMayNameTheirCategoryAndABadOneIsReportedOnItsLine() {
        String csv = String.join(
                        "\n",
                        "orderId,customerId,placedAt,amount,currency,sku,quantity,unitPrice,category",
                        id("g1") + "," + id("gc") + ",2026-02-03T10:15:00Z,20.00,USD,SHIRT,1,15.00,Shirts",
                        id("g1") + "," + id("gc") + ",2026-02-03T10:15:00Z,20.00,USD,SOCKS,1,5.00,",
                        id("g2") + "," + id("gc") + ",2026-02-03T10:15:00Z,5.00,USD,CAP,1,5.00,\"" + "x".repeat(101)
                                + "\"")
                + "\n";
        JsonPath report = as(SERVICE)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getLong("created")).isEqualTo(1);
        assertThat(report.getList("errors.line", Long.class)).containsExactly(4L);
        assertThat(report.getString("errors[0].errors[0].field")).isEqualTo("items[0].category");
        as(SERVICE)
                .get("/api/orders/{id}", id("g1"))
                .then()
                .statusCode(200)
                .body("items[0].category", equalTo("Shirts"))
                .body("items[1].category", nullValue());
        assertThat(stored("g2")).isZero();

        String ndjson = "{\"orderId\":\"" + id("g3") + "\",\"customerId\":\"" + id("gc") + "\",\"placedAt\":"
                + "\"2026-02-03T10:15:00Z\",\"amount\":5,\"currency\":\"USD\",\"items\":[{\"sku\":\"CAP\",\"quantity\":1,"
                + "\"unitPrice\":5,\"category\":\"Hats\"}]}\n"
                + "{\"orderId\":\"" + id("g4") + "\",\"customerId\":\"" + id("gc") + "\",\"placedAt\":"
                + "\"2026-02-03T10:15:00Z\",\"amount\":5,\"currency\":\"USD\",\"items\":[{\"sku\":\"CAP\",\"quantity\":1,"
                + "\"unitPrice\":5,\"category\":\"Hats\\u0000\"}]}\n";
        JsonPath lines = importNdjson(ndjson);
        assertThat(lines.getLong("created")).isEqualTo(1);
        assertThat(lines.getList("errors.line", Long.class)).containsExactly(2L);
        assertThat(lines.getString("errors[0].errors[0].field")).isEqualTo("items[0].category");
        as(SERVICE).get("/api/orders/{id}", id("g3")).then().body("items[0].category", equalTo("Hats"));
        assertThat(stored("g4")).isZero();
    }

    @Test
    void aCsvWithAWrongHeaderIsRefusedBeforeAnythingIsStored() {
        String csv = "orderId,customerId,placedAt,total,currency\n" + id("h1") + "," + id("hc")
                + ",2026-02-03T10:15:00Z,5,USD\n";
        as(SERVICE)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("total", "amount")));
        assertThat(stored("h1")).isZero();
    }

    @Test
    void gzipBodiesAreAccepted() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(zipped)) {
            gzip.write((line("z1", "zc", "3") + "\n" + line("z2", "zc", "4") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        as(SERVICE)
                .contentType(NDJSON)
                .header("Content-Encoding", "gzip")
                .body(zipped.toByteArray())
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(2))
                .body("aborted", nullValue());
    }

    @Test
    void otherFormatsAndEncodingsAreRefused() {
        as(SERVICE)
                .contentType("application/xml")
                .body("<orders/>")
                .post("/api/imports/orders")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("application/x-ndjson"));
        as(SERVICE)
                .contentType(NDJSON)
                .header("Content-Encoding", "br")
                .body(new byte[] {1})
                .post("/api/imports/orders")
                .then()
                .statusCode(415)
                .body("detail", containsString("gzip"));
    }
}
