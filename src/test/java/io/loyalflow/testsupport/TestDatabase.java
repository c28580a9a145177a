package io.loyalflow.testsupport;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The database a test's Spring context runs on: a fresh in-memory H2, or a freshly created
 * PostgreSQL database when the JVM runs with {@code -Dloyalflow.test.database=postgres} (the
 * second Surefire execution). A run leaves its PostgreSQL databases behind (dropping them while
 * Spring closes the engine would race with it); the next run drops those older than ten minutes
 * that nobody is connected to.
 */
public record TestDatabase(String url, String username, String password) {

    public static final String KIND_PROPERTY = "loyalflow.test.database";
    public static final String H2_FILE_DIRECTORY_PROPERTY = "loyalflow.test.h2-file-directory";
    private static final String PREFIX = "loyalflow_test_";

    public static boolean postgres() {
        return "postgres".equalsIgnoreCase(System.getProperty(KIND_PROPERTY, "h2"));
    }

    /** Where the PostgreSQL server is; overridable for other machines. */
    public static String postgresServerUrl() {
        return System.getenv().getOrDefault("LOYALFLOW_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    public static String postgresUser() {
        return System.getenv().getOrDefault("LOYALFLOW_TEST_POSTGRES_USER", "postgres");
    }

    public static String postgresPassword() {
        return System.getenv().getOrDefault("LOYALFLOW_TEST_POSTGRES_PASSWORD", "");
    }

    public static TestDatabase create() {
        return postgres() ? createPostgres() : createH2();
    }

    /**
     * An in-memory H2 database, or a database file under the directory named by
     * {@value #H2_FILE_DIRECTORY_PROPERTY} when that is set: the benchmarks measure the README's default
     * set-up, whose database lives in a file and not inside the heap.
     */
    public static TestDatabase createH2() {
        String directory = System.getProperty(H2_FILE_DIRECTORY_PROPERTY);
        String location = directory == null
                ? "mem:" + UUID.randomUUID()
                : "file:"
                        + Path.of(directory, UUID.randomUUID().toString(), "loyalflow")
                                .toAbsolutePath();
        return new TestDatabase("jdbc:h2:" + location + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000", "sa", "");
    }

    public static synchronized TestDatabase createPostgres() {
        String name = PREFIX + Instant.now().getEpochSecond() + "_"
                + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(postgresServerUrl(), postgresUser(), postgresPassword());
                Statement statement = admin.createStatement()) {
            dropStale(statement);
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a PostgreSQL test database at " + postgresServerUrl(), e);
        }
        String base = postgresServerUrl().substring(0, postgresServerUrl().lastIndexOf('/') + 1);
        return new TestDatabase(base + name + "?reWriteBatchedInserts=true", postgresUser(), postgresPassword());
    }

    private static void dropStale(Statement statement) throws SQLException {
        List<String> stale = new ArrayList<>();
        long cutoff = Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond();
        try (ResultSet rs = statement.executeQuery("select datname from pg_database d where datname like '" + PREFIX
                + "%' and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)")) {
            while (rs.next()) {
                String[] parts = rs.getString(1).substring(PREFIX.length()).split("_");
                if (parts.length == 2 && parts[0].matches("\\d+") && Long.parseLong(parts[0]) < cutoff) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String name : stale) {
            statement.execute("drop database if exists " + name);
        }
    }

    /** Whether a PostgreSQL server answers, and if not, why. */
    static String postgresUnreachableReason() {
        try (Connection ignored =
                DriverManager.getConnection(postgresServerUrl(), postgresUser(), postgresPassword())) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
