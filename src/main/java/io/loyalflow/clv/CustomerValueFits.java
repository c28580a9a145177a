package io.loyalflow.clv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerErased;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.customer.ValuePrediction;
import io.loyalflow.customer.ValuePredictions;
import io.loyalflow.platform.db.ColumnarInsert;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fits the customer-value model on the stored orders and keeps its predictions: every attempt is a
 * numbered version in {@code clv_fit}; the predictions of the latest successful one are in
 * {@code customer_value}, replaced in one transaction, so a reader sees one version's predictions,
 * never a mix.
 */
@Service
public class CustomerValueFits implements ValuePredictions {

    public enum Status {
        FITTED,
        INSUFFICIENT_DATA
    }

    /** One fit attempt as stored; the model fields are null for INSUFFICIENT_DATA. */
    public record Fit(
            long version,
            Status status,
            String reason,
            LocalDate calibrationEnd,
            double horizonWeeks,
            Instant startedAt,
            long durationMillis,
            int customers,
            int repeatBuyers,
            PurchaseModel purchaseModel,
            SpendModel spendModel,
            Integer scored) {}

    /** BG/NBD. */
    public record PurchaseModel(
            double r,
            double alpha,
            double a,
            double b,
            Map<String, Double> standardErrors,
            double logLikelihood,
            boolean converged,
            String convergence) {}

    /** Gamma-Gamma, fitted on the {@code customers} repeat buyers whose repeat purchases had a positive mean value. */
    public record SpendModel(
            double p,
            double q,
            double v,
            Map<String, Double> standardErrors,
            double logLikelihood,
            boolean converged,
            String convergence,
            int customers) {}

