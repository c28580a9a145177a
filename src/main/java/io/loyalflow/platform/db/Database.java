package io.loyalflow.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Which database Loyalflow runs on, for the few statements written differently for PostgreSQL and H2. */
@Component
public class Database {

    private final boolean postgres;

    public Database(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            this.postgres = connection
                    .getMetaData()
                    .getDatabaseProductName()
                    .toLowerCase(Locale.ROOT)
                    .contains("postgres");
        }
    }

    public boolean isPostgres() {
        return postgres;
    }

    /**
     * The row lock for "one writer of this customer at a time": on PostgreSQL {@code for no key
     * update}, which, unlike {@code for update}, does not wait for (nor block) inserts of rows that
     * reference the locked one (their foreign-key checks take KEY SHARE locks). An import chunk's
     * orders hold those on many customers at once; a re-tiering that locked the same customers
     * {@code for update} in another order would deadlock with it. H2 has only {@code for update}
     * (its foreign-key checks take no row locks).
     */
    public String lockForWriting() {
        return postgres ? "for no key update" : "for update";
    }
}
