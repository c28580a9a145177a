package io.loyalflow.recommendation;

import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the recommendation model from the orders of the history window, set-based in the database, as a new
 * version beside the one in use; publishing it is one update, so readers switch from one whole model to the
 * next. One refresh at a time across the cluster (a claim row); a refresh that finds another one running ends
 * {@code ALREADY_RUNNING}. docs/architecture.md, "Recommendation model", walks through the statements.
 */
@Service
class RecommendationRefresh {

    static final String REFRESHED = "REFRESHED";
    static final String NO_ORDERS = "NO_ORDERS";
    static final String ALREADY_RUNNING = "ALREADY_RUNNING";

    private static final Logger log = LoggerFactory.getLogger(RecommendationRefresh.class);

    private static final List<String> WORK_TABLES = List.of(
            "reco_work_basket",
            "reco_work_item",
            "reco_work_pair",
            "reco_work_basket_pair",
            "reco_work_category_event",
            "reco_work_customer_category",
            "reco_work_category");
    private static final List<String> MODEL_TABLES =
            List.of("reco_pair", "reco_product", "reco_related_category", "reco_category_timing");

    /** What a refresh did; the counts are zero unless it REFRESHED. */
    record Outcome(
            String outcome,
            Long version,
            long orders,
            long orderLines,
            long customers,
            long products,
            long pairs,
            long timedCategories,
            long durationMillis) {}

    // One row per order (a customer's orders at one instant count as one) and product.
    private static final String BASKETS = """
      insert into reco_work_basket (model_version, customer_key, placed_at, sku, category, quantity, revenue)
      select ?, o.customer_key, o.placed_at, i.sku, max(i.category), sum(i.quantity), sum(i.quantity * i.unit_price)
      from v_customer_order o
      join v_customer_order_item i on i.order_id = o.order_id
      where o.placed_at > ? and o.placed_at <= ?
      group by o.customer_key, o.placed_at, i.sku
      """;

    // The customer's products, most recently bought first, up to the cap.
    private static final String ITEMS = """
      insert into reco_work_item (model_version, customer_key, sku, first_at)
      select ?, customer_key, sku, first_at from (
        select customer_key, sku, min(placed_at) first_at,
               row_number() over (partition by customer_key order by max(placed_at) desc, sku) position
        from reco_work_basket where model_version = ?
        group by customer_key, sku
      ) x
      where position <= ?
      """;

    private static final String PRODUCTS = """
      insert into reco_product (model_version, product_no, sku, category, price, buyers, orders, recent_units)
      select ?, row_number() over (order by b.sku), b.sku, b.category, b.price, coalesce(c.buyers, 0), b.orders,
             b.recent_units
      from (
        select sku, max(category) category, cast(sum(revenue) / nullif(sum(quantity), 0) as numeric(19, 4)) price,
               count(*) orders, sum(case when placed_at > ? then quantity else 0 end) recent_units
        from reco_work_basket where model_version = ?
        group by sku
      ) b
      left join (
        select sku, count(*) buyers from reco_work_item where model_version = ? group by sku
      ) c on c.sku = b.sku
      """;

    // Pairs of products bought by the same customer (once each, a < b), kept when enough customers did. Products
    // with fewer buyers than that cannot make a pair that is kept: they are left out before the join.
    private static final String PAIRS = """
      insert into reco_work_pair (model_version, a, b, customers, a_first, b_first)
      select ?, px.product_no, py.product_no, count(*),
             sum(case when x.first_at < y.first_at then 1 else 0 end),
             sum(case when y.first_at < x.first_at then 1 else 0 end)
      from reco_work_item x
      join reco_work_item y
        on y.model_version = x.model_version and y.customer_key = x.customer_key and y.sku > x.sku
      join reco_product px on px.model_version = x.model_version and px.sku = x.sku
      join reco_product py on py.model_version = y.model_version and py.sku = y.sku
      where x.model_version = ? and px.buyers >= ? and py.buyers >= ?
      group by px.product_no, py.product_no
      having count(*) >= ?
      """;

    private static final String BASKET_PAIRS = """
      insert into reco_work_basket_pair (model_version, a, b, orders)
      select ?, x.sku, y.sku, count(*)
      from reco_work_basket x
      join reco_work_basket y
        on y.model_version = x.model_version and y.customer_key = x.customer_key and y.placed_at = x.placed_at
       and y.sku > x.sku
      where x.model_version = ?
      group by x.sku, y.sku
      having count(*) >= ?
      """;

