package io.loyalflow.order;

import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.IdLookup;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;

/** Orders and their items (portable SQL for PostgreSQL and H2). */
@Repository
class OrderStore {

    private final JdbcTemplate jdbc;
    private final IdLookup ids;
    private final Database database;

    OrderStore(JdbcTemplate jdbc, IdLookup ids, Database database) {
        this.jdbc = jdbc;
        this.ids = ids;
        this.database = database;
    }

    /** Fingerprints of those of the given orders that are stored. */
    Map<String, String> fingerprints(Collection<String> orderIds) {
        Map<String, String> fingerprints = new HashMap<>();
        ids.forEach("customer_order", "order_id", "fingerprint", orderIds, rs -> {
            fingerprints.put(rs.getString(1), rs.getString(2));
        });
        return fingerprints;
    }

    void insert(List<ValidOrder> orders, Map<String, Long> customerKeys, Instant receivedAt) {
        if (database.isPostgres()) {
            insertAsArrays(orders, customerKeys, receivedAt);
        } else {
            insertAsBatch(orders, customerKeys, receivedAt);
        }
    }

    private void insertAsBatch(List<ValidOrder> orders, Map<String, Long> customerKeys, Instant receivedAt) {
        OffsetDateTime received = receivedAt.atOffset(ZoneOffset.UTC);
        jdbc.batchUpdate(
                "insert into customer_order (order_id, customer_key, placed_at, amount, currency, fingerprint, "
                        + "received_at, cart_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
                orders,
                orders.size(),
                (ps, order) -> {
                    ps.setString(1, order.orderId());
                    ps.setLong(2, customerKeys.get(order.customerId()));
                    ps.setObject(3, order.placedAt().atOffset(ZoneOffset.UTC));
                    ps.setBigDecimal(4, order.amount());
                    ps.setString(5, order.currency());
                    ps.setString(6, order.fingerprint());
                    ps.setObject(7, received);
                    ps.setObject(8, order.cartId(), Types.VARCHAR);
                });
        List<Object[]> items = new ArrayList<>();
        for (ValidOrder order : orders) {
            for (int line = 0; line < order.items().size(); line++) {
                ValidOrder.Item item = order.items().get(line);
                items.add(new Object[] {
                    order.orderId(), line + 1, item.sku(), item.quantity(), item.unitPrice(), item.category()
                });
            }
        }
        if (!items.isEmpty()) {
            // typed, so that a null category binds on both drivers
            jdbc.batchUpdate(
                    "insert into customer_order_item (order_id, line_no, sku, quantity, unit_price, category) "
                            + "values (?, ?, ?, ?, ?, ?)",
                    items,
                    new int[] {Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.INTEGER, Types.NUMERIC, Types.VARCHAR
                    });
        }
    }

