package io.loyalflow.recommendation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Cross-sell timing from the published model: per category of the order, the median time from a purchase in
 * it to the customer's next purchase in a related category; the median of those over the order's categories
 * that have enough observations ({@code loyalflow.recommendations.minimum-timing-observations}). Empty without
 * a fresh model ({@link RecommendationModel}).
 */
@Service
class CrossSellTimings implements CrossSellTiming {

    private static final String MEDIANS = """
      select t.median_seconds from reco_category_timing t
      where t.model_version = ? and t.observations >= ?
        and t.category in (select category from v_customer_order_item where order_id = ?)
      order by t.median_seconds
      """;

    private final JdbcTemplate jdbc;
    private final RecommendationModel model;
    private final RecommendationProperties properties;

    CrossSellTimings(JdbcTemplate jdbc, RecommendationModel model, RecommendationProperties properties) {
        this.jdbc = jdbc;
        this.model = model;
        this.properties = properties;
    }

    @Override
    public Optional<Duration> medianIntervalAfter(String orderId) {
        Optional<Long> version = model.currentVersion();
        if (orderId == null || version.isEmpty()) {
            return Optional.empty();
        }
        List<Long> medians =
                jdbc.queryForList(MEDIANS, Long.class, version.get(), properties.minimumTimingObservations(), orderId);
        if (medians.isEmpty()) {
            return Optional.empty();
        }
        int n = medians.size();
        long median = n % 2 == 1 ? medians.get(n / 2) : (medians.get(n / 2 - 1) + medians.get(n / 2)) / 2;
        return Optional.of(Duration.ofSeconds(median));
    }
}