    // Cosine over customers (Linden, Smith & York 2003): shared buyers / sqrt(buyers of a * buyers of b).
    private static final String ALSO_BOUGHT = """
      insert into reco_pair (model_version, sku, kind, rank, other_sku, score, support)
      select ?, sku, 'ALSO_BOUGHT', position, other_sku, score, customers from (
        select pa.sku, pb.sku other_sku, w.customers, w.score,
               row_number() over (partition by pa.sku order by w.score desc, pb.sku) position
        from (
          select a, b, customers,
                 customers / sqrt(cast(buyers_a as double precision) * buyers_b) score
          from (
            select w.a, w.b, w.customers, pa.buyers buyers_a, pb.buyers buyers_b from reco_work_pair w
            join reco_product pa on pa.model_version = w.model_version and pa.product_no = w.a
            join reco_product pb on pb.model_version = w.model_version and pb.product_no = w.b
            where w.model_version = ?
            union all
            select w.b, w.a, w.customers, pb.buyers, pa.buyers from reco_work_pair w
            join reco_product pa on pa.model_version = w.model_version and pa.product_no = w.a
            join reco_product pb on pb.model_version = w.model_version and pb.product_no = w.b
            where w.model_version = ?
          ) d
        ) w
        join reco_product pa on pa.model_version = ? and pa.product_no = w.a
        join reco_product pb on pb.model_version = ? and pb.product_no = w.b
      ) ranked
      where position <= ?
      """;

    // The same cosine over orders: products in the same basket.
    private static final String BOUGHT_TOGETHER = """
      insert into reco_pair (model_version, sku, kind, rank, other_sku, score, support)
      select ?, sku, 'BOUGHT_TOGETHER', position, other_sku, score, orders from (
        select sku, other_sku, orders, score,
               row_number() over (partition by sku order by score desc, other_sku) position
        from (
          select d.sku, d.other_sku, d.orders,
                 d.orders / sqrt(cast(pa.orders as double precision) * pb.orders) score
          from (
            select a sku, b other_sku, orders from reco_work_basket_pair where model_version = ?
            union all
            select b, a, orders from reco_work_basket_pair where model_version = ?
          ) d
          join reco_product pa on pa.model_version = ? and pa.sku = d.sku
          join reco_product pb on pb.model_version = ? and pb.sku = d.other_sku
        ) scored
      ) ranked
      where position <= ?
      """;

    // Upsell: a higher-priced product of the same category that buyers of a bought after it; the share of a's
    // buyers who moved to it.
    private static final String UPSELL = """
      insert into reco_pair (model_version, sku, kind, rank, other_sku, score, support)
      select ?, sku, 'UPSELL', position, other_sku, score, movers from (
        select sku, other_sku, movers, score,
               row_number() over (partition by sku order by score desc, other_sku) position
        from (
          select pa.sku, pb.sku other_sku, d.movers, cast(d.movers as double precision) / pa.buyers score
          from (
            select a, b, a_first movers from reco_work_pair where model_version = ?
            union all
            select b, a, b_first from reco_work_pair where model_version = ?
          ) d
          join reco_product pa on pa.model_version = ? and pa.product_no = d.a
          join reco_product pb on pb.model_version = ? and pb.product_no = d.b
          where d.movers >= ? and pa.category = pb.category and pb.price > pa.price
        ) scored
      ) ranked
      where position <= ?
      """;

    private static final String CATEGORY_EVENTS = """
      insert into reco_work_category_event (model_version, customer_key, placed_at, category)
      select distinct ?, customer_key, placed_at, category from reco_work_basket
      where model_version = ? and category is not null
      """;

    private static final String CUSTOMER_CATEGORIES = """
      insert into reco_work_customer_category (model_version, customer_key, category)
      select distinct ?, customer_key, category from reco_work_category_event where model_version = ?
      """;

    private static final String CATEGORY_BUYERS = """
      insert into reco_work_category (model_version, category, customers)
      select ?, category, count(*) from reco_work_customer_category where model_version = ? group by category
      """;

