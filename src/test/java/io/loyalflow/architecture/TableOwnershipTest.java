package io.loyalflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each module owns its tables: the SQL in a module's main code names only its own tables, and the views
 * other modules declare for it to read. The SQL is found in the string literals and text blocks of the
 * module's sources (literals joined by {@code +} read as one); a table counts as named where SQL puts a
 * table ({@code from}, {@code join}, {@code into}, {@code update}, {@code table}, a column qualified by
 * it, or the table argument of {@code IdLookup.forEach}), not wherever the word occurs.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/io/loyalflow");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db");
    private static final Pattern CREATED = Pattern.compile(
            "\\bcreate\\s+(?:or\\s+replace\\s+)?(table|view)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

    @Test
    void everyTableAndViewTheMigrationsCreateHasItsOwner() {
        Set<String> tables = new TreeSet<>();
        Set<String> views = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MIGRATIONS)) {
            files.filter(file -> file.toString().endsWith(".sql")).forEach(file -> {
                Matcher created = CREATED.matcher(read(file).toLowerCase(Locale.ROOT));
                while (created.find()) {
                    (created.group(1).equals("table") ? tables : views).add(created.group(2));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(tables)
                .as("tables created by migrations")
                .isNotEmpty()
                .isEqualTo(owned(TableOwnership.Owned::tables));
        assertThat(views).as("views created by migrations").isEqualTo(owned(TableOwnership.Owned::views));
    }

    @Test
    void everyModuleIsListed() throws IOException {
        try (Stream<Path> modules = Files.list(SOURCES)) {
            assertThat(modules.filter(Files::isDirectory)
                            .map(dir -> dir.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(TableOwnership.BY_MODULE.keySet());
        }
    }

    @Test
    void noModuleNamesAnotherModulesTable() {
        List<String> violations = new ArrayList<>();
        for (String module : TableOwnership.BY_MODULE.keySet()) {
            for (Reference reference : references(module)) {
                String owner = TableOwnership.ownerOf(reference.name()).orElseThrow();
                if (!owner.equals(module) && !TableOwnership.isView(reference.name())) {
                    violations.add(module + " names " + owner + "'s table " + reference.name() + " in "
                            + reference.file() + ": " + reference.sql());
                }
            }
        }
        assertThat(violations)
                .as("SQL naming another module's table (read it through the owner's API or views)")
                .isEmpty();
    }

    /** Views are read-only contracts: whoever changes data calls the owner's API, which writes its tables. */
    @Test
    void noModuleWritesThroughAView() {
        List<String> writes = new ArrayList<>();
        for (String module : TableOwnership.BY_MODULE.keySet()) {
            forEachFragment(module, (file, sql) -> {
                Matcher write = WRITE.matcher(sql);
                while (write.find()) {
                    if (TableOwnership.isView(write.group(1).toLowerCase(Locale.ROOT))) {
                        writes.add(module + " writes view " + write.group(1) + " in " + file + ": " + sql.strip());
                    }
                }
            });
        }
        assertThat(writes).isEmpty();
        assertThat(WRITE.matcher("update v_customer set email = null").find()).isTrue();
        assertThat(WRITE.matcher("delete from v_suppression where address = ?").find())
                .isTrue();
    }

    /** The scan would pass trivially if it found no SQL: it must see each owner's SQL naming its own tables. */
    @Test
    void theScanFindsEveryOwnersOwnTables() {
        TableOwnership.BY_MODULE.forEach((module, owned) -> {
            Set<String> named = references(module).stream().map(Reference::name).collect(Collectors.toSet());
            assertThat(named).as("tables %s's SQL names", module).containsAll(owned.tables());
        });
    }

    @Test
    void theScanReadsSqlNotWords() {
        String source = """
        class Example {
          String message = "No customer " + id + ": orders from customers are kept";
          String query = "select d.*, c.customer_id from delivery d "
              + "left join customer c on c.customer_key = d.customer_key "; // a from customer_order in a comment
          String block = \"""
              select count(*) from
                customer_order o where o.placed_at > ? and customer_referral.activity = 'ACTIVE'
              \""";
          String update = "update" + " campaign_entry_run set x = 1";
          String lookup = ids.forEach("customer_value", "fit_version", "x");
          String step = "campaign.templateId(execution, 'Task_Id')" + "Campaign" + "customer";
        }
        """;
        assertThat(tablesIn(sqlFragments(source)))
                .containsExactlyInAnyOrder(
                        "delivery",
                        "customer",
                        "customer_order",
                        "customer_referral",
                        "campaign_entry_run",
                        "customer_value");
    }

    private record Reference(String name, Path file, String sql) {}

    private static Set<String> owned(java.util.function.Function<TableOwnership.Owned, Set<String>> part) {
        return TableOwnership.BY_MODULE.values().stream()
                .flatMap(owned -> part.apply(owned).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Reference> references(String module) {
        List<Reference> references = new ArrayList<>();
        forEachFragment(module, (file, sql) -> {
            for (String table : tablesIn(List.of(sql))) {
                references.add(new Reference(table, file, sql.strip()));
            }
        });
        return references;
    }

    private static void forEachFragment(String module, java.util.function.BiConsumer<Path, String> consumer) {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(module))) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .sorted()
                    .forEach(file -> sqlFragments(read(file)).forEach(sql -> consumer.accept(file, sql)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern WRITE =
            Pattern.compile("\\b(?i:into|update|delete\\s+from|merge\\s+into)\\s+([A-Za-z_][A-Za-z0-9_]*)");

    private static final Pattern TABLE_POSITION =
            Pattern.compile("\\b(?i:from|join|into|update|table)\\s+([A-Za-z_][A-Za-z0-9_]*)"
                    + "|(?<![.\\w])([a-z_][a-z0-9_]*)\\.(?:\\*|[a-z_][a-z0-9_]*\\b(?!\\())");

    private static Set<String> tablesIn(List<String> fragments) {
        Set<String> known = new HashSet<>();
        TableOwnership.BY_MODULE.values().forEach(owned -> {
            known.addAll(owned.tables());
            known.addAll(owned.views());
        });
        Set<String> found = new TreeSet<>();
        for (String fragment : fragments) {
            Matcher matcher = TABLE_POSITION.matcher(fragment);
            while (matcher.find()) {
                String name = (matcher.group(1) != null ? matcher.group(1) : matcher.group(2)).toLowerCase(Locale.ROOT);
                if (known.contains(name)) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /**
     * The string literals and text blocks of a Java source, comments skipped; literals joined only by
     * {@code +} (one SQL statement written over several lines) come back as one fragment.
     */
    static List<String> sqlFragments(String source) {
        List<String> fragments = new ArrayList<>();
        StringBuilder current = null;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? n : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) < 0 ? n : source.indexOf("*/", i + 2) + 2;
            } else if (c == '\'') {
                i = skipQuoted(source, i, '\'');
            } else if (c == '"') {
                int end;
                String literal;
                if (source.startsWith("\"\"\"", i)) {
                    end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end;
                    literal = source.substring(i + 3, end);
                    end += 3;
                } else {
                    end = skipQuoted(source, i, '"');
                    literal = source.substring(i + 1, Math.max(i + 1, end - 1));
                }
                if (current == null) {
                    current = new StringBuilder();
                    // IdLookup.forEach takes the table it reads as its first argument
                    if (source.substring(Math.max(0, i - 20), i)
                            .replaceAll("\\s", "")
                            .endsWith(".forEach(")) {
                        current.append("from ");
                    }
                }
                current.append(literal.replace("\\n", "\n").replace("\\\"", "\""));
                i = end;
                int next = skipBlank(source, i);
                if (next < n
                        && source.charAt(next) == '+'
                        && skipBlank(source, next + 1) < n
                        && source.charAt(skipBlank(source, next + 1)) == '"') {
                    i = skipBlank(source, next + 1);
                } else {
                    fragments.add(current.toString());
                    current = null;
                }
            } else {
                i++;
            }
        }
        return fragments;
    }

    private static int skipQuoted(String source, int start, char quote) {
        int i = start + 1;
        while (i < source.length() && source.charAt(i) != quote && source.charAt(i) != '\n') {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, source.length());
    }

    private static int skipBlank(String source, int from) {
        int i = from;
        while (i < source.length()) {
            if (Character.isWhitespace(source.charAt(i))) {
                i++;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else {
                return i;
            }
        }
        return i;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
