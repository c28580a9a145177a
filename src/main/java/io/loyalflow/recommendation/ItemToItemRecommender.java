package io.loyalflow.recommendation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Recommendations from the published model: the neighbours (bought together, also bought, upsell) of the
 * customer's most recent products, or of one order's, scored by the sum over the seeds, without what the
 * customer bought unless its category is consumable; the model's best sellers (the seeds' categories first,
 * then all) fill the list. Before the first refresh, best sellers computed from the orders fill it alone.
 */
@Service
class ItemToItemRecommender implements ProductRecommender {

    /** The customer's most recently bought products that seed the recommendations. */
    static final int SEEDS = 20;

    private static final String BOUGHT = """
      select i.sku, max(i.category) category, max(o.placed_at) last_at
      from v_customer_order o
      join v_customer_order_item i on i.order_id = o.order_id
      where o.customer_key = ?
      group by i.sku
      order by max(o.placed_at) desc, i.sku
      """;

    private static final String ORDER_ITEMS = """
      select distinct i.sku from v_customer_order o
      join v_customer_order_item i on i.order_id = o.order_id
      where o.order_id = ? and o.customer_key = ?
      """;

    private record Bought(String sku, String category) {}

    private record Candidate(String sku, String kind, double score, String category, BigDecimal price) {}

    private final JdbcTemplate jdbc;
    private final RecommendationModel model;
    private final ConsumableCategories consumables;
    private final ProductRecommendations liveBestSellers;

    ItemToItemRecommender(
            JdbcTemplate jdbc,
            RecommendationModel model,
            ConsumableCategories consumables,
            ProductRecommendations liveBestSellers) {
        this.jdbc = jdbc;
        this.model = model;
        this.consumables = consumables;
        this.liveBestSellers = liveBestSellers;
    }

    @Override
    public List<RecommendedProduct> forCustomer(String customerId, int count) {
        return recommend(customerId, null, count);
    }

    @Override
    public List<RecommendedProduct> afterOrder(String customerId, String orderId, int count) {
        return recommend(customerId, orderId, count);
    }

    private List<RecommendedProduct> recommend(String customerId, String orderId, int count) {
        if (count < MIN_COUNT || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be " + MIN_COUNT + " to " + MAX_COUNT + ", got " + count);
        }
        Optional<Long> version = model.currentVersion();
        if (version.isEmpty()) {
            return liveBestSellers.forCustomer(customerId, count).stream()
                    .map(p -> new RecommendedProduct(p.sku(), p.category(), null, 0, RecommendedProduct.BEST_SELLER))
                    .toList();
        }
        Long customerKey = jdbc
                .query(
                        "select customer_key from v_customer where customer_id = ?",
                        (rs, row) -> rs.getLong(1),
                        customerId)
                .stream()
                .findFirst()
                .orElse(null);
        List<Bought> bought = customerKey == null
                ? List.of()
                : jdbc.query(
                        BOUGHT, (rs, row) -> new Bought(rs.getString("sku"), rs.getString("category")), customerKey);
        List<String> seeds = orderId == null
                ? bought.stream().limit(SEEDS).map(Bought::sku).toList()
                : customerKey == null ? List.of() : jdbc.queryForList(ORDER_ITEMS, String.class, orderId, customerKey);
        Set<String> consumable = consumables.all();
        Set<String> own = bought.stream().map(Bought::sku).collect(Collectors.toSet());
        Map<String, RecommendedProduct> found = new LinkedHashMap<>();
        for (RecommendedProduct p : neighbours(version.get(), seeds)) {
            if (!own.contains(p.sku()) || consumable.contains(p.category())) {
                found.put(p.sku(), p);
                if (found.size() == count) {
                    return List.copyOf(found.values());
                }
            }
        }
        Set<String> seedCategories = new LinkedHashSet<>();
        Set<String> seedSet = new HashSet<>(seeds);
        for (Bought b : bought) {
            if (b.category() != null && (orderId == null || seedSet.contains(b.sku()))) {
                seedCategories.add(b.category());
            }
        }
        int wanted = count - found.size() + own.size();
        List<RecommendedProduct> fill = new ArrayList<>(bestSellers(version.get(), seedCategories, wanted));
        fill.addAll(bestSellers(version.get(), null, wanted));
        for (RecommendedProduct p : fill) {
            if (found.size() == count) {
                break;
            }
            if (!found.containsKey(p.sku()) && (!own.contains(p.sku()) || consumable.contains(p.category()))) {
                found.put(p.sku(), p);
            }
        }
        return List.copyOf(found.values());
    }

    /** The seeds' neighbours, best first: scores add up over seeds and kinds; the reason is the largest part. */
    private List<RecommendedProduct> neighbours(long version, List<String> seeds) {
        if (seeds.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(version);
        args.addAll(seeds);
        List<Candidate> rows = jdbc.query(
                "select p.other_sku, p.kind, sum(p.score) score, rp.category, rp.price from reco_pair p "
                        + "join reco_product rp on rp.model_version = p.model_version and rp.sku = p.other_sku "
                        + "where p.model_version = ? and p.sku in (" + placeholders(seeds) + ") "
                        + "group by p.other_sku, p.kind, rp.category, rp.price",
                (rs, row) -> new Candidate(
                        rs.getString("other_sku"),
                        rs.getString("kind"),
                        rs.getDouble("score"),
                        rs.getString("category"),
                        rs.getBigDecimal("price")),
                args.toArray());
        Map<String, List<Candidate>> bySku = new HashMap<>();
        rows.forEach(c -> bySku.computeIfAbsent(c.sku(), s -> new ArrayList<>()).add(c));
        List<RecommendedProduct> products = new ArrayList<>();
        bySku.forEach((sku, parts) -> {
            Candidate main = parts.stream()
                    .max(Comparator.comparingDouble(Candidate::score).thenComparing(Candidate::kind))
                    .orElseThrow();
            double score = parts.stream().mapToDouble(Candidate::score).sum();
            products.add(new RecommendedProduct(sku, main.category(), main.price(), score, main.kind()));
        });
        products.sort(Comparator.comparingDouble(RecommendedProduct::score)
                .reversed()
                .thenComparing(RecommendedProduct::sku));
        return products;
    }

    /** The model's best sellers (units within the window), in the categories given or, for null, in all. */
    private List<RecommendedProduct> bestSellers(long version, Collection<String> categories, int limit) {
        if (categories != null && categories.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(version);
        String where = "";
        if (categories != null) {
            args.addAll(categories);
            where = " and category in (" + placeholders(categories) + ")";
        }
        args.add(limit);
        return jdbc.query(
                "select sku, category, price, recent_units from reco_product where model_version = ? and recent_units > 0"
                        + where + " order by recent_units desc, sku fetch first ? rows only",
                (rs, row) -> new RecommendedProduct(
                        rs.getString("sku"),
                        rs.getString("category"),
                        rs.getBigDecimal("price"),
                        0,
                        RecommendedProduct.BEST_SELLER),
                args.toArray());
    }

    private static String placeholders(Collection<?> values) {
        return String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    }
}