    /**
     * PostgreSQL: each table's rows in one statement, as arrays unnested by the server. One plan and
     * one round trip per chunk instead of a thousand bound rows (measured 1.3 times faster imports).
     */
    private void insertAsArrays(List<ValidOrder> orders, Map<String, Long> customerKeys, Instant receivedAt) {
        List<String> ids = new ArrayList<>();
        List<Long> keys = new ArrayList<>();
        List<String> placedAt = new ArrayList<>();
        List<String> amounts = new ArrayList<>();
        List<String> currencies = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        List<String> cartIds = new ArrayList<>();
        List<String> itemOrderIds = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        List<String> prices = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        for (ValidOrder order : orders) {
            ids.add(order.orderId());
            keys.add(customerKeys.get(order.customerId()));
            placedAt.add(order.placedAt().toString());
            amounts.add(order.amount().toPlainString());
            currencies.add(order.currency());
            fingerprints.add(order.fingerprint());
            cartIds.add(order.cartId());
            for (int line = 0; line < order.items().size(); line++) {
                ValidOrder.Item item = order.items().get(line);
                itemOrderIds.add(order.orderId());
                lines.add(line + 1);
                skus.add(item.sku());
                quantities.add(item.quantity());
                prices.add(item.unitPrice().toPlainString());
                categories.add(item.category());
            }
        }
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(
                    "insert into customer_order (order_id, customer_key, placed_at, "
                            + "amount, currency, fingerprint, received_at, cart_id) select o.id, o.customer_key, "
                            + "o.placed_at::timestamptz, o.amount::numeric, o.currency, o.fingerprint, ?, o.cart_id "
                            + "from unnest(?::varchar[], ?::bigint[], ?::text[], ?::text[], ?::varchar[], ?::varchar[], "
                            + "?::varchar[]) as o(id, customer_key, placed_at, amount, currency, fingerprint, cart_id)");
            statement.setObject(1, receivedAt.atOffset(ZoneOffset.UTC));
            statement.setArray(2, connection.createArrayOf("varchar", ids.toArray(String[]::new)));
            statement.setArray(3, connection.createArrayOf("int8", keys.toArray(Long[]::new)));
            statement.setArray(4, connection.createArrayOf("text", placedAt.toArray(String[]::new)));
            statement.setArray(5, connection.createArrayOf("text", amounts.toArray(String[]::new)));
            statement.setArray(6, connection.createArrayOf("varchar", currencies.toArray(String[]::new)));
            statement.setArray(7, connection.createArrayOf("varchar", fingerprints.toArray(String[]::new)));
            statement.setArray(8, connection.createArrayOf("varchar", cartIds.toArray(String[]::new)));
            return statement;
        });
        if (itemOrderIds.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            var statement =
                    connection.prepareStatement("insert into customer_order_item (order_id, line_no, sku, quantity, "
                            + "unit_price, category) select i.order_id, i.line_no, i.sku, i.quantity, i.unit_price::numeric, i.category "
                            + "from unnest(?::varchar[], ?::int[], ?::varchar[], ?::int[], ?::text[], ?::varchar[]) "
                            + "as i(order_id, line_no, sku, quantity, unit_price, category)");
            statement.setArray(1, connection.createArrayOf("varchar", itemOrderIds.toArray(String[]::new)));
            statement.setArray(2, connection.createArrayOf("int4", lines.toArray(Integer[]::new)));
            statement.setArray(3, connection.createArrayOf("varchar", skus.toArray(String[]::new)));
            statement.setArray(4, connection.createArrayOf("int4", quantities.toArray(Integer[]::new)));
            statement.setArray(5, connection.createArrayOf("text", prices.toArray(String[]::new)));
            statement.setArray(6, connection.createArrayOf("varchar", categories.toArray(String[]::new)));
            return statement;
        });
    }

    /** The stored orders among the given ids, with their items, in no particular order. */
    Map<String, StoredOrder> find(Collection<String> orderIds) {
        Map<String, List<ValidOrder.Item>> items = new HashMap<>();
        queryByIds(
                "select order_id, sku, quantity, unit_price, category from customer_order_item "
                        + "where order_id = any (?) order by order_id, line_no",
                orderIds,
                rs -> {
                    items.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                            .add(new ValidOrder.Item(
                                    rs.getString(2), rs.getInt(3), money(rs.getBigDecimal(4), 2), rs.getString(5)));
                });
        Map<String, StoredOrder> orders = new LinkedHashMap<>();
        queryByIds(
                "select o.order_id, c.customer_id, o.placed_at, o.amount, o.currency, o.fingerprint, o.received_at, "
                        + "o.cart_id "
                        + "from customer_order o join v_customer c on c.customer_key = o.customer_key where o.order_id = any (?)",
                orderIds,
                rs -> {
                    String id = rs.getString(1);
                    String currency = rs.getString(5);
                    orders.put(
                            id,
                            new StoredOrder(
                                    id,
                                    rs.getString(2),
                                    instant(rs.getObject(3, OffsetDateTime.class)),
                                    money(
                                            rs.getBigDecimal(4),
                                            Currency.getInstance(currency).getDefaultFractionDigits()),
                                    currency,
                                    items.getOrDefault(id, List.of()),
                                    rs.getString(6),
                                    instant(rs.getObject(7, OffsetDateTime.class)),
                                    rs.getString(8)));
                });
        return orders;
    }

    /** Placement time and amount of every order of one customer, oldest first. */
    List<PlacedOrder> placedOrders(long customerKey) {
        return jdbc.query(
                "select placed_at, amount from customer_order where customer_key = ? order by placed_at",
                (rs, row) -> new PlacedOrder(instant(rs.getObject(1, OffsetDateTime.class)), rs.getBigDecimal(2)),
                customerKey);
    }

    record PlacedOrder(Instant placedAt, BigDecimal amount) {}

    private void queryByIds(String sql, Collection<String> ids, RowCallbackHandler handler) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.query(
                connection -> {
                    var statement = connection.prepareStatement(sql);
                    statement.setArray(1, connection.createArrayOf("varchar", ids.toArray(String[]::new)));
                    return statement;
                },
                handler);
    }

    /** A stored amount without the column's padding, but never finer than the currency's minor unit shows. */
    static BigDecimal money(BigDecimal stored, int minorDigits) {
        BigDecimal plain = stored.stripTrailingZeros();
        return plain.scale() < minorDigits ? plain.setScale(minorDigits) : plain;
    }

    private static Instant instant(OffsetDateTime value) throws SQLException {
        return value == null ? null : value.toInstant();
    }
}