    private static final Logger log = LoggerFactory.getLogger(CustomerValueFits.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 10_000;
    private static final String TRANSACTIONS = """
      select c.customer_id, coalesce(c.time_zone, c.phone_time_zone) zone, o.placed_at, o.amount
      from v_customer_order o join v_customer c on c.customer_key = o.customer_key
      where c.customer_id is not null and o.placed_at < ?
      order by o.customer_key
      """;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final Database database;
    private final TransactionTemplate transactions;
    private final TransactionTemplate readOnly;
    private final CustomerProperties customers;
    private final ClvProperties properties;
    private final Clock clock;
    private final CustomerQueries customerQueries;

    CustomerValueFits(
            JdbcTemplate jdbc,
            DataSource dataSource,
            Database database,
            PlatformTransactionManager manager,
            CustomerProperties customers,
            ClvProperties properties,
            Clock clock,
            CustomerQueries customerQueries) {
        this.customerQueries = customerQueries;
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(5_000);
        this.database = database;
        this.transactions = new TransactionTemplate(manager);
        this.readOnly = new TransactionTemplate(manager);
        this.readOnly.setReadOnly(true);
        this.customers = customers;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Fits on the orders placed up to and including {@code calibrationEnd} (each order on its day in the
     * customer's zone), or up to today in the default zone, scores every customer with an order by then,
     * and stores both. 409 when a fit is already running (on any node).
     */
    public Fit fit(LocalDate calibrationEnd) {
        LocalDate today = LocalDate.now(clock.withZone(customers.defaultTimeZone()));
        if (calibrationEnd != null && calibrationEnd.isAfter(today)) {
            throw Refusal.invalid("calibrationEnd", "must not be after today (" + today + ")");
        }
        String claim = UUID.randomUUID().toString();
        Instant now = clock.instant();
        int claimed = jdbc.update(
                "update clv_fit_claim set running_id = ?, running_since = ? where model = 'clv' "
                        + "and (running_id is null or running_since < ?)",
                claim,
                Timestamps.utc(now),
                Timestamps.utc(now.minus(properties.staleFitAfter())));
        if (claimed == 0) {
            throw Refusal.conflict(
                    "A customer-value fit is already running; try again when it has finished.", List.of());
        }
        try {
            return fitClaimed(calibrationEnd != null ? calibrationEnd : today);
        } finally {
            jdbc.update(
                    "update clv_fit_claim set running_id = null, running_since = null where model = 'clv' "
                            + "and running_id = ?",
                    claim);
        }
    }

    private Fit fitClaimed(LocalDate calibrationEnd) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        CustomerSummaries summaries = summaries(calibrationEnd);
        int repeatBuyers = summaries.repeatBuyers();
        long version = nextVersion();
        double horizon = properties.horizonWeeks();
        String shortfall = shortfall(summaries.size(), repeatBuyers);
        if (shortfall != null) {
            Fit fit = new Fit(
                    version,
                    Status.INSUFFICIENT_DATA,
                    shortfall,
                    calibrationEnd,
                    horizon,
                    started,
                    millisSince(t0),
                    summaries.size(),
                    repeatBuyers,
                    null,
                    null,
                    null);
            transactions.executeWithoutResult(tx -> insert(fit));
            log.info("Customer-value fit {} not attempted: {}", version, shortfall);
            return fit;
        }
        ModelFit<BgNbd> purchases = BgNbd.fit(summaries);
        ModelFit<GammaGamma> spend = GammaGamma.fit(summaries);
        ClvScores scores = ClvScores.score(summaries, purchases.model(), spend.model(), horizon);
        Map<String, Long> keys = customerKeys();
        List<Object[]> rows = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            Long key = keys.get(summaries.id(i));
            if (key != null) {
                rows.add(new Object[] {
                    key,
                    scores.expectedPurchases(i),
                    scores.probabilityAlive(i),
                    scores.expectedOrderValue(i),
                    scores.predictedValue(i),
                    scores.valuePercentile(i)
                });
            }
        }
        BgNbd b = purchases.model();
        GammaGamma g = spend.model();
        Fit fit = new Fit(
                version,
                Status.FITTED,
                null,
                calibrationEnd,
                horizon,
                started,
                0,
                summaries.size(),
                repeatBuyers,
                new PurchaseModel(
                        b.r(),
                        b.alpha(),
                        b.a(),
                        b.b(),
                        purchases.standardErrors(),
                        purchases.logLikelihood(),
                        purchases.converged(),
                        purchases.convergence()),
                new SpendModel(
                        g.p(),
                        g.q(),
                        g.v(),
                        spend.standardErrors(),
                        spend.logLikelihood(),
                        spend.converged(),
                        spend.convergence(),
                        spend.observations()),
                rows.size());
        transactions.executeWithoutResult(tx -> {
            insert(fit);
            jdbc.update("delete from customer_value");
            writePredictions(version, rows);
            jdbc.update("update clv_fit set duration_ms = ? where fit_version = ?", millisSince(t0), version);
        });
        Fit stored = find(version).orElseThrow();
        log.info(
                "Customer-value fit {}: {} customers ({} repeat buyers) to {}, BG/NBD {} (LL {}, converged {}), "
                        + "Gamma-Gamma {} (converged {}), {} predictions, {} ms",
                version,
                summaries.size(),
                repeatBuyers,
                calibrationEnd,
                b,
                purchases.logLikelihood(),
                purchases.converged(),
                g,
                spend.converged(),
                rows.size(),
                stored.durationMillis());
        return stored;
    }

    private String shortfall(int customerCount, int repeatBuyers) {
        List<String> missing = new ArrayList<>();
        if (customerCount < properties.minimumCustomers()) {
            missing.add(customerCount + " customers with an order by the calibration end, at least "
                    + properties.minimumCustomers() + " needed");
        }
        if (repeatBuyers < properties.minimumRepeatBuyers()) {
            missing.add(repeatBuyers + " repeat buyers, at least " + properties.minimumRepeatBuyers() + " needed");
        }
        return missing.isEmpty() ? null : String.join("; ", missing);
    }

    private CustomerSummaries summaries(LocalDate calibrationEnd) {
        ZoneId fallback = customers.defaultTimeZone();
        // Orders up to a day past the end in any zone; the summary keeps those on or before the end in the customer's
        // own.
        Instant until =
                calibrationEnd.plusDays(2).atStartOfDay(ZoneId.of("UTC")).toInstant();
        Map<String, ZoneId> zones = new HashMap<>();
        // Summarised as the rows arrive, never all orders in memory at once; PostgreSQL streams with a
        // cursor only inside a transaction.
        return readOnly.execute(tx -> {
            try (Stream<TransactionLog.Transaction> transactions = streaming.queryForStream(
                    TRANSACTIONS,
                    (rs, row) -> {
                        String zoneId = rs.getString("zone");
                        ZoneId zone = zoneId == null ? fallback : zones.computeIfAbsent(zoneId, ZoneId::of);
                        return TransactionLog.Transaction.at(
                                rs.getString("customer_id"),
                                Timestamps.instant(rs, "placed_at"),
                                zone,
                                rs.getBigDecimal("amount"));
                    },
                    Timestamps.utc(until))) {
                return TransactionLog.summarise(transactions, calibrationEnd);
            }
        });
    }

    private Map<String, Long> customerKeys() {
        Map<String, Long> keys = new HashMap<>();
        streaming.query("select customer_id, customer_key from v_customer where customer_id is not null", rs -> {
            keys.put(rs.getString(1), rs.getLong(2));
        });
        return keys;
    }

    private void writePredictions(long version, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Object[]> chunk = rows.subList(from, Math.min(from + CHUNK, rows.size()));
            if (database.isPostgres()) {
                ColumnarInsert.write(
                        jdbc,
                        "insert into customer_value (fit_version, customer_key, expected_purchases, "
                                + "probability_alive, expected_order_value, predicted_value, value_percentile) "
                                + "select ?, * from unnest(?, ?, ?, ?, ?, ?)",
                        chunk,
                        new String[] {"int8", "float8", "float8", "float8", "float8", "float8"},
                        version);
            } else {
                List<Object[]> params = chunk.stream()
                        .map(row -> {
                            Object[] withVersion = new Object[row.length + 1];
                            withVersion[0] = version;
                            System.arraycopy(row, 0, withVersion, 1, row.length);
                            return withVersion;
                        })
                        .toList();
                jdbc.batchUpdate(
                        "insert into customer_value (fit_version, customer_key, expected_purchases, probability_alive, "
                                + "expected_order_value, predicted_value, value_percentile) values (?, ?, ?, ?, ?, ?, ?)",
                        params);
            }
        }
    }

