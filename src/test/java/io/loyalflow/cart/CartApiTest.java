package io.loyalflow.cart;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carts through the API, on H2 and PostgreSQL, at an awkward time: the night Central Europe leaves
 * summer time (02:59 CEST becomes 02:00 CET at 01:00 UTC), with shop times sent in either offset.
 */
class CartApiTest extends DatabaseTest {

    /** 02:30 CET on 25 October 2026, half an hour after the clocks went back. */
    static final Instant NOW = Instant.parse("2026-10-25T01:30:00Z");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CartSignals signals;

    @Autowired
    CartQueries queries;

    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void atNight() {
        clock.set(NOW);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Map<String, Object> item(String sku, int quantity, String unitPrice) {
        Map<String, Object> item = new HashMap<>();
        item.put("sku", sku);
        item.put("name", "Product " + sku);
        item.put("quantity", quantity);
        item.put("unitPrice", new BigDecimal(unitPrice));
        item.put("category", "Shoes");
        item.put("productUrl", "https://shop.example/p/" + sku);
        item.put("imageUrl", "https://cdn.shop.example/i/" + sku + ".jpg");
        return item;
    }

    static Map<String, Object> cart(String customerId, String updatedAt, List<Map<String, Object>> items) {
        Map<String, Object> cart = new HashMap<>();
        if (customerId != null) {
            cart.put("customerId", customerId);
        }
        cart.put("items", items);
        cart.put("currency", "EUR");
        cart.put("updatedAt", updatedAt);
        return cart;
    }

    JsonPath put(String cartId, Map<String, Object> cart) {
        return as(SERVICE)
                .body(cart)
                .put("/api/carts/{id}", cartId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    JsonPath post(String cartId, String event, Map<String, Object> body) {
        return as(SERVICE)
                .body(body)
                .post("/api/carts/{id}/" + event, cartId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    JsonPath get(String cartId) {
        return as(SERVICE)
                .get("/api/carts/{id}", cartId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    long rows(String cartId) {
        return jdbc.sql("select count(*) from cart where cart_id = ?")
                .param(cartId)
                .query(Long.class)
                .single();
    }

    @Test
    void olderDuplicateAndEqualTimedUpdatesChangeNothing() {
        String cartId = unique("cart");
        String customerId = unique("c");
        // 02:10 CEST = 00:10 UTC, before the clocks went back
        JsonPath first = put(cartId, cart(customerId, "2026-10-25T02:10:00+02:00", List.of(item("A", 1, "19.99"))));
        assertThat(first.getBoolean("applied")).isTrue();
        assertThat(first.getString("status")).isEqualTo("ACTIVE");
        assertThat(first.getLong("version")).isEqualTo(1);
        assertThat(first.getString("updatedAt")).isEqualTo("2026-10-25T00:10:00Z");

        // the newer update (02:20 CET = 01:20 UTC) arrives, then an older one (02:40 CEST = 00:40 UTC) that was
        // delayed: its local time reads later, its instant is earlier
        assertThat(put(cartId, cart(customerId, "2026-10-25T02:20:00+01:00", List.of(item("A", 2, "19.99"))))
                        .getBoolean("applied"))
                .isTrue();
        JsonPath late = put(cartId, cart(customerId, "2026-10-25T02:40:00+02:00", List.of(item("B", 5, "1.00"))));
        assertThat(late.getBoolean("applied")).isFalse();
        assertThat(late.getLong("version")).isEqualTo(2);

        // the same update again, and another content at the same instant (written in UTC): not newer
        assertThat(put(cartId, cart(customerId, "2026-10-25T02:20:00+01:00", List.of(item("A", 2, "19.99"))))
                        .getBoolean("applied"))
                .isFalse();
        assertThat(put(cartId, cart(customerId, "2026-10-25T01:20:00Z", List.of(item("C", 9, "9.00"))))
                        .getBoolean("applied"))
                .isFalse();

        JsonPath stored = get(cartId);
        assertThat(stored.getLong("version")).isEqualTo(2);
        assertThat(stored.getList("items.sku")).containsExactly("A");
        assertThat(stored.getInt("items[0].quantity")).isEqualTo(2);
        assertThat(stored.getString("total")).isEqualTo("39.98");
        assertThat(stored.getString("updatedAt")).isEqualTo("2026-10-25T01:20:00Z");
        assertThat(stored.getString("customerId")).isEqualTo(customerId);
    }

    @Test
    void anAnonymousCartIsKeptAndLinkedWhenTheShopNamesTheCustomer() {
        String cartId = unique("cart");
        String customerId = unique("c");
        put(cartId, cart(null, "2026-10-25T00:59:59Z", List.of(item("A", 1, "5"))));
        assertThat(get(cartId).getString("customerId")).isNull();
        assertThat(queries.current(cartId).orElseThrow().customerKey()).isNull();

        JsonPath linked = put(cartId, cart(customerId, "2026-10-25T01:00:01Z", List.of(item("A", 1, "5"))));
        assertThat(linked.getBoolean("applied")).isTrue();
        assertThat(get(cartId).getString("customerId")).isEqualTo(customerId);
        // the customer the shop named did not exist: created bare, as orders do
        as(SERVICE).get("/api/customers/{id}", customerId).then().statusCode(200);
        // a later anonymous update (the shop lost the session) keeps the customer
        put(cartId, cart(null, "2026-10-25T01:05:00Z", List.of(item("A", 3, "5"))));
        assertThat(get(cartId).getString("customerId")).isEqualTo(customerId);
    }

    @Test
    void emptyItemsAndTheClearedEventClearTheCart() {
        String cartId = unique("cart");
        put(cartId, cart(unique("c"), "2026-10-25T00:00:00Z", List.of(item("A", 1, "5"))));
        JsonPath emptied = put(cartId, cart(null, "2026-10-25T00:05:00Z", List.of()));
        assertThat(emptied.getString("status")).isEqualTo("CLEARED");
        assertThat(emptied.getInt("itemCount")).isZero();

        put(cartId, cart(null, "2026-10-25T00:10:00Z", List.of(item("B", 1, "7"))));
        assertThat(get(cartId).getString("status")).isEqualTo("ACTIVE");

        JsonPath cleared = post(cartId, "cleared", Map.of("at", "2026-10-25T02:15:00+02:00"));
        assertThat(cleared.getBoolean("applied")).isTrue();
        assertThat(cleared.getString("status")).isEqualTo("CLEARED");
        assertThat(get(cartId).getList("items")).isEmpty();
        assertThat(get(cartId).getString("total")).isIn("0", "0.0", "0.00", "0.0000");

        // an update from before the clearing, delivered late, does not bring the items back
        JsonPath late = put(cartId, cart(null, "2026-10-25T00:12:00Z", List.of(item("B", 2, "7"))));
        assertThat(late.getBoolean("applied")).isFalse();
        assertThat(get(cartId).getString("status")).isEqualTo("CLEARED");
        // the same clearing again changes nothing
        assertThat(post(cartId, "cleared", Map.of("at", "2026-10-25T00:15:00Z")).getBoolean("applied"))
                .isFalse();
    }

    @Test
    void checkoutStartedAndCompletedConvertTheCart() {
        String cartId = unique("cart");
        put(cartId, cart(unique("c"), "2026-10-25T00:00:00Z", List.of(item("A", 1, "5"))));
        JsonPath started = post(cartId, "checkout-started", Map.of("at", "2026-10-25T00:01:00Z"));
        assertThat(started.getString("status")).isEqualTo("CHECKOUT");
        assertThat(started.getLong("version")).isEqualTo(2);

        JsonPath completed =
                post(cartId, "checkout-completed", Map.of("at", "2026-10-25T00:02:00Z", "orderId", "o-" + cartId));
        assertThat(completed.getString("status")).isEqualTo("CONVERTED");
        assertThat(get(cartId).getString("orderId")).isEqualTo("o-" + cartId);
        assertThat(post(cartId, "checkout-completed", Map.of("at", "2026-10-25T00:02:00Z"))
                        .getBoolean("applied"))
                .isFalse();

        // the shop empties the cart after the order: it stays converted
        JsonPath emptied = put(cartId, cart(null, "2026-10-25T00:03:00Z", List.of()));
        assertThat(emptied.getBoolean("applied")).isTrue();
        assertThat(emptied.getString("status")).isEqualTo("CONVERTED");
    }

    @Test
    void anOrderNamingTheCartConvertsIt() {
        String cartId = unique("cart");
        String customerId = unique("c");
        put(cartId, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        Map<String, Object> order = order(customerId, "2026-10-25T00:30:00Z");
        order.put("cartId", cartId);
        as(SERVICE).body(order).post("/api/orders").then().statusCode(201).body("cartId", equalTo(cartId));

        // the order was placed before the cart's last update, but it names the cart
        JsonPath stored = get(cartId);
        assertThat(stored.getString("status")).isEqualTo("CONVERTED");
        assertThat(stored.getString("orderId")).isEqualTo(order.get("orderId"));
        // the anonymous cart is now its customer's
        assertThat(stored.getString("customerId")).isEqualTo(customerId);
        assertThat(stored.getLong("version")).isEqualTo(2);
    }

    @Test
    void aLaterOrderOfTheCustomerConvertsTheirOpenCarts() {
        String customerId = unique("c");
        String cartId = unique("cart");
        String otherCart = unique("cart");
        put(cartId, cart(customerId, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        put(otherCart, cart(unique("other"), "2026-10-25T00:00:00Z", List.of(item("A", 1, "5"))));

        // an order placed before the cart's last update leaves it open
        placeOrder(customerId, Instant.parse("2026-10-25T00:59:59Z"), "5");
        assertThat(get(cartId).getString("status")).isEqualTo("ACTIVE");

        placeOrder(customerId, Instant.parse("2026-10-25T01:00:00Z"), "5");
        assertThat(get(cartId).getString("status")).isEqualTo("CONVERTED");
        assertThat(get(otherCart).getString("status")).isEqualTo("ACTIVE");
        // the conversion counts as the cart's latest change: a delayed older update does not reopen it
        assertThat(put(cartId, cart(customerId, "2026-10-25T00:59:00Z", List.of(item("B", 1, "5"))))
                        .getBoolean("applied"))
                .isFalse();
    }

    @Test
    void importedOrdersNameCartsInNdjsonAndCsv() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ndjsonCart = "nd-" + run;
        String csvCart = "csv-" + run;
        put(ndjsonCart, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        put(csvCart, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        String line = "{\"orderId\":\"io-" + run + "\",\"customerId\":\"ic-" + run
                + "\",\"placedAt\":\"2026-10-25T00:00:00Z\",\"amount\":5,\"currency\":\"USD\",\"cartId\":\""
                + ndjsonCart
                + "\"}\n";
        as(SERVICE)
                .contentType("application/x-ndjson")
                .body(line.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));
        String csv = "orderId,customerId,placedAt,amount,currency,sku,quantity,unitPrice,cart_id\n"
                + "ko-" + run + ",kc-" + run + ",2026-10-25T00:00:00Z,10,USD,A,1,5," + csvCart + "\n"
                + "ko-" + run + ",kc-" + run + ",2026-10-25T00:00:00Z,10,USD,B,1,5," + csvCart + "\n";
        as(SERVICE)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/imports/orders")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));

        as(SERVICE).get("/api/orders/{id}", "io-" + run).then().body("cartId", equalTo(ndjsonCart));
        as(SERVICE).get("/api/orders/{id}", "ko-" + run).then().body("cartId", equalTo(csvCart));
        assertThat(get(ndjsonCart).getString("status")).isEqualTo("CONVERTED");
        assertThat(get(csvCart).getString("status")).isEqualTo("CONVERTED");
        assertThat(get(csvCart).getString("customerId")).isEqualTo("kc-" + run);
        // the same order resent with another cart is a conflict naming the field
        Map<String, Object> other = new HashMap<>(Map.of(
                "orderId",
                "io-" + run,
                "customerId",
                "ic-" + run,
                "placedAt",
                "2026-10-25T00:00:00Z",
                "amount",
                5,
                "currency",
                "USD",
                "cartId",
                "another-" + run));
        as(SERVICE)
                .body(other)
                .post("/api/orders")
                .then()
                .statusCode(409)
                .body("errors.field", equalTo(List.of("cartId")));
    }

    @Test
    void erasingTheCustomerDeletesTheirCarts() {
        String customerId = unique("c");
        String cartId = unique("cart");
        String anonymousCart = unique("cart");
        put(cartId, cart(customerId, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        put(anonymousCart, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5"))));
        as(SERVICE).delete("/api/customers/{id}", customerId).then().statusCode(204);

        as(SERVICE).get("/api/carts/{id}", cartId).then().statusCode(404);
        assertThat(rows(cartId)).isZero();
        assertThat(rows(anonymousCart)).isOne();
    }

    @Test
    void twentyParallelUpdatesOfOneCartLeaveTheNewest() throws Exception {
        String cartId = unique("cart");
        String customerId = unique("c");
        Instant base = Instant.parse("2026-10-25T00:59:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<JsonPath>> answers = new ArrayList<>();
        try {
            List<Callable<JsonPath>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                calls.add(() -> put(
                        cartId,
                        cart(customerId, base.plusMillis(n).toString(), List.of(item("SKU-" + n, n + 1, "1.50")))));
            }
            answers.addAll(pool.invokeAll(calls));
        } finally {
            pool.shutdown();
        }
        long applied = 0;
        for (Future<JsonPath> answer : answers) {
            applied += answer.get().getBoolean("applied") ? 1 : 0;
        }
        JsonPath stored = get(cartId);
        assertThat(stored.getList("items.sku")).containsExactly("SKU-19");
        assertThat(stored.getString("updatedAt")).isEqualTo(base.plusMillis(19).toString());
        assertThat(stored.getLong("version")).isEqualTo(applied);
        assertThat(applied).isBetween(1L, 20L);
        assertThat(jdbc.sql("select count(*) from customer where customer_id = ?")
                        .param(customerId)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void journeysSeeEachCartOnceWithItsLatestVersion() {
        String cartId = unique("cart");
        put(cartId, cart(unique("c"), "2026-10-25T00:00:00Z", List.of(item("A", 1, "5"))));
        put(cartId, cart(null, "2026-10-25T00:01:00Z", List.of(item("A", 2, "5"))));
        put(cartId, cart(null, "2026-10-25T00:02:00Z", List.of(item("A", 3, "5"))));
        assertThat(signals.pending(10_000)).containsOnlyOnce(cartId);

        CartChange change = transactions.execute(tx -> {
            CartChange locked = signals.lockPending(cartId).orElseThrow();
            // a change while journeys work on version 3 stays pending after they handled 3
            signals.handled(cartId, locked.version() - 1);
            return locked;
        });
        assertThat(change.version()).isEqualTo(3);
        assertThat(change.status()).isEqualTo(CartStatus.ACTIVE);
        assertThat(change.updatedAt()).isEqualTo(Instant.parse("2026-10-25T00:02:00Z"));
        assertThat(signals.pending(10_000)).contains(cartId);

        transactions.executeWithoutResult(tx -> signals.handled(cartId, 3));
        assertThat(signals.pending(10_000)).doesNotContain(cartId);
        Optional<CartChange> none = transactions.execute(tx -> signals.lockPending(cartId));
        assertThat(none).isEmpty();

        put(cartId, cart(null, "2026-10-25T00:03:00Z", List.of()));
        assertThat(signals.pending(10_000)).contains(cartId);
        Optional<CartChange> cleared = transactions.execute(tx -> signals.lockPending(cartId));
        assertThat(cleared).map(CartChange::status).contains(CartStatus.CLEARED);
    }

    @Test
    void contentsShowTheLinesTotalsAndALinkBack() {
        String cartId = unique("cart");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(item("S" + i, 2, "0.50"));
        }
        put(cartId, cart(null, "2026-10-25T00:00:00Z", items));
        CartContents contents = queries.contents(cartId).orElseThrow();
        assertThat(contents.items()).hasSize(20);
        assertThat(contents.itemCount()).isEqualTo(25);
        assertThat(contents.total()).isEqualByComparingTo("25");
        assertThat(contents.currency()).isEqualTo("EUR");
        assertThat(contents.cartUrl()).isEqualTo("https://shop.example/cart/" + cartId);
        assertThat((BigDecimal) contents.items().get(0).get("lineTotal")).isEqualByComparingTo("1.00");
        assertThat(contents.items().get(0)).containsEntry("imageUrl", "https://cdn.shop.example/i/S0.jpg");

        Map<String, Object> withLink = cart(null, "2026-10-25T00:01:00Z", List.of(item("A", 1, "5")));
        withLink.put("cartUrl", "https://shop.example/basket?id=" + cartId);
        put(cartId, withLink);
        assertThat(queries.contents(cartId).orElseThrow().cartUrl())
                .isEqualTo("https://shop.example/basket?id=" + cartId);
    }

    static Map<String, Object> batched(String cartId, Map<String, Object> cart) {
        Map<String, Object> update = new HashMap<>(cart);
        update.put("cartId", cartId);
        return update;
    }

    @Test
    void aBatchAppliesItsUpdatesInOrderAndAnswersEach() {
        String first = unique("batch");
        String second = unique("batch");
        String customerId = unique("bcust");
        List<Map<String, Object>> updates = List.of(
                batched(first, cart(customerId, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5")))),
                batched(second, cart(null, "2026-10-25T01:00:00Z", List.of(item("B", 2, "3.50")))),
                // the same cart again, newer: applies; then an older one: ignored
                batched(first, cart(customerId, "2026-10-25T02:05:00+01:00", List.of(item("A", 3, "5")))),
                batched(first, cart(customerId, "2026-10-25T00:59:00Z", List.of())));
        JsonPath answers = as(SERVICE)
                .body(Map.of("updates", updates))
                .post("/api/carts/updates")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answers.getList("applied", Boolean.class)).containsExactly(true, true, true, false);
        assertThat(answers.getList("version", Long.class)).containsExactly(1L, 1L, 2L, 2L);
        assertThat(get(first).getInt("items[0].quantity")).isEqualTo(3);
        assertThat(get(first).getString("customerId")).isEqualTo(customerId);
        assertThat(get(second).getString("customerId")).isNull();
        assertThat(new BigDecimal(get(second).getString("total"))).isEqualByComparingTo("7");
    }

    @Test
    void aBatchWithOneBadUpdateIsRefusedWholeNamingItsIndex() {
        String good = unique("batch");
        String bad = unique("batch");
        Map<String, Object> faulty = batched(bad, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 0, "5"))));
        as(SERVICE)
                .body(Map.of(
                        "updates",
                        List.of(batched(good, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5")))), faulty)))
                .post("/api/carts/updates")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("updates[1].items[0].quantity"));
        assertThat(rows(good)).isZero();
        assertThat(rows(bad)).isZero();
        as(SERVICE)
                .body(Map.of("updates", List.of()))
                .post("/api/carts/updates")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("updates"));
        List<Map<String, Object>> tooMany = java.util.Collections.nCopies(
                CartUpdates.MAX_UPDATES + 1,
                batched(good, cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5")))));
        as(SERVICE)
                .body(Map.of("updates", tooMany))
                .post("/api/carts/updates")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("updates"));
        assertThat(rows(good)).isZero();
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndStoresNothing() {
        // values the rules refuse: 422; text that is not JSON of the expected type: 400 (as for orders)
        record Bad(String field, Consumer<Map<String, Object>> change, int status) {
            Bad(String field, Consumer<Map<String, Object>> change) {
                this(field, change, 422);
            }
        }
        String tooLong = "x".repeat(201);
        List<Bad> cases = List.of(
                new Bad("customerId", c -> c.put("customerId", "bad id")),
                new Bad("items", c -> c.remove("items")),
                new Bad("items", c -> c.put("items", java.util.Collections.nCopies(201, item("A", 1, "1")))),
                new Bad("items[0].sku", c -> first(c).put("sku", "")),
                new Bad("items[0].sku", c -> first(c).put("sku", "A\tB")),
                new Bad("items[0].name", c -> first(c).put("name", tooLong)),
                new Bad("items[0].name", c -> first(c).remove("name")),
                new Bad("items[0].quantity", c -> first(c).put("quantity", 0)),
                new Bad("items[0].quantity", c -> first(c).put("quantity", 10_001)),
                new Bad("items[0].unitPrice", c -> first(c).put("unitPrice", new BigDecimal("-1"))),
                new Bad("items[0].unitPrice", c -> first(c).put("unitPrice", new BigDecimal("1.005"))),
                new Bad("items[0].category", c -> first(c).put("category", " ")),
                new Bad("items[0].productUrl", c -> first(c).put("productUrl", "javascript:alert(1)")),
                new Bad("items[0].imageUrl", c -> first(c).put("imageUrl", "https://x.example/" + "a".repeat(2000))),
                new Bad("currency", c -> c.put("currency", "eur")),
                new Bad("currency", c -> c.put("currency", "XYZ")),
                new Bad("currency", c -> c.remove("currency")),
                new Bad("updatedAt", c -> c.remove("updatedAt")),
                new Bad("updatedAt", c -> c.put("updatedAt", "2026-10-25T01:36:00Z")),
                new Bad("updatedAt", c -> c.put("updatedAt", "2026-10-25 01:00"), 400),
                new Bad("items[0].quantity", c -> first(c).put("quantity", "2"), 400),
                new Bad("cartUrl", c -> c.put("cartUrl", "ftp://shop.example/cart")));
        for (Bad bad : cases) {
            String cartId = unique("bad");
            String customerId = unique("bc");
            Map<String, Object> body = cart(customerId, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5")));
            body.put("items", new ArrayList<>(List.of(new HashMap<>(item("A", 1, "5")))));
            bad.change().accept(body);
            as(SERVICE)
                    .body(body)
                    .put("/api/carts/{id}", cartId)
                    .then()
                    .statusCode(bad.status())
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(bad.field()));
            assertThat(rows(cartId)).as(bad.field()).isZero();
            as(SERVICE).get("/api/customers/{id}", customerId).then().statusCode(404);
        }
        as(SERVICE)
                .body(cart(null, "2026-10-25T01:00:00Z", List.of()))
                .put("/api/carts/{id}", "-starts-with-a-dash")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("cartId"));
        String cartId = unique("bad");
        as(SERVICE)
                .body(Map.of("at", "2027-01-01T00:00:00Z"))
                .post("/api/carts/{id}/cleared", cartId)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("at"));
        as(SERVICE)
                .body(Map.of("at", "2026-10-25T01:00:00Z", "orderId", "o 1"))
                .post("/api/carts/{id}/checkout-completed", cartId)
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("orderId"));
        as(SERVICE)
                .body(Map.of("at", "2026-10-25T01:00:00Z", "orderId", "o-1"))
                .post("/api/carts/{id}/checkout-started", cartId)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("orderId"));
        assertThat(rows(cartId)).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> cart) {
        return ((List<Map<String, Object>>) cart.get("items")).get(0);
    }

    @Test
    void onlyTheServiceAccountAndAdminsReachCarts() {
        String cartId = unique("cart");
        Map<String, Object> body = cart(null, "2026-10-25T01:00:00Z", List.of(item("A", 1, "5")));
        as(ANALYST).body(body).put("/api/carts/{id}", cartId).then().statusCode(403);
        as(OPERATOR).body(body).put("/api/carts/{id}", cartId).then().statusCode(403);
        anonymous().body(body).put("/api/carts/{id}", cartId).then().statusCode(401);
        assertThat(rows(cartId)).isZero();
        as(ADMIN).body(body).put("/api/carts/{id}", cartId).then().statusCode(200);
        as(ANALYST).get("/api/carts/{id}", cartId).then().statusCode(403);
        as(OPERATOR).get("/api/carts/{id}", cartId).then().statusCode(403);
        anonymous().get("/api/carts/{id}", cartId).then().statusCode(401);
        as(OPERATOR)
                .body(Map.of("at", "2026-10-25T01:00:00Z"))
                .post("/api/carts/{id}/cleared", cartId)
                .then()
                .statusCode(403);
        as(ADMIN).get("/api/carts/{id}", cartId).then().statusCode(200).body("items", hasSize(1));
        as(SERVICE).get("/api/carts/{id}", unique("none")).then().statusCode(404);
        as(SERVICE).get("/api/carts/{id}", cartId).then().body("orderId", nullValue());
    }

    private static Map<String, Object> order(String customerId, String placedAt) {
        Map<String, Object> order = new HashMap<>();
        order.put("orderId", unique("o"));
        order.put("customerId", customerId);
        order.put("placedAt", placedAt);
        order.put("amount", new BigDecimal("5"));
        order.put("currency", "USD");
        order.put("items", List.of(Map.of("sku", "A", "quantity", 1, "unitPrice", new BigDecimal("5"))));
        return order;
    }
}