    // Lift over customers: P(both) / (P(c) P(d)) > 1, from enough shared customers.
    private static final String RELATED_CATEGORIES = """
      insert into reco_related_category (model_version, category, other_category, customers, lift)
      select ?, p.category, p.other_category, p.customers,
             cast(p.customers as double precision) * ? / (cast(a.customers as double precision) * b.customers)
      from (
        select x.category, y.category other_category, count(*) customers
        from reco_work_customer_category x
        join reco_work_customer_category y
          on y.model_version = x.model_version and y.customer_key = x.customer_key and y.category <> x.category
        where x.model_version = ?
        group by x.category, y.category
        having count(*) >= ?
      ) p
      join reco_work_category a on a.model_version = ? and a.category = p.category
      join reco_work_category b on b.model_version = ? and b.category = p.other_category
      where cast(p.customers as double precision) * ? > cast(a.customers as double precision) * b.customers
      """;

    // For each purchase in a category, the customer's next purchase in a related category; the median wait.
    private static final String TIMING = """
      insert into reco_category_timing (model_version, category, observations, median_seconds)
      select ?, category, count(*),
             cast(percentile_cont(0.5) within group (order by extract(epoch from next_at) - extract(epoch from placed_at))
                  as bigint)
      from (
        select x.category, x.customer_key, x.placed_at, min(y.placed_at) next_at
        from reco_work_category_event x
        join reco_work_category_event y
          on y.model_version = x.model_version and y.customer_key = x.customer_key and y.placed_at > x.placed_at
        join reco_related_category r
          on r.model_version = x.model_version and r.category = x.category and r.other_category = y.category
        where x.model_version = ?
        group by x.category, x.customer_key, x.placed_at
      ) next_purchase
      group by category
      """;

    private final JdbcTemplate jdbc;
    private final Database database;
    private final TransactionTemplate transactions;
    private final RecommendationProperties properties;
    private final Clock clock;
    private final Timer duration;

    RecommendationRefresh(
            JdbcTemplate jdbc,
            Database database,
            PlatformTransactionManager manager,
            RecommendationProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.database = database;
        this.transactions = new TransactionTemplate(manager);
        this.properties = properties;
        this.clock = clock;
        this.duration = Timer.builder("loyalflow.recommendations.refresh")
                .description("Recommendation refreshes that built and published a model, and how long they took")
                .register(meters);
    }

    /** Rebuilds and publishes the model, unless another refresh runs or no order falls in the history window. */
    Outcome refresh() {
        String claim = UUID.randomUUID().toString();
        Instant now = clock.instant();
        int claimed = jdbc.update(
                "update reco_refresh_claim set running_id = ?, running_since = ? where model = 'recommendations' "
                        + "and (running_id is null or running_since < ?)",
                claim,
                Timestamps.utc(now),
                Timestamps.utc(now.minus(properties.staleRefreshAfter())));
        if (claimed == 0) {
            log.info("Recommendation refresh skipped: another refresh is running");
            return new Outcome(ALREADY_RUNNING, null, 0, 0, 0, 0, 0, 0, 0);
        }
        try {
            return refreshClaimed(now);
        } finally {
            jdbc.update(
                    "update reco_refresh_claim set running_id = null, running_since = null "
                            + "where model = 'recommendations' and running_id = ?",
                    claim);
        }
    }

    private Outcome refreshClaimed(Instant now) {
        long t0 = System.nanoTime();
        Instant from = now.minus(properties.history());
        long orders = jdbc.queryForObject(
                "select count(*) from v_customer_order where placed_at > ? and placed_at <= ?",
                Long.class,
                Timestamps.utc(from),
                Timestamps.utc(now));
        if (orders == 0) {
            log.info("Recommendation refresh: no orders since {}; the model in use stays", from);
            return new Outcome(NO_ORDERS, null, 0, 0, 0, 0, 0, 0, millisSince(t0));
        }
        long version = jdbc.queryForObject("select coalesce(max(model_version), 0) + 1 from reco_model", Long.class);
        jdbc.update(
                "insert into reco_model (model_version, status, started_at, history_from, history_to) "
                        + "values (?, 'BUILDING', ?, ?, ?)",
                version,
                Timestamps.utc(now),
                Timestamps.utc(from),
                Timestamps.utc(now));
        try {
            emptyWorkTables();
            Outcome outcome = build(version, now, from, orders, t0);
            duration.record(outcome.durationMillis(), TimeUnit.MILLISECONDS);
            log.info(
                    "Recommendation model {} published: {} orders, {} order lines, {} customers, {} products, "
                            + "{} pairs, {} timed categories in {} ms",
                    version,
                    outcome.orders(),
                    outcome.orderLines(),
                    outcome.customers(),
                    outcome.products(),
                    outcome.pairs(),
                    outcome.timedCategories(),
                    outcome.durationMillis());
            return outcome;
        } catch (RuntimeException e) {
            jdbc.update("update reco_model set status = 'FAILED' where model_version = ?", version);
            throw e;
        } finally {
            emptyWorkTables();
        }
    }

