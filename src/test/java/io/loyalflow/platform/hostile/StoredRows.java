package io.loyalflow.platform.hostile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Row counts of every table of the service's schema, Loyalflow's and the engine's, in one query: a
 * request that stored nothing leaves them all as they were.
 */
final class StoredRows {

    /** Written by the engine on its own schedule, whatever the requests do. */
    private static final Set<String> BACKGROUND = Set.of("act_ru_meter_log", "act_ru_task_meter_log");

    private final JdbcTemplate jdbc;
    private final String countQuery;

    StoredRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        List<String> tables = jdbc
                .queryForList(
                        "select table_name from information_schema.tables "
                                + "where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name",
                        String.class)
                .stream()
                .filter(table -> !BACKGROUND.contains(table.toLowerCase(Locale.ROOT)))
                .toList();
        if (tables.isEmpty()) {
            throw new IllegalStateException("no tables found in the current schema");
        }
        countQuery = tables.stream()
                .map(table -> "select '" + table + "', count(*) from \"" + table + "\"")
                .collect(Collectors.joining(" union all "));
    }

    Map<String, Long> snapshot() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(countQuery, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** The tables whose count differs, each with its count before and after. */
    static Map<String, String> changes(Map<String, Long> before, Map<String, Long> after) {
        Map<String, String> changed = new LinkedHashMap<>();
        after.forEach((table, count) -> {
            Long was = before.get(table);
            if (!count.equals(was)) {
                changed.put(table, was + " -> " + count);
            }
        });
        return changed;
    }
}
