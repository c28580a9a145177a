package io.loyalflow.platform.db;

import java.sql.PreparedStatement;
import java.util.Collection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Reads rows by a list of string keys in one round trip, e.g. the customers of an import chunk.
 *
 * <p>On PostgreSQL each key is probed through the unique index from a {@code LATERAL} subquery.
 * The plain {@code key = any (?)} form lets the planner choose by table size: a plan cached while
 * a table was nearly empty stays a sequential scan on that connection as the table grows, and a
 * fresh plan for a thousand keys also prefers a sequential scan over the index (3 to 6 times
 * slower, measured). The lateral probe is planned as an index scan at any table size. H2 has no
 * such plan cache and keeps the plain form.
 */
@Component
public class IdLookup {

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    public IdLookup(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.postgres = database.isPostgres();
    }

    /**
     * Calls {@code handler} for every row of {@code table} whose {@code keyColumn} is among
     * {@code keys}; the row's columns are the key, then {@code columns}, in that order.
     */
    public void forEach(
            String table, String keyColumn, String columns, Collection<String> keys, RowCallbackHandler handler) {
        forEach(table, keyColumn, columns, keys, false, handler);
    }

    /** The same, locking the rows until the transaction ends when {@code forUpdate}. */
    public void forEach(
            String table,
            String keyColumn,
            String columns,
            Collection<String> keys,
            boolean forUpdate,
            RowCallbackHandler handler) {
        if (keys.isEmpty()) {
            return;
        }
        String lock = forUpdate ? " for update" : "";
        String sql = postgres
                ? "select ids.id, t.* from unnest(?::varchar[]) as ids(id) cross join lateral (select " + columns
                        + " from " + table + " where " + keyColumn + " = ids.id offset 0" + lock + ") t"
                : "select " + keyColumn + ", " + columns + " from " + table + " where " + keyColumn + " = any (?)"
                        + lock;
        jdbc.query(
                connection -> {
                    PreparedStatement statement = connection.prepareStatement(sql);
                    statement.setArray(1, connection.createArrayOf("varchar", keys.toArray()));
                    return statement;
                },
                handler);
    }
}