    private Outcome build(long version, Instant now, Instant from, long orders, long t0) {
        int support = properties.minimumSupport();
        int neighbours = properties.neighbours();
        long lines = step("baskets", BASKETS, version, Timestamps.utc(from), Timestamps.utc(now));
        analyze("reco_work_basket");
        step("items", ITEMS, version, version, properties.itemsPerCustomer());
        analyze("reco_work_item");
        long products =
                step("products", PRODUCTS, version, Timestamps.utc(now.minus(properties.window())), version, version);
        analyze("reco_product");
        step("pairs", PAIRS, version, version, support, support, support);
        step("basket pairs", BASKET_PAIRS, version, version, support);
        analyze("reco_work_pair");
        analyze("reco_work_basket_pair");
        long pairs = step("also bought", ALSO_BOUGHT, version, version, version, version, version, neighbours)
                + step("bought together", BOUGHT_TOGETHER, version, version, version, version, version, neighbours)
                + step("upsell", UPSELL, version, version, version, version, version, support, neighbours);
        step("category events", CATEGORY_EVENTS, version, version);
        analyze("reco_work_category_event");
        step("customer categories", CUSTOMER_CATEGORIES, version, version);
        analyze("reco_work_customer_category");
        step("category buyers", CATEGORY_BUYERS, version, version);
        long withCategory = jdbc.queryForObject(
                "select count(distinct customer_key) from reco_work_customer_category where model_version = ?",
                Long.class,
                version);
        step(
                "related categories",
                RELATED_CATEGORIES,
                version,
                withCategory,
                version,
                support,
                version,
                version,
                withCategory);
        analyze("reco_related_category");
        long timed = step("timing", TIMING, version, version);
        long customers = jdbc.queryForObject(
                "select count(distinct customer_key) from reco_work_item where model_version = ?", Long.class, version);
        long millis = millisSince(t0);
        transactions.executeWithoutResult(tx -> {
            jdbc.update(
                    "update reco_model set status = 'PUBLISHED', finished_at = ?, duration_ms = ?, orders = ?, "
                            + "order_lines = ?, customers = ?, products = ?, pairs = ?, timed_categories = ? "
                            + "where model_version = ?",
                    Timestamps.utc(clock.instant()),
                    millis,
                    orders,
                    lines,
                    customers,
                    products,
                    pairs,
                    timed,
                    version);
        });
        dropOlderVersions(version);
        return new Outcome(REFRESHED, version, orders, lines, customers, products, pairs, timed, millis);
    }

    /**
     * Keeps the new version and the one published before it: a reader that looked up the previous version an
     * instant before the switch still finds its rows.
     */
    private void dropOlderVersions(long version) {
        Long previous = jdbc.queryForObject(
                "select max(model_version) from reco_model where status = 'PUBLISHED' and model_version < ?",
                Long.class,
                version);
        long kept = previous == null ? version : previous;
        for (String table : MODEL_TABLES) {
            jdbc.update("delete from " + table + " where model_version <> ? and model_version <> ?", version, kept);
        }
        jdbc.update("delete from reco_model where status <> 'PUBLISHED' and model_version < ?", version);
    }

    /** One statement in a transaction of its own; on PostgreSQL with the memory to hash and sort in. */
    private long step(String name, String sql, Object... args) {
        long t = System.nanoTime();
        Integer rows = transactions.execute(tx -> {
            if (database.isPostgres()) {
                jdbc.execute("set local work_mem = '" + properties.workMemory() + "'");
            }
            return jdbc.update(sql, args);
        });
        log.debug("Recommendation refresh, {}: {} rows in {} ms", name, rows, millisSince(t));
        return rows == null ? 0 : rows;
    }

    /**
     * PostgreSQL plans the next statements from the table's statistics; a work table just filled has none (or
     * last night's), and a plan for the few rows it thinks there are nests loops over millions.
     */
    private void analyze(String table) {
        if (database.isPostgres()) {
            jdbc.execute("analyze " + table);
        }
    }

    private void emptyWorkTables() {
        for (String table : WORK_TABLES) {
            jdbc.execute("truncate table " + table);
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
