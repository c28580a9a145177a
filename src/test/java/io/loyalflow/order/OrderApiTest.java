package io.loyalflow.order;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.loyalflow.testsupport.DatabaseTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class OrderApiTest extends DatabaseTest {

    @Autowired
    JdbcClient jdbc;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Map<String, Object> order(String orderId, String customerId) {
        Map<String, Object> order = new HashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("placedAt", "2026-03-01T19:30:00+01:00");
        order.put("amount", 59.9);
        order.put("currency", "USD");
        order.put(
                "items",
                List.of(
                        Map.of("sku", "SHOE-38", "quantity", 1, "unitPrice", 49.9),
                        Map.of("sku", "SOCKS", "quantity", 2, "unitPrice", 5)));
        return order;
    }

    @Test
    void recordsAnOrderOnceAndAnswersTheSameOrderAgainWith200() {
        String orderId = unique("o");
        String customerId = unique("c");
        as(SERVICE)
                .body(order(orderId, customerId))
                .post("/api/orders")
                .then()
                .statusCode(201)
                .header("Location", endsWith("/api/orders/" + orderId))
                .body("orderId", equalTo(orderId))
                .body("customerId", equalTo(customerId))
                .body("placedAt", equalTo("2026-03-01T18:30:00Z"))
                .body("amount", equalTo(59.90f))
                .body("items", hasSize(2))
                .body("items[1].sku", equalTo("SOCKS"))
                .body("items[1].unitPrice", equalTo(5.00f));

        // Same order, written differently: other offset for the same instant, 59.90 for 59.9.
        Map<String, Object> again = order(orderId, customerId);
        again.put("placedAt", "2026-03-01T18:30:00Z");
        again.put("amount", new java.math.BigDecimal("59.90"));
        as(SERVICE)
                .body(again)
                .post("/api/orders")
                .then()
                .statusCode(200)
                .body("orderId", equalTo(orderId))
                .body("amount", equalTo(59.90f));

        assertThat(jdbc.sql("select count(*) from customer_order where order_id = ?")
                        .param(orderId)
                        .query(Long.class)
                        .single())
                .isOne();
        as(SERVICE).get("/api/orders/{id}", orderId).then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void aDifferentOrderUnderTheSameIdIsAConflictThatChangesNothing() {
        String orderId = unique("o");
        String customerId = unique("c");
        as(SERVICE).body(order(orderId, customerId)).post("/api/orders").then().statusCode(201);
        Map<String, Object> changed = order(orderId, customerId);
        changed.put("amount", 64.9);
        changed.put("items", List.of(Map.of("sku", "SHOE-39", "quantity", 1, "unitPrice", 64.9)));
        as(SERVICE)
                .body(changed)
                .post("/api/orders")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:loyalflow:problem:conflict"))
                .body("errors.field", equalTo(List.of("amount", "items")))
                .body("errors[0].message", equalTo("recorded 59.9, received 64.9"));
        as(SERVICE)
                .get("/api/orders/{id}", orderId)
                .then()
                .body("amount", equalTo(59.90f))
                .body("items[0].sku", equalTo("SHOE-38"));
    }

    @Test
    void anOrderForAnUnknownCustomerCreatesThatCustomer() {
        String customerId = unique("c");
        as(SERVICE)
                .body(order(unique("o"), customerId))
                .post("/api/orders")
                .then()
                .statusCode(201);
        as(SERVICE)
                .get("/api/customers/{id}", customerId)
                .then()
                .statusCode(200)
                .body("origin", equalTo("ORDER"))
                .body("email", equalTo(null))
                .body("features.orders", equalTo(1));
    }

    @Test
    void anItemMayNameItsCategoryWhichIsPartOfTheOrder() {
        String orderId = unique("o");
        String customerId = unique("c");
        Map<String, Object> order = order(orderId, customerId);
        order.put(
                "items",
                List.of(
                        Map.of("sku", "SHOE-38", "quantity", 1, "unitPrice", 49.9, "category", "Shoes"),
                        Map.of("sku", "SOCKS", "quantity", 2, "unitPrice", 5)));
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(201)
                .body("items[0].category", equalTo("Shoes"))
                .body("items[1].category", equalTo(null));
        as(SERVICE)
                .get("/api/orders/{id}", orderId)
                .then()
                .statusCode(200)
                .body("items[0].category", equalTo("Shoes"))
                .body("items[1].category", equalTo(null));

        as(SERVICE).body(order).post("/api/orders").then().statusCode(200);
        Map<String, Object> recategorised = order(orderId, customerId);
        recategorised.put(
                "items",
                List.of(
                        Map.of("sku", "SHOE-38", "quantity", 1, "unitPrice", 49.9, "category", "Boots"),
                        Map.of("sku", "SOCKS", "quantity", 2, "unitPrice", 5)));
        as(SERVICE)
                .body(recategorised)
                .post("/api/orders")
                .then()
                .statusCode(409)
                .body("errors.field", hasItem("items"));
        as(SERVICE).get("/api/orders/{id}", orderId).then().body("items[0].category", equalTo("Shoes"));
    }

    @Test
    void aBadCategoryIsRefusedNamingTheItemAndNothingIsStored() {
        String orderId = unique("o");
        Map<String, Object> order = order(orderId, unique("c"));
        order.put(
                "items",
                List.of(
                        Map.of("sku", "A", "quantity", 1, "unitPrice", 1, "category", "  "),
                        Map.of("sku", "B", "quantity", 1, "unitPrice", 1, "category", "Shoes\u0007"),
                        Map.of("sku", "C", "quantity", 1, "unitPrice", 1, "category", "x".repeat(101)),
                        Map.of("sku", "D", "quantity", 1, "unitPrice", 1, "category", "Hats")));
        var errors = as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .extract()
                .jsonPath()
                .getList("errors.field", String.class);
        assertThat(errors).containsExactlyInAnyOrder("items[0].category", "items[1].category", "items[2].category");
        assertThat(jdbc.sql("select count(*) from customer_order where order_id = ?")
                        .param(orderId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void invalidOrdersAreRefusedNamingEachField() {
        Map<String, Object> bad = order("-bad id", "c 1");
        bad.put("amount", -1);
        bad.put("currency", "usd");
        bad.put("items", List.of(Map.of("sku", "", "quantity", 0, "unitPrice", 1.23456)));
        var errors = as(SERVICE)
                .body(bad)
                .post("/api/orders")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .extract()
                .jsonPath()
                .getList("errors.field", String.class);
        assertThat(errors)
                .contains(
                        "orderId",
                        "customerId",
                        "amount",
                        "currency",
                        "items[0].sku",
                        "items[0].quantity",
                        "items[0].unitPrice");
    }

    @Test
    void ordersMustBeInTheShopsCurrencyAndNotInTheFuture() {
        clock.set(Instant.parse("2026-03-01T12:00:00Z"));
        Map<String, Object> order = order(unique("o"), unique("c"));
        order.put("currency", "EUR");
        order.put("placedAt", "2026-03-02T12:00:00Z");
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("currency", "placedAt")))
                .body("errors[0].message", containsString("USD"));
    }

    @Test
    void wrongTypesAndUnknownFieldsAre400WithTheField() {
        Map<String, Object> order = order(unique("o"), unique("c"));
        order.put("amount", "59.90");
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("amount"))
                .body("errors[0].message", equalTo("expected a number"));

        order = order(unique("o"), unique("c"));
        order.put("items", List.of(Map.of("sku", "A", "quantity", 1.5, "unitPrice", 1)));
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("items[0].quantity"));

        order = order(unique("o"), unique("c"));
        order.put("placedAt", "2026-03-01T19:30:00");
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("placedAt"))
                .body("errors[0].message", containsString("with offset"));

        order = order(unique("o"), unique("c"));
        order.put("discountCode", "X");
        as(SERVICE)
                .body(order)
                .post("/api/orders")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("discountCode"))
                .body("errors[0].message", containsString("unknown field"));
    }

    @Test
    void unknownOrdersAre404() {
        as(SERVICE).get("/api/orders/{id}", unique("o")).then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void theSameNewOrderSentConcurrentlyIsRecordedOnce() throws Exception {
        String orderId = unique("o");
        String customerId = unique("c");
        List<Integer> statuses = concurrently(
                8,
                i -> as(SERVICE)
                        .body(order(orderId, customerId))
                        .post("/api/orders")
                        .then()
                        .extract()
                        .statusCode());
        assertThat(statuses).containsOnly(201, 200);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(jdbc.sql("select count(*) from customer where customer_id = ?")
                        .param(customerId)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void concurrentFirstOrdersOfOneNewCustomerCreateOneCustomer() throws Exception {
        String customerId = unique("c");
        List<Integer> statuses = concurrently(
                8,
                i -> as(SERVICE)
                        .body(order(unique("o" + i), customerId))
                        .post("/api/orders")
                        .then()
                        .extract()
                        .statusCode());
        assertThat(statuses).containsOnly(201);
        as(SERVICE).get("/api/customers/{id}", customerId).then().body("features.orders", equalTo(8));
        assertThat(jdbc.sql("select count(*) from customer where customer_id = ?")
                        .param(customerId)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void conflictDetailsNameTheFieldsThatDiffer() {
        String orderId = unique("o");
        as(SERVICE).body(order(orderId, unique("c"))).post("/api/orders").then().statusCode(201);
        as(SERVICE)
                .body(order(orderId, unique("someone-else")))
                .post("/api/orders")
                .then()
                .statusCode(409)
                .body("errors.field", hasItem("customerId"));
    }

    interface Call {
        int run(int i);
    }

    private static List<Integer> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return call.run(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
