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
      this.postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
  }

  public boolean isPostgres() {
    return postgres;
  }
}
