package io.loyalflow.recommendation;

import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Analysts' per-category settings: a consumable category's products (coffee, printer ink) are recommended again
 * to customers who bought them; other products never are. Read when recommending, so a change applies at once.
 */
@Service
class ConsumableCategories {

    /** A category's setting; {@code consumable} false and no author when nobody set it. */
    record Setting(String category, boolean consumable, java.time.Instant updatedAt, String updatedBy) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ConsumableCategories(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Set<String> all() {
        return new HashSet<>(
                jdbc.queryForList("select category from reco_category_setting where consumable = true", String.class));
    }

    Setting get(String category) {
        return jdbc
                .query(
                        "select category, consumable, updated_at, updated_by from reco_category_setting where category = ?",
                        (rs, row) -> new Setting(
                                rs.getString("category"),
                                rs.getBoolean("consumable"),
                                Timestamps.instant(rs, "updated_at"),
                                rs.getString("updated_by")),
                        category)
                .stream()
                .findFirst()
                .orElse(new Setting(category, false, null, null));
    }

    /** One statement each, no transaction: two first settings of a category at once end as one row, the later. */
    Setting set(String category, boolean consumable, String user) {
        var now = Timestamps.utc(clock.instant());
        String update =
                "update reco_category_setting set consumable = ?, updated_at = ?, updated_by = ? where category = ?";
        if (jdbc.update(update, consumable, now, user, category) == 0) {
            try {
                jdbc.update(
                        "insert into reco_category_setting (category, consumable, updated_at, updated_by) "
                                + "values (?, ?, ?, ?)",
                        category,
                        consumable,
                        now,
                        user);
            } catch (DuplicateKeyException e) {
                jdbc.update(update, consumable, now, user, category);
            }
        }
        return get(category);
    }
}
