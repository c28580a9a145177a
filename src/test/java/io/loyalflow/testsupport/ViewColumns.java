package io.loyalflow.testsupport;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;

/** The columns a view shows, lower-cased, in order: what a module's view promises its readers. */
public final class ViewColumns {

    public static List<String> of(JdbcTemplate jdbc, String view) {
        return jdbc.query("select * from " + view + " where 1 = 0", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
            }
            return names;
        });
    }

    private ViewColumns() {}
}
