package io.loyalflow.segment;

import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Purchase features of every customer in one set-based pass. On PostgreSQL one statement computes
 * them, the twelve-month window in each customer's own zone and the spend percentile among recent
 * buyers included, streamed with a cursor. The local H2 database aggregates the orders in Java with
 * the same definitions (its time-zone arithmetic differs from PostgreSQL's).
 */
@Component
class SegmentFeatures {

    private static final String POSTGRES_FEATURES = """
      select f.customer_key, f.customer_id, f.zone, f.first_order_at, f.last_order_at, f.orders, f.orders_12m, f.spend_12m, f.total_spend, f.recent,
             case when f.recent then percent_rank() over (partition by f.recent order by f.total_spend) end spend_percentile
      from (
        select c.customer_key, c.customer_id, w.zone, min(o.placed_at) first_order_at, max(o.placed_at) last_order_at,
               count(o.order_id) orders,
               count(o.order_id) filter (where o.placed_at > w.since) orders_12m,
               coalesce(sum(o.amount) filter (where o.placed_at > w.since), 0) spend_12m,
               coalesce(sum(o.amount), 0) total_spend,
               coalesce(max(o.placed_at) > ?, false) recent
        from v_customer c
        cross join lateral (select coalesce(c.time_zone, c.phone_time_zone, ?) zone) z
        cross join lateral (select z.zone, ((?::timestamptz at time zone z.zone) - interval '12 months') at time zone z.zone since) w
        left join v_customer_order o on o.customer_key = c.customer_key
        where c.customer_id is not null
        group by c.customer_key, c.customer_id, w.zone, w.since
      ) f
      """;

    private final JdbcTemplate streaming;
    private final Database database;
    private final CustomerProperties customers;
    private final SegmentProperties properties;
    private final TransactionTemplate readOnly;

    SegmentFeatures(
            DataSource dataSource,
            Database database,
            CustomerProperties customers,
            SegmentProperties properties,
            PlatformTransactionManager transactions) {
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(5_000);
        this.database = database;
        this.customers = customers;
        this.properties = properties;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** Calls {@code consumer} for every (not erased) customer. */
    void forEach(Instant now, Consumer<CustomerFeatures> consumer) {
        Instant recentSince = now.minus(properties.recentOrderWindow());
        if (database.isPostgres()) {
            // a cursor needs a transaction on PostgreSQL; without it the driver reads every row first
            readOnly.executeWithoutResult(tx -> streaming.query(
                    POSTGRES_FEATURES,
                    rs -> {
                        ZoneId zone = ZoneId.of(rs.getString("zone"));
                        Instant last = Timestamps.instant(rs, "last_order_at");
                        double percentile = rs.getDouble("spend_percentile");
                        consumer.accept(new CustomerFeatures(
                                rs.getLong("customer_key"),
                                rs.getString("customer_id"),
                                zone,
                                Timestamps.instant(rs, "first_order_at"),
                                last,
                                rs.getLong("orders"),
                                rs.getLong("orders_12m"),
                                rs.getBigDecimal("spend_12m"),
                                rs.getBigDecimal("total_spend"),
                                rs.getBoolean("recent"),
                                rs.wasNull() ? null : percentile,
                                daysSince(last, zone, now)));
                    },
                    Timestamps.utc(recentSince),
                    customers.defaultTimeZone().getId(),
                    Timestamps.utc(now)));
            return;
        }
        inJava(now, recentSince).forEach(consumer);
    }

    private List<CustomerFeatures> inJava(Instant now, Instant recentSince) {
        record Totals(
                long key,
                String id,
                ZoneId zone,
                Instant[] last,
                long[] orders12,
                BigDecimal[] sums,
                Instant[] first,
                long[] orders) {}
        Map<Long, Totals> byKey = new HashMap<>();
        List<Totals> ordered = new ArrayList<>();
        streaming.query(
                "select customer_key, customer_id, coalesce(time_zone, phone_time_zone) zone from v_customer "
                        + "where customer_id is not null order by customer_key",
                rs -> {
                    String zone = rs.getString("zone");
                    Totals totals = new Totals(
                            rs.getLong(1),
                            rs.getString(2),
                            zone == null ? customers.defaultTimeZone() : ZoneId.of(zone),
                            new Instant[1],
                            new long[1],
                            new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO},
                            new Instant[1],
                            new long[1]);
                    byKey.put(totals.key(), totals);
                    ordered.add(totals);
                });
        streaming.query("select customer_key, placed_at, amount from v_customer_order", rs -> {
            Totals totals = byKey.get(rs.getLong(1));
            if (totals == null) {
                return;
            }
            Instant placed = Timestamps.instant(rs, "placed_at");
            BigDecimal amount = rs.getBigDecimal(3);
            if (totals.last()[0] == null || placed.isAfter(totals.last()[0])) {
                totals.last()[0] = placed;
            }
            if (totals.first()[0] == null || placed.isBefore(totals.first()[0])) {
                totals.first()[0] = placed;
            }
            totals.orders()[0]++;
            totals.sums()[1] = totals.sums()[1].add(amount);
            if (placed.isAfter(now.atZone(totals.zone()).minusMonths(12).toInstant())) {
                totals.orders12()[0]++;
                totals.sums()[0] = totals.sums()[0].add(amount);
            }
        });
        List<Totals> recent = ordered.stream()
                .filter(t -> t.last()[0] != null && t.last()[0].isAfter(recentSince))
                .sorted(Comparator.comparing(t -> t.sums()[1]))
                .toList();
        Map<Long, Double> percentiles = new HashMap<>();
        int rank = 0;
        for (int i = 0; i < recent.size(); i++) {
            if (i > 0 && recent.get(i - 1).sums()[1].compareTo(recent.get(i).sums()[1]) != 0) {
                rank = i; // ties share the lowest rank, as percent_rank does
            }
            percentiles.put(recent.get(i).key(), recent.size() == 1 ? 0.0 : (double) rank / (recent.size() - 1));
        }
        List<CustomerFeatures> features = new ArrayList<>(ordered.size());
        for (Totals t : ordered) {
            Instant last = t.last()[0];
            features.add(new CustomerFeatures(
                    t.key(),
                    t.id(),
                    t.zone(),
                    t.first()[0],
                    last,
                    t.orders()[0],
                    t.orders12()[0],
                    t.sums()[0],
                    t.sums()[1],
                    percentiles.containsKey(t.key()),
                    percentiles.get(t.key()),
                    daysSince(last, t.zone(), now)));
        }
        return features;
    }

    /**
     * One customer's features, with the same definitions as the full pass (the spend percentile,
     * which needs every customer, is left out).
     */
    Optional<CustomerFeatures> of(long customerKey, Instant now) {
        List<Object[]> found = streaming.query(
                "select customer_key, coalesce(time_zone, phone_time_zone) zone, customer_id "
                        + "from v_customer where customer_key = ?",
                (rs, row) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)},
                customerKey);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long key = (Long) found.get(0)[0];
        String customerId = (String) found.get(0)[2];
        Object[] row = found.get(0);
        ZoneId zone = row[1] == null ? customers.defaultTimeZone() : ZoneId.of((String) row[1]);
        Instant twelveMonthsAgo = now.atZone(zone).minusMonths(12).toInstant();
        Instant[] last = {null};
        Instant[] first = {null};
        long[] orders = {0};
        long[] orders12 = {0};
        BigDecimal[] sums = {BigDecimal.ZERO, BigDecimal.ZERO};
        streaming.query(
                "select placed_at, amount from v_customer_order where customer_key = ?",
                rs -> {
                    Instant placed = Timestamps.instant(rs, "placed_at");
                    BigDecimal amount = rs.getBigDecimal(2);
                    last[0] = last[0] == null || placed.isAfter(last[0]) ? placed : last[0];
                    first[0] = first[0] == null || placed.isBefore(first[0]) ? placed : first[0];
                    orders[0]++;
                    sums[1] = sums[1].add(amount);
                    if (placed.isAfter(twelveMonthsAgo)) {
                        orders12[0]++;
                        sums[0] = sums[0].add(amount);
                    }
                },
                key);
        boolean recent = last[0] != null && last[0].isAfter(now.minus(properties.recentOrderWindow()));
        return Optional.of(new CustomerFeatures(
                key,
                customerId,
                zone,
                first[0],
                last[0],
                orders[0],
                orders12[0],
                sums[0],
                sums[1],
                recent,
                null,
                daysSince(last[0], zone, now)));
    }

    static Long daysSince(Instant last, ZoneId zone, Instant now) {
        if (last == null) {
            return null;
        }
        return Math.max(
                0,
                ChronoUnit.DAYS.between(
                        last.atZone(zone).toLocalDate(), now.atZone(zone).toLocalDate()));
    }
}
