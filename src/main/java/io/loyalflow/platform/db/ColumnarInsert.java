package io.loyalflow.platform.db;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many rows in one PostgreSQL statement: each column travels as one array and the statement reads
 * them back with {@code unnest(...)}. A refresh writes millions of rows; one statement per ten
 * thousand rows is several times faster than batched single-row statements.
 */
public final class ColumnarInsert {

    private ColumnarInsert() {}

    /**
     * Runs {@code sql} with the {@code constants} first, then one array per column of {@code rows}, typed
     * by {@code types} (PostgreSQL array element types: int8, int4, float8, numeric, bool, varchar, text).
     */
    public static int write(JdbcTemplate jdbc, String sql, List<Object[]> rows, String[] types, Object... constants) {
        if (rows.isEmpty()) {
            return 0;
        }
        Integer count = jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                for (Object constant : constants) {
                    statement.setObject(index++, constant);
                }
                for (int column = 0; column < types.length; column++) {
                    statement.setArray(index++, array(connection, types[column], rows, column));
                }
                return statement.executeUpdate();
            }
        });
        return count == null ? 0 : count;
    }

    private static Array array(Connection connection, String type, List<Object[]> rows, int column)
            throws SQLException {
        Object[] values = switch (type) {
            case "int8" -> new Long[rows.size()];
            case "int4" -> new Integer[rows.size()];
            case "float8" -> new Double[rows.size()];
            case "numeric" -> new BigDecimal[rows.size()];
            case "bool" -> new Boolean[rows.size()];
            default -> new String[rows.size()];
        };
        for (int i = 0; i < values.length; i++) {
            Object value = rows.get(i)[column];
            values[i] = value != null && values instanceof String[] ? value.toString() : value;
        }
        return connection.createArrayOf(type, values);
    }
}
