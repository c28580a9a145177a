package io.loyalflow.cart;

import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The cart table. Every change is one atomic conditional statement: on PostgreSQL {@code insert ... on
 * conflict do update ... where <newer>} (the row lock of the conflicting row makes the condition see the
 * latest committed version), on H2 {@code merge ... when matched and <newer>}, retried by the caller on a
 * concurrent insert. The same statement bumps the version and marks the cart pending for journeys.
 */
@Repository
class CartStore {

    static final String EMPTY_ITEMS = "[]";

    private static final String STATE_COLUMNS = "cart_id, customer_key, version, status, updated_at, item_count";

    private final JdbcTemplate jdbc;
    private final Database database;

    CartStore(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** What a change does; see {@link #set} and {@link #condition}. */
    enum Kind {
        /** The shop's full cart: items replace the stored ones; an empty one clears it. */
        UPDATE,
        CLEARED,
        CHECKOUT_STARTED,
        /** Checkout completed or an order named the cart. */
        CONVERTED
    }

    /**
     * One change. {@code status} is the status the change asks for (a converted cart stays converted
     * when cleared or checked out again); items, itemCount, total and currency are the new contents for
     * UPDATE and CLEARED, and the contents of a cart first heard of through this change otherwise.
     */
    record Change(
            Kind kind,
            String cartId,
            Long customerKey,
            CartStatus status,
            Instant at,
            String currency,
            String items,
            int itemCount,
            BigDecimal total,
            String cartUrl,
            String orderId,
            Instant now) {}

    record Applied(boolean applied, CartChange state) {}

    /** Applies the change if it is newer than what is stored (creating the cart if needed). */
    Applied apply(Change change) {
        if (database.isPostgres()) {
            List<CartChange> changed = jdbc.query(
                    connection -> bind(connection.prepareStatement(upsertSql(change.kind())), change), STATE);
            if (!changed.isEmpty()) {
                return new Applied(true, changed.get(0));
            }
        } else if (jdbc.update(connection -> bind(connection.prepareStatement(mergeSql(change.kind())), change)) == 1) {
            return new Applied(true, current(change.cartId()).orElseThrow());
        }
        return new Applied(false, current(change.cartId()).orElseThrow());
    }

    private static String upsertSql(Kind kind) {
        return "insert into cart as c (cart_id, customer_key, status, updated_at, currency, items, item_count, total, "
                + "cart_url, order_id, changed_at, pending_since, created_at, version, handled_version) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0) "
                + "on conflict (cart_id) do update set " + set(kind, "excluded") + " where "
                + condition(kind, "excluded")
                + " returning " + STATE_COLUMNS;
    }

    private static String mergeSql(Kind kind) {
        return "merge into cart c using (values (cast(? as varchar(100)), cast(? as bigint), cast(? as varchar(16)), "
                + "cast(? as timestamp with time zone), cast(? as char(3)), cast(? as varchar(4000000)), "
                + "cast(? as integer), cast(? as numeric(19, 4)), cast(? as varchar(2000)), cast(? as varchar(100)), "
                + "cast(? as timestamp with time zone), cast(? as timestamp with time zone), "
                + "cast(? as timestamp with time zone))) as x (cart_id, customer_key, status, updated_at, currency, items, "
                + "item_count, total, cart_url, order_id, changed_at, pending_since, created_at) on c.cart_id = x.cart_id "
                + "when matched and (" + condition(kind, "x") + ") then update set " + set(kind, "x")
                + " when not matched then insert (cart_id, customer_key, status, updated_at, currency, items, item_count, "
                + "total, cart_url, order_id, changed_at, pending_since, created_at, version, handled_version) values "
                + "(x.cart_id, x.customer_key, x.status, x.updated_at, x.currency, x.items, x.item_count, x.total, "
                + "x.cart_url, x.order_id, x.changed_at, x.pending_since, x.created_at, 1, 0)";
    }

    /** The columns a change sets on a stored cart; {@code x} names the change's row. */
    static String set(Kind kind, String x) {
        String common = "customer_key = coalesce(" + x + ".customer_key, c.customer_key), "
                + "status = case when c.status = 'CONVERTED' and " + x + ".status in ('CLEARED', 'CHECKOUT') "
                + "then 'CONVERTED' else " + x + ".status end, "
                + "version = c.version + 1, changed_at = " + x + ".changed_at, "
                + "pending_since = coalesce(c.pending_since, " + x + ".pending_since), ";
        return common
                + switch (kind) {
                    case UPDATE ->
                        "updated_at = " + x + ".updated_at, currency = " + x + ".currency, items = " + x
                                + ".items, item_count = " + x + ".item_count, total = " + x + ".total, cart_url = " + x
                                + ".cart_url, order_id = null";
                    case CLEARED ->
                        "updated_at = " + x + ".updated_at, items = " + x + ".items, item_count = 0, " + "total = 0";
                    case CHECKOUT_STARTED -> "updated_at = " + x + ".updated_at";
                    case CONVERTED ->
                        "updated_at = greatest(c.updated_at, " + x + ".updated_at), order_id = coalesce(" + x
                                + ".order_id, c.order_id)";
                };
    }

    /**
     * When a change applies to a stored cart: an update only when newer than the stored state (equal is
     * not newer: the same instant with other content is a repeat the shop did not mean as a change);
     * clearing and checkout also at the same instant when they change the status; a conversion whenever
     * the cart is not converted yet (an order or completed checkout is never "out of date").
     */
    static String condition(Kind kind, String x) {
        return switch (kind) {
            case UPDATE -> x + ".updated_at > c.updated_at";
            case CLEARED ->
                x + ".updated_at > c.updated_at or (" + x + ".updated_at = c.updated_at "
                        + "and c.status not in ('CLEARED', 'CONVERTED'))";
            case CHECKOUT_STARTED ->
                x + ".updated_at > c.updated_at or (" + x + ".updated_at = c.updated_at "
                        + "and c.status not in ('CHECKOUT', 'CONVERTED'))";
            case CONVERTED -> "c.status <> 'CONVERTED'";
        };
    }

    private static PreparedStatement bind(PreparedStatement statement, Change change) throws SQLException {
        statement.setString(1, change.cartId());
        statement.setObject(2, change.customerKey(), Types.BIGINT);
        statement.setString(3, change.status().name());
        statement.setObject(4, utc(change.at()));
        statement.setObject(5, change.currency(), Types.CHAR);
        statement.setString(6, change.items());
        statement.setInt(7, change.itemCount());
        statement.setBigDecimal(8, change.total());
        statement.setObject(9, change.cartUrl(), Types.VARCHAR);
        statement.setObject(10, change.orderId(), Types.VARCHAR);
        statement.setObject(11, utc(change.now()));
        statement.setObject(12, utc(change.now()));
        statement.setObject(13, utc(change.now()));
        return statement;
    }

    /** An order of the customer at {@code placedAt}: their open carts last updated at or before it are converted. */
    record CustomerOrder(long customerKey, Instant placedAt) {}

    int convertOpenCarts(List<CustomerOrder> orders, Instant now) {
        if (orders.isEmpty()) {
            return 0;
        }
        int[][] counts = jdbc.batchUpdate(
                "update cart set status = 'CONVERTED', version = version + 1, changed_at = ?, "
                        + "pending_since = coalesce(pending_since, ?), updated_at = ? "
                        + "where customer_key = ? and status in ('ACTIVE', 'CHECKOUT') and updated_at <= ?",
                orders,
                orders.size(),
                (ps, order) -> {
                    ps.setObject(1, utc(now));
                    ps.setObject(2, utc(now));
                    ps.setObject(3, utc(order.placedAt()));
                    ps.setLong(4, order.customerKey());
                    ps.setObject(5, utc(order.placedAt()));
                });
        int total = 0;
        for (int[] batch : counts) {
            for (int n : batch) {
                total += Math.max(n, 0);
            }
        }
        return total;
    }

    int deleteOfCustomer(long customerKey) {
        return jdbc.update("delete from cart where customer_key = ?", customerKey);
    }

    Optional<CartChange> current(String cartId) {
        return jdbc.query("select " + STATE_COLUMNS + " from cart where cart_id = ?", STATE, cartId).stream()
                .findFirst();
    }

    List<String> pending(int limit) {
        return jdbc.queryForList(
                "select cart_id from cart where pending_since is not null order by pending_since, cart_id "
                        + "fetch first " + Math.max(1, limit) + " rows only",
                String.class);
    }

    Optional<CartChange> lockPending(String cartId) {
        return jdbc
                .query(
                        "select " + STATE_COLUMNS + " from cart where cart_id = ? and pending_since is not null "
                                + (database.isPostgres() ? "for update skip locked" : "for update"),
                        STATE,
                        cartId)
                .stream()
                .findFirst();
    }

    void handled(String cartId, long version) {
        jdbc.update(
                "update cart set handled_version = case when handled_version > ? then handled_version else ? end, "
                        + "pending_since = case when version <= ? then null else pending_since end "
                        + "where cart_id = ?",
                version,
                version,
                version,
                cartId);
    }

    /** The stored cart as the API shows it, with the customer's key. */
    record StoredCart(
            String cartId,
            Long customerKey,
            CartStatus status,
            long version,
            Instant updatedAt,
            String currency,
            String items,
            int itemCount,
            BigDecimal total,
            String cartUrl,
            String orderId,
            Instant createdAt,
            Instant changedAt) {}

    Optional<StoredCart> stored(String cartId) {
        return jdbc
                .query(
                        "select cart_id, customer_key, status, version, updated_at, currency, items, item_count, total, "
                                + "cart_url, order_id, created_at, changed_at from cart where cart_id = ?",
                        (rs, row) -> new StoredCart(
                                rs.getString("cart_id"),
                                nullableLong(rs, "customer_key"),
                                CartStatus.valueOf(rs.getString("status")),
                                rs.getLong("version"),
                                Timestamps.instant(rs, "updated_at"),
                                rs.getString("currency"),
                                rs.getString("items"),
                                rs.getInt("item_count"),
                                rs.getBigDecimal("total"),
                                rs.getString("cart_url"),
                                rs.getString("order_id"),
                                Timestamps.instant(rs, "created_at"),
                                Timestamps.instant(rs, "changed_at")),
                        cartId)
                .stream()
                .findFirst();
    }

    private static final RowMapper<CartChange> STATE = (rs, row) -> new CartChange(
            rs.getString("cart_id"),
            nullableLong(rs, "customer_key"),
            rs.getLong("version"),
            CartStatus.valueOf(rs.getString("status")),
            Timestamps.instant(rs, "updated_at"),
            rs.getInt("item_count"));

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
