package db.migration;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Drops the foreign keys from the tables a segment refresh derives in bulk (tiers, features,
 * memberships, segment events) to the customer table. Each key checked every inserted row and locked
 * its customer row: on PostgreSQL a first refresh of a million customers spent most of its write time
 * on those checks, and writers adding memberships and events of the same customer at once turned the
 * locks into multixacts. The keys guarded nothing the code does not: these rows are written only with
 * keys just read from {@code customer}, and customers are never deleted (erasure anonymises the row).
 * Java, not SQL, because H2 names the constraints itself.
 */
public class V7__DerivedSegmentTablesWithoutForeignKeys extends BaseJavaMigration {

    private static final List<String> TABLES =
            List.of("customer_tier", "customer_features", "segment_membership", "segment_event");

    @Override
    public void migrate(Context context) throws Exception {
        DatabaseMetaData meta = context.getConnection().getMetaData();
        boolean upper = meta.storesUpperCaseIdentifiers();
        String schema = context.getConnection().getSchema();
        List<String> drops = new ArrayList<>();
        for (String table : TABLES) {
            String name = upper ? table.toUpperCase() : table;
            try (ResultSet keys = meta.getImportedKeys(null, schema, name)) {
                while (keys.next()) {
                    if ("customer".equalsIgnoreCase(keys.getString("PKTABLE_NAME"))) {
                        drops.add("alter table " + table + " drop constraint \"" + keys.getString("FK_NAME") + "\"");
                    }
                }
            }
        }
        if (drops.size() != TABLES.size()) {
            throw new IllegalStateException(
                    "Expected one foreign key to customer on each of " + TABLES + ", found: " + drops);
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String drop : drops) {
                statement.execute(drop);
            }
        }
    }
}
