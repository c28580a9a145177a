package io.loyalflow.recommendation;

import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.Caller;
import io.loyalflow.platform.web.Texts;
import io.swagger.v3.oas.annotations.Operation;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class RecommendationController {

    /** The longest sku or category: what order lines may carry. */
    static final int MAX_NAME = 100;

    private static final Set<String> KINDS =
            Set.of(RecommendedProduct.BOUGHT_TOGETHER, RecommendedProduct.ALSO_BOUGHT, RecommendedProduct.UPSELL);

    /** @param consumable whether the category's products are recommended again to customers who bought them */
    record CategorySettingRequest(Boolean consumable) {}

    /** One neighbour of a product in the model. */
    record Neighbour(String sku, String kind, int rank, double score, int support, String category, BigDecimal price) {}

    /** A product's neighbours in the model in use (empty without a fresh model). */
    record ProductRecommendations(String sku, Long modelVersion, List<Neighbour> recommendations) {}

    /** Whether the model is in use ({@code fresh}), and the last published model (null before the first). */
    record ModelState(boolean fresh, RecommendationModel.Summary model) {}

    private final ProductRecommender recommender;
    private final ProductNeighbours neighbours;
    private final RecommendationModel model;
    private final ConsumableCategories categories;

    RecommendationController(
            ProductRecommender recommender,
            ProductNeighbours neighbours,
            RecommendationModel model,
            ConsumableCategories categories) {
        this.recommender = recommender;
        this.neighbours = neighbours;
        this.model = model;
        this.categories = categories;
    }

    @Operation(
            summary = "Products to recommend to a customer, best first",
            description = "Item-to-item from the model of the last recommendation refresh: products bought together "
                    + "with, or also bought by the buyers of, the customer's recent products, and upsells; never a "
                    + "product the customer bought unless its category is consumable; best sellers fill the list. "
                    + "count: 1 to 20, default 5.")
    @GetMapping("/api/customers/{customerId}/recommendations")
    List<RecommendedProduct> forCustomer(
            @PathVariable String customerId, @RequestParam(required = false) String count) {
        name("customerId", customerId);
        return recommender.forCustomer(customerId, count(count));
    }

    @Operation(
            summary = "A product's neighbours in the recommendation model",
            description = "kind: BOUGHT_TOGETHER, ALSO_BOUGHT or UPSELL; all kinds when absent. Ranked within each "
                    + "kind. Empty when the product has none, or no fresh model exists.")
    @GetMapping("/api/products/{sku}/recommendations")
    ProductRecommendations forProduct(@PathVariable String sku, @RequestParam(required = false) String kind) {
        name("sku", sku);
        if (kind != null && !KINDS.contains(kind)) {
            throw Refusal.invalid("kind", "must be BOUGHT_TOGETHER, ALSO_BOUGHT or UPSELL");
        }
        Long version = model.currentVersion().orElse(null);
        return new ProductRecommendations(
                sku, version, version == null ? List.of() : neighbours.of(version, sku, kind));
    }

    @Operation(
            summary = "The recommendation model: the last refresh that published one",
            description = "When it ran and how long it took, the orders, order lines, customers and products it "
                    + "learned from, the product pairs it kept and the categories with a cross-sell timing. fresh: "
                    + "whether recommendations use it (a model older than loyalflow.recommendations.max-model-age "
                    + "is not used).")
    @GetMapping("/api/recommendations/model")
    ModelState model() {
        RecommendationModel.Summary latest = model.latest().orElse(null);
        return new ModelState(model.currentVersion().isPresent(), latest);
    }

    @Operation(summary = "Whether a category is consumable (its products are recommended again to their buyers)")
    @GetMapping("/api/recommendations/categories/{category}")
    ConsumableCategories.Setting category(@PathVariable String category) {
        name("category", category);
        return categories.get(category);
    }

    @Operation(
            summary = "Make a category consumable, or not",
            description = "Body {\"consumable\": true}. A consumable category's products are recommended again to "
                    + "customers who bought them; applies from the next recommendation on.")
    @PutMapping("/api/recommendations/categories/{category}")
    ConsumableCategories.Setting setCategory(
            @PathVariable String category, @RequestBody CategorySettingRequest request) {
        name("category", category);
        if (request == null || request.consumable() == null) {
            throw Refusal.invalid("consumable", "is required: true or false");
        }
        return categories.set(category, request.consumable(), Caller.current().userId());
    }

    private static int count(String count) {
        if (count == null) {
            return 5;
        }
        try {
            int n = Integer.parseInt(count.trim());
            if (n >= ProductRecommender.MIN_COUNT && n <= ProductRecommender.MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, as a number out of range
        }
        throw Refusal.invalid(
                "count",
                "must be a whole number from " + ProductRecommender.MIN_COUNT + " to " + ProductRecommender.MAX_COUNT);
    }

    private static void name(String field, String value) {
        Violations violations = new Violations();
        if (value.isBlank()) {
            violations.add(field, "must not be blank");
        } else if (value.length() > MAX_NAME) {
            violations.add(field, "must be at most " + MAX_NAME + " characters");
        } else {
            Texts.requireSingleLine(value, field, violations);
        }
        violations.throwIfAny();
    }
}