    private long nextVersion() {
        Long max = jdbc.queryForObject("select max(fit_version) from clv_fit", Long.class);
        return max == null ? 1 : max + 1;
    }

    private void insert(Fit fit) {
        PurchaseModel p = fit.purchaseModel();
        SpendModel s = fit.spendModel();
        jdbc.update(
                """
        insert into clv_fit (fit_version, status, reason, calibration_end, horizon_weeks, started_at, duration_ms,
          customers, repeat_buyers, bgnbd_r, bgnbd_alpha, bgnbd_a, bgnbd_b, bgnbd_standard_errors,
          bgnbd_log_likelihood, bgnbd_converged, bgnbd_convergence, gg_p, gg_q, gg_v, gg_standard_errors,
          gg_log_likelihood, gg_converged, gg_convergence, gg_customers, scored)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
                fit.version(),
                fit.status().name(),
                fit.reason(),
                fit.calibrationEnd(),
                fit.horizonWeeks(),
                Timestamps.utc(fit.startedAt()),
                fit.durationMillis(),
                fit.customers(),
                fit.repeatBuyers(),
                p == null ? null : p.r(),
                p == null ? null : p.alpha(),
                p == null ? null : p.a(),
                p == null ? null : p.b(),
                p == null ? null : errorsJson(p.standardErrors()),
                p == null ? null : p.logLikelihood(),
                p == null ? null : p.converged(),
                p == null ? null : p.convergence(),
                s == null ? null : s.p(),
                s == null ? null : s.q(),
                s == null ? null : s.v(),
                s == null ? null : errorsJson(s.standardErrors()),
                s == null ? null : s.logLikelihood(),
                s == null ? null : s.converged(),
                s == null ? null : s.convergence(),
                s == null ? null : s.customers(),
                fit.scored());
    }

    public List<Fit> fits() {
        return jdbc.query("select * from clv_fit order by fit_version desc", FIT);
    }

    public Optional<Fit> find(long version) {
        return jdbc.query("select * from clv_fit where fit_version = ?", FIT, version).stream()
                .findFirst();
    }

    /** The fit whose predictions are in place: the latest FITTED one. */
    public Optional<Fit> current() {
        return jdbc
                .query(
                        "select * from clv_fit where fit_version = (select max(fit_version) from clv_fit where status = ?)",
                        FIT,
                        Status.FITTED.name())
                .stream()
                .findFirst();
    }

    @Override
    public Optional<ValuePrediction> of(long customerKey) {
        return jdbc
                .query(
                        """
        select v.*, f.calibration_end, f.horizon_weeks from customer_value v
        join clv_fit f on f.fit_version = v.fit_version where v.customer_key = ?
        """,
                        (rs, row) -> new ValuePrediction(
                                rs.getLong("fit_version"),
                                rs.getObject("calibration_end", LocalDate.class),
                                rs.getDouble("horizon_weeks"),
                                rs.getDouble("expected_purchases"),
                                rs.getDouble("probability_alive"),
                                rs.getDouble("expected_order_value"),
                                rs.getDouble("predicted_value"),
                                rs.getDouble("value_percentile")),
                        customerKey)
                .stream()
                .findFirst();
    }

    public Optional<Long> customerKey(String customerId) {
        return customerQueries.keyOf(customerId);
    }

    /** Whether any fit so far was FITTED: only then do predictions, and segments built on them, exist. */
    public boolean hasFittedModel() {
        return Boolean.TRUE.equals(
                jdbc.queryForObject("select count(*) > 0 from clv_fit where status = 'FITTED'", Boolean.class));
    }

    /** Predictions are derived from the customer's purchases: they go with the profile. */
    @EventListener
    void erase(CustomerErased erased) {
        jdbc.update("delete from customer_value where customer_key = ?", erased.customerKey());
    }

    private static final RowMapper<Fit> FIT = (rs, row) -> {
        Status status = Status.valueOf(rs.getString("status"));
        PurchaseModel purchases = status != Status.FITTED
                ? null
                : new PurchaseModel(
                        rs.getDouble("bgnbd_r"),
                        rs.getDouble("bgnbd_alpha"),
                        rs.getDouble("bgnbd_a"),
                        rs.getDouble("bgnbd_b"),
                        errors(rs.getString("bgnbd_standard_errors")),
                        rs.getDouble("bgnbd_log_likelihood"),
                        rs.getBoolean("bgnbd_converged"),
                        rs.getString("bgnbd_convergence"));
        SpendModel spend = status != Status.FITTED
                ? null
                : new SpendModel(
                        rs.getDouble("gg_p"),
                        rs.getDouble("gg_q"),
                        rs.getDouble("gg_v"),
                        errors(rs.getString("gg_standard_errors")),
                        rs.getDouble("gg_log_likelihood"),
                        rs.getBoolean("gg_converged"),
                        rs.getString("gg_convergence"),
                        rs.getInt("gg_customers"));
        Object scored = rs.getObject("scored");
        return new Fit(
                rs.getLong("fit_version"),
                status,
                rs.getString("reason"),
                rs.getObject("calibration_end", LocalDate.class),
                rs.getDouble("horizon_weeks"),
                Timestamps.instant(rs, "started_at"),
                rs.getLong("duration_ms"),
                rs.getInt("customers"),
                rs.getInt("repeat_buyers"),
                purchases,
                spend,
                scored == null ? null : ((Number) scored).intValue());
    };

    private static String errorsJson(Map<String, Double> errors) {
        Map<String, Double> finite = new LinkedHashMap<>();
        errors.forEach((name, value) -> finite.put(name, Double.isFinite(value) ? value : null));
        try {
            return JSON.writeValueAsString(finite);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> errors(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
