package io.loyalflow.bench;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bytes on disk (tables, indexes, TOAST) of the engine's runtime tables ({@code act_ru_*}), its history
 * ({@code act_hi_*} and {@code act_ge_bytearray}) and Loyalflow's own tables, as PostgreSQL reports them; dead rows
 * not yet vacuumed count.
 */
record TableSizes(long engineRuntime, long engineHistory, long own) {

    static TableSizes of(JdbcTemplate jdbc) {
        Map<String, Object> row = jdbc.queryForMap("select "
                + "coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname like 'act_ru_%'), 0) runtime, "
                + "coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname like 'act_hi_%' "
                + "or c.relname = 'act_ge_bytearray'), 0) history, "
                + "coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname not like 'act_%'), 0) own "
                + "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where c.relkind = 'r' and n.nspname = current_schema()");
        return new TableSizes(
                ((Number) row.get("runtime")).longValue(),
                ((Number) row.get("history")).longValue(),
                ((Number) row.get("own")).longValue());
    }
}
