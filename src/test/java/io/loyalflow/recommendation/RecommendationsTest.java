package io.loyalflow.recommendation;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyalflow.recommendation.ProductRecommendations.Product;
import io.loyalflow.testsupport.DatabaseTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Best sellers computed from the orders (what recommendations are before the first model, or while the model is
 * stale): best sellers of the recent window among
 * the customer's categories, never what the customer bought, overall best sellers to fill the list.
 * Each test works in a year of its own, so the windows of the tests never share an order.
 */
class RecommendationsTest extends DatabaseTest {

    @Autowired
    ProductRecommendations recommendations;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private String sku(String name) {
        return name + "-" + run;
    }

    private String category(String name) {
        return name + "-" + run;
    }

    private void order(String customerId, Instant placedAt, String sku, String category, int quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("quantity", quantity);
        item.put("unitPrice", BigDecimal.TEN);
        if (category != null) {
            item.put("category", category);
        }
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        BigDecimal.TEN.multiply(BigDecimal.valueOf(quantity)),
                        "currency",
                        "USD",
                        "items",
                        List.of(item)))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    private String customer() {
        return "rec-" + UUID.randomUUID();
    }

    @Test
    void bestSellersOfTheCustomersCategoriesComeFirstWithoutWhatTheCustomerBought() {
        Instant now = Instant.parse("2031-05-20T12:00:00Z");
        clock.set(now);
        String ann = customer();
        order(ann, now.minus(Duration.ofDays(300)), sku("BOOT"), category("shoes"), 1);
        order(ann, now.minus(Duration.ofDays(250)), sku("SCARF"), category("scarves"), 1);
        String others = customer();
        Instant recently = now.minus(Duration.ofDays(5));
        order(others, recently, sku("BOOT"), category("shoes"), 50); // Ann has it
        order(others, recently, sku("SANDAL"), category("shoes"), 7);
        order(others, recently, sku("SNEAKER"), category("shoes"), 9);
        order(others, recently, sku("SILK"), category("scarves"), 8);
        order(others, recently, sku("TV"), category("tv"), 100); // not one of Ann's categories

        assertThat(recommendations.forCustomer(ann, 3))
                .containsExactly(
                        new Product(sku("SNEAKER"), category("shoes")),
                        new Product(sku("SILK"), category("scarves")),
                        new Product(sku("SANDAL"), category("shoes")));
        // too few in her categories: the overall best seller fills the list
        assertThat(recommendations.forCustomer(ann, 4)).last().isEqualTo(new Product(sku("TV"), category("tv")));
        // the configured number (3 by default)
        assertThat(recommendations.forCustomer(ann)).hasSize(3);
    }

    @Test
    void aCustomerWithoutCategoriesGetsTheOverallBestSellers() {
        Instant now = Instant.parse("2032-05-20T12:00:00Z");
        clock.set(now);
        String bob = customer();
        order(bob, now.minus(Duration.ofDays(200)), sku("GIFT"), null, 1);
        String others = customer();
        Instant recently = now.minus(Duration.ofDays(3));
        order(others, recently, sku("GIFT"), null, 90); // Bob has it
        order(others, recently, sku("MUG"), category("kitchen"), 12);
        order(others, recently, sku("PEN"), null, 30);
        order(others, recently, sku("LAMP"), category("home"), 12); // ties with MUG: by sku

        assertThat(recommendations.forCustomer(bob, 3))
                .containsExactly(
                        new Product(sku("PEN"), null),
                        new Product(sku("LAMP"), category("home")),
                        new Product(sku("MUG"), category("kitchen")));
        assertThat(recommendations.forCustomer("never-seen-" + run, 1)).containsExactly(new Product(sku("GIFT"), null));
    }

    @Test
    void onlyOrdersWithinTheWindowCount() {
        Instant now = Instant.parse("2033-05-20T12:00:00Z");
        clock.set(now);
        String cleo = customer();
        order(cleo, now.minus(Duration.ofDays(200)), sku("RING"), category("jewellery"), 1);
        String others = customer();
        order(others, now.minus(Duration.ofDays(91)), sku("OLD-HIT"), category("jewellery"), 500);
        order(others, now.minus(Duration.ofDays(89)), sku("NECKLACE"), category("jewellery"), 2);
        order(others, now.minus(Duration.ofDays(1)), sku("EARRING"), category("jewellery"), 1);

        assertThat(recommendations.forCustomer(cleo, 3))
                .extracting(Product::sku)
                .containsExactly(sku("NECKLACE"), sku("EARRING"));

        // a year later nothing of it sold within the window
        clock.set(now.plus(Duration.ofDays(365)));
        assertThat(recommendations.forCustomer(cleo, 3)).isEmpty();
    }

    @Test
    void aCountOutsideOneToTwentyIsRefused() {
        assertThatThrownBy(() -> recommendations.forCustomer(customer(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> recommendations.forCustomer(customer(), 21))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
    }
}
