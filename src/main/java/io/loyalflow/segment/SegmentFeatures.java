package io.loyalflow.segment;

import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Purchase features of every customer in one set-based pass. On PostgreSQL one statement computes
 * them, the twelve-month window in each customer's own zone, the spend percentile among recent
 * buyers and the median interval between purchase days included, streamed with a cursor. The local H2 database aggregates the orders in Java with
 * the same definitions (its time-zone arithmetic differs from PostgreSQL's).
 */
@Component
class SegmentFeatures {

    private static final String POSTGRES_FEATURES = """
      with purchase_days as (
        select distinct o.customer_key, (o.placed_at at time zone coalesce(c.time_zone, c.phone_time_zone, ?))::date d
        from v_customer_order o join v_customer c on c.customer_key = o.customer_key
        where c.customer_id is not null
      ), gaps as (
        select customer_key, d - lag(d) over (partition by customer_key order by d) gap from purchase_days
      ), intervals as (
        select customer_key, percentile_cont(0.5) within group (order by gap) median_gap
        from gaps where gap is not null group by customer_key
      )
      select f.customer_key, f.customer_id, f.zone, f.first_order_at, f.last_order_at, f.orders, f.orders_12m, f.spend_12m, f.total_spend, f.recent,
             case when f.recent then percent_rank() over (partition by f.recent order by f.total_spend) end spend_percentile,
             i.median_gap
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
      left join intervals i on i.customer_key = f.customer_key
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
                        // read as an object: a customer without a recent order has no percentile (null), not 0
                        Double percentile =
                                rs.getObject("spend_percentile") instanceof Number p ? p.doubleValue() : null;
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
                                percentile,
                                daysSince(last, zone, now),
                                rs.getObject("median_gap") instanceof Number median ? median.doubleValue() : null));
                    },
                    customers.defaultTimeZone().getId(),
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
                long[] orders,
                Set<LocalDate> days) {}
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
                            new long[1],
                            new HashSet<>());
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
            totals.days().add(placed.atZone(totals.zone()).toLocalDate());
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
                    daysSince(last, t.zone(), now),
                    medianInterval(t.days())));
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
        Set<LocalDate> days = new HashSet<>();
        streaming.query(
                "select placed_at, amount from v_customer_order where customer_key = ?",
                rs -> {
                    Instant placed = Timestamps.instant(rs, "placed_at");
                    BigDecimal amount = rs.getBigDecimal(2);
                    last[0] = last[0] == null || placed.isAfter(last[0]) ? placed : last[0];
                    first[0] = first[0] == null || placed.isBefore(first[0]) ? placed : first[0];
                    orders[0]++;
                    days.add(placed.atZone(zone).toLocalDate());
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
                daysSince(last[0], zone, now),
                medianInterval(days)));
    }

    /**
     * The median of the days between consecutive purchase days (as PostgreSQL's percentile_cont: the mean of the
     * two middle gaps for an even count); null for fewer than two purchase days.
     */
    static Double medianInterval(Collection<LocalDate> purchaseDays) {
        List<LocalDate> sorted = purchaseDays.stream().distinct().sorted().toList();
        if (sorted.size() < 2) {
            return null;
        }
        long[] gaps = new long[sorted.size() - 1];
        for (int i = 1; i < sorted.size(); i++) {
            gaps[i - 1] = ChronoUnit.DAYS.between(sorted.get(i - 1), sorted.get(i));
        }
        Arrays.sort(gaps);
        int middle = gaps.length / 2;
        return gaps.length % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2.0;
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
