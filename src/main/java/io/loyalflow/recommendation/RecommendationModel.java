package io.loyalflow.recommendation;

import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The published recommendation model readers use: the latest version a refresh published, while it is fresh
 * (built from the orders up to at most {@code loyalflow.recommendations.max-model-age} ago, and not from orders
 * after now). A stale model (the refresh stopped running) recommends nothing: the best sellers computed from the
 * orders take its place until a refresh succeeds again.
 */
@Component
class RecommendationModel {

    /** A published model: when it was built and from what. */
    record Summary(
            long version,
            Instant refreshedAt,
            Instant finishedAt,
            long durationMillis,
            Instant historyFrom,
            Instant historyTo,
            long orders,
            long orderLines,
            long customers,
            long products,
            long pairs,
            long timedCategories) {}

    private final JdbcTemplate jdbc;
    private final RecommendationProperties properties;
    private final Clock clock;

    RecommendationModel(JdbcTemplate jdbc, RecommendationProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** The version in use; empty before the first refresh published one, and while the latest one is stale. */
    Optional<Long> currentVersion() {
        Instant now = clock.instant();
        return Optional.ofNullable(jdbc.queryForObject(
                "select max(model_version) from reco_model where status = 'PUBLISHED' and history_to <= ? "
                        + "and history_to >= ?",
                Long.class,
                Timestamps.utc(now),
                Timestamps.utc(now.minus(properties.maxModelAge()))));
    }

    /** The latest published model, fresh or not; empty before the first refresh published one. */
    Optional<Summary> latest() {
        return jdbc
                .query(
                        """
                        select model_version, started_at, finished_at, duration_ms, history_from, history_to, orders,
                               order_lines, customers, products, pairs, timed_categories
                        from reco_model
                        where model_version = (select max(model_version) from reco_model where status = 'PUBLISHED')
                        """,
                        (rs, row) -> new Summary(
                                rs.getLong("model_version"),
                                Timestamps.instant(rs, "started_at"),
                                Timestamps.instant(rs, "finished_at"),
                                rs.getLong("duration_ms"),
                                Timestamps.instant(rs, "history_from"),
                                Timestamps.instant(rs, "history_to"),
                                rs.getLong("orders"),
                                rs.getLong("order_lines"),
                                rs.getLong("customers"),
                                rs.getLong("products"),
                                rs.getLong("pairs"),
                                rs.getLong("timed_categories")))
                .stream()
                .findFirst();
    }
}
