package io.loyalflow.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * CSV with a header row, one row per order line as shops export them: consecutive rows with the
 * same {@code orderId} are one order, and must agree on its order-level columns. The item columns
 * ({@code sku}, {@code quantity}, {@code unitPrice}, optionally {@code category}) may be empty for an
 * order without lines. An optional order-level column {@code cart_id} (or {@code cartId}) names the
 * shop's cart the order was placed from.
 */
class CsvOrderSource implements OrderSource {

    static final List<String> REQUIRED = List.of("orderId", "customerId", "placedAt", "amount", "currency");
    static final List<String> OPTIONAL = List.of("sku", "quantity", "unitPrice", "category", "cart_id", "cartId");
    private static final List<String> ORDER_LEVEL =
            List.of("orderId", "customerId", "placedAt", "amount", "currency", "cart_id", "cartId");

    private final CsvParser parser;
    private List<String> header;
    private long rowStart;
    private Row pending;
    private String fatalError;

    CsvOrderSource(Reader reader) throws IOException {
        this.parser = new CsvMapper().getFactory().createParser(reader);
        // Without named columns every row arrives as an array, so a row of the wrong width is that row's error.
        parser.setSchema(CsvSchema.emptySchema());
        parser.enable(CsvParser.Feature.TRIM_SPACES);
    }

    private record Row(long line, Map<String, String> values, String widthError) {
        String get(String column) {
            String value = values.get(column);
            return value == null || value.isEmpty() ? null : value;
        }
    }

    @Override
    public ImportLine next() throws IOException {
        Row first = pending != null ? pending : readRow();
        pending = null;
        if (first == null) {
            return null;
        }
        List<Row> rows = new ArrayList<>();
        rows.add(first);
        String orderId = first.get("orderId");
        while (orderId != null) {
            Row row = readRow();
            if (row == null) {
                break;
            }
            if (!orderId.equals(row.get("orderId"))) {
                pending = row;
                break;
            }
            rows.add(row);
        }
        return toOrder(rows);
    }

    private ImportLine toOrder(List<Row> rows) {
        Row first = rows.get(0);
        List<FieldViolation> errors = new ArrayList<>();
        rows.stream()
                .filter(row -> row.widthError() != null)
                .forEach(row -> errors.add(new FieldViolation("", row.widthError())));
        for (Row row : rows.subList(1, rows.size())) {
            for (String column : ORDER_LEVEL) {
                if (!Objects.equals(first.get(column), row.get(column))) {
                    errors.add(new FieldViolation(
                            column,
                            "row at line " + row.line()
                                    + " of the same order says " + quote(row.get(column)) + ", line " + first.line()
                                    + " says "
                                    + quote(first.get(column))));
                }
            }
        }
        OffsetDateTime placedAt = dateTime(first, "placedAt", errors);
        BigDecimal amount = number(first.get("amount"), "amount", errors);
        List<OrderItemRequest> items = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String sku = row.get("sku");
            String quantity = row.get("quantity");
            String unitPrice = row.get("unitPrice");
            String category = row.get("category");
            if (sku == null && quantity == null && unitPrice == null && category == null) {
                continue;
            }
            String prefix = "items[" + items.size() + "].";
            Integer parsedQuantity = null;
            if (quantity != null) {
                try {
                    parsedQuantity = Integer.valueOf(quantity);
                } catch (NumberFormatException e) {
                    errors.add(
                            new FieldViolation(prefix + "quantity", "expected an integer, got \"" + quantity + "\""));
                }
            }
            items.add(new OrderItemRequest(
                    sku, parsedQuantity, number(unitPrice, prefix + "unitPrice", errors), category));
        }
        if (!errors.isEmpty()) {
            return ImportLine.unreadable(first.line(), first.get("orderId"), errors);
        }
        return ImportLine.of(
                first.line(),
                new OrderRequest(
                        first.get("orderId"),
                        first.get("customerId"),
                        placedAt,
                        amount,
                        first.get("currency"),
                        items,
                        first.get(header.contains("cart_id") ? "cart_id" : "cartId")));
    }

    private Row readRow() throws IOException {
        if (fatalError != null) {
            return null;
        }
        try {
            if (header == null) {
                List<String> names = readValues();
                header = names == null ? List.of() : names;
                checkHeader();
            }
            List<String> values = readValues();
            if (values == null) {
                return null;
            }
            Map<String, String> byColumn = new HashMap<>();
            for (int i = 0; i < Math.min(values.size(), header.size()); i++) {
                byColumn.put(header.get(i), values.get(i));
            }
            String widthError = values.size() == header.size()
                    ? null
                    : "row has " + values.size() + " columns, the header " + header.size();
            return new Row(rowStart, byColumn, widthError);
        } catch (JsonProcessingException e) {
            fatalError = "CSV syntax error at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage()
                    + "; the rest of the file was not read";
            return null;
        }
    }

    /** The values of the next non-blank row, or null at the end of input; records the row's first line. */
    private List<String> readValues() throws IOException {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new IllegalStateException("CSV row expected, got " + token);
            }
            // Jackson CSV reports a row's start as the line before it (the previous row's line).
            rowStart = Math.max(1, parser.currentTokenLocation().getLineNr() + 1);
            List<String> values = new ArrayList<>();
            for (token = parser.nextToken();
                    token != null && token != JsonToken.END_ARRAY;
                    token = parser.nextToken()) {
                values.add(parser.getValueAsString());
            }
            if (!(values.size() == 1 && values.get(0).isEmpty())) {
                return values;
            }
        }
    }

    /** A misnamed or missing column would lose data in every row: refuse the file before storing any. */
    private void checkHeader() {
        Set<String> columns = new LinkedHashSet<>(header);
        List<FieldViolation> problems = new ArrayList<>();
        if (columns.size() < header.size()) {
            problems.add(new FieldViolation("", "the header row names a column twice: " + header));
        }
        for (String column : columns) {
            if (!REQUIRED.contains(column) && !OPTIONAL.contains(column)) {
                problems.add(new FieldViolation(
                        column, "unknown column; expected " + REQUIRED + " and optionally " + OPTIONAL));
            }
        }
        if (columns.contains("cart_id") && columns.contains("cartId")) {
            problems.add(new FieldViolation("cart_id", "name the cart column once: cart_id or cartId, not both"));
        }
        for (String column : REQUIRED) {
            if (!columns.contains(column)) {
                problems.add(new FieldViolation(column, "required column missing from the header row"));
            }
        }
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }
    }

    private static OffsetDateTime dateTime(Row row, String column, List<FieldViolation> errors) {
        String value = row.get(column);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldViolation(
                    column,
                    "expected an ISO-8601 date-time with offset, such as 2026-11-22T18:30:00Z, got \"" + value + "\""));
            return null;
        }
    }

    private static BigDecimal number(String value, String field, List<FieldViolation> errors) {
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldViolation(field, "expected a number, got \"" + value + "\""));
            return null;
        }
    }

    private static String quote(String value) {
        return value == null ? "(empty)" : "\"" + value + "\"";
    }

    @Override
    public String fatalError() {
        return fatalError;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
