package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Dynamic segment conditions: a JSON condition tree is parsed into an immutable {@link Condition},
 * translated to a parameterised SQL boolean expression, or evaluated in Java with the same meaning.
 *
 * <p>Grammar: a group {@code {"and": [..]}}, {@code {"or": [..]}} (1 to 50 children) or
 * {@code {"not": {..}}}; a leaf {@code {"field": "orders", "op": "gte", "value": 3}}. Dates take an ISO
 * day ("2026-01-31") or a day relative to the customer's local today ({@code {"daysAgo": 45}}).
 *
 * <p>Logic is two-valued in both translations: a leaf over a missing value (SQL NULL) is false, except
 * {@code exists} with {@code false}; {@code not} negates that false to true. This is what SQL gives
 * when every {@code not} coalesces unknown to false first, and it keeps {@code not not X == X}.
 *
 * <p>Pure and stateless: no Spring, no database, no clock (today is always passed in).
 */
public final class ConditionTree {

  public static final int MAX_DEPTH = 10;
  public static final int MAX_CHILDREN = 50;
  public static final int MAX_IN_VALUES = 1000;
  public static final int MAX_DAYS_AGO = 36_600;
  public static final int MAX_TEXT_LENGTH = 1000;
  /** Field names starting with this address the customer's JSON attributes: {@code attributes.size}. */
  public static final String ATTRIBUTE_PREFIX = "attributes.";
  /**
   * Column mapping key for attributes: a SQL expression with one {@code %s} that receives the attribute
   * name as a bind parameter, e.g. PostgreSQL {@code (attributes::jsonb ->> %s)}.
   */
  public static final String ATTRIBUTES_KEY = "attributes.*";
  /** The same limit as the customer API puts on attribute names. */
  public static final int MAX_ATTRIBUTE_NAME_LENGTH = 100;

  /** The field catalogue: the fields a condition may test and their types (attributes aside). */
  public static final Map<String, ConditionType> FIELDS = catalogue();

  /** Text fields with a closed set of values: checked when parsing, compared case-insensitively. */
  public static final Map<String, List<String>> CHOICES = Map.of(
      "tier", List.of("Bronze", "Silver", "Gold", "Platinum"),
      "referralActivity", List.of("Active", "Dormant"));

  private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  /** A SQL boolean expression with {@code ?} placeholders and their values, in order. */
  public record Sql(String where, List<Object> params) {
    public Sql {
      Objects.requireNonNull(where, "where");
      params = Collections.unmodifiableList(new ArrayList<>(params));
    }
  }

  private ConditionTree() {
  }

  private static Map<String, ConditionType> catalogue() {
    Map<String, ConditionType> fields = new LinkedHashMap<>();
    for (String number : List.of("orders", "orders12Months", "totalSpend", "spend12Months", "averageOrderValue",
        "daysSinceLastOrder", "spendPercentile", "successfulReferrals", "extendedRevenue", "expectedPurchases",
        "probabilityAlive", "expectedOrderValue", "predictedValue", "predictedValuePercentile")) {
      fields.put(number, ConditionType.NUMBER);
    }
    for (String date : List.of("lastOrderDate", "firstOrderDate")) {
      fields.put(date, ConditionType.DATE);
    }
    for (String text : List.of("tier", "email", "phone", "locale", "timeZone", "referralActivity", "customerId")) {
      fields.put(text, ConditionType.TEXT);
    }
    for (String bool : List.of("emailConsent", "smsConsent", "recentBuyer")) {
      fields.put(bool, ConditionType.BOOLEAN);
    }
    return Collections.unmodifiableMap(fields);
  }

  /** The type of a field name, including {@code attributes.<name>}; empty for an unknown field. */
  public static Optional<ConditionType> typeOf(String field) {
    if (field.startsWith(ATTRIBUTE_PREFIX)) {
      int nameLength = field.length() - ATTRIBUTE_PREFIX.length();
      return nameLength >= 1 && nameLength <= MAX_ATTRIBUTE_NAME_LENGTH
          ? Optional.of(ConditionType.ATTRIBUTE) : Optional.empty();
    }
    return Optional.ofNullable(FIELDS.get(field));
  }

  // ---------------------------------------------------------------------------------------------------
  // Parsing and validation
  // ---------------------------------------------------------------------------------------------------

  /**
   * Parses a condition tree, adding every fault to {@code violations} with its JSON path below
   * {@code path} (e.g. {@code definition.and[1].not.value}).
   *
   * @return the condition, or empty when the tree has at least one fault
   */
  public static Optional<Condition> parse(JsonNode node, String path, Violations violations) {
    Parser parser = new Parser();
    Condition condition = parser.node(node, path, 1);
    parser.faults.forEach(f -> violations.add(f.field(), f.message()));
    return parser.faults.isEmpty() ? Optional.of(condition) : Optional.empty();
  }

  /** Parses a condition tree, or throws an invalid-input {@code Refusal} listing every fault. */
  public static Condition parseOrThrow(JsonNode node, String path) {
    Violations violations = new Violations();
    Optional<Condition> condition = parse(node, path, violations);
    violations.throwIfAny();
    return condition.orElseThrow();
  }

  /** Every fault of a condition tree, in document order; empty when the tree is valid. */
  public static List<FieldViolation> validate(JsonNode node, String path) {
    Parser parser = new Parser();
    parser.node(node, path, 1);
    return List.copyOf(parser.faults);
  }

  /** Walks the JSON once, building the AST and recording faults; the AST is only trusted when faultless. */
  private static final class Parser {

    private final List<FieldViolation> faults = new ArrayList<>();

    private void fault(String path, String message) {
      faults.add(new FieldViolation(path, message));
    }

    Condition node(JsonNode node, String path, int depth) {
      if (node == null || node.isMissingNode() || node.isNull()) {
        fault(path, "is required");
        return null;
      }
      if (!node.isObject()) {
        fault(path, "must be an object: a group (and, or, not) or a leaf (field, op, value)");
        return null;
      }
      // Refused before looking inside, so a hostile tree cannot make the walk arbitrarily deep.
      if (depth > MAX_DEPTH) {
        fault(path, "nests deeper than " + MAX_DEPTH + " levels");
        return null;
      }
      List<String> kinds = new ArrayList<>();
      for (String kind : List.of("and", "or", "not", "field")) {
        if (node.has(kind)) {
          kinds.add(kind);
        }
      }
      if (kinds.size() > 1) {
        fault(path, "has " + kinds.stream().map(k -> "'" + k + "'").collect(Collectors.joining(" and "))
            + ": a condition is either one group (and, or, not) or a leaf (field, op, value)");
        return null;
      }
      String kind = kinds.isEmpty() ? null : kinds.get(0);
      if (kind == null) {
        if (node.has("op") || node.has("value")) {
          return leaf(node, path); // a leaf that forgot its field: say so at the field
        }
        fault(path, "must have one of 'and', 'or', 'not' (a group) or 'field' (a leaf)");
        return null;
      }
      return switch (kind) {
        case "and", "or" -> group(node, path, depth, kind);
        case "not" -> not(node, path, depth);
        default -> leaf(node, path);
      };
    }

    private Condition group(JsonNode node, String path, int depth, String kind) {
      unknownKeys(node, path, Set.of(kind), "a group has only '" + kind + "'");
      JsonNode children = node.get(kind);
      String childrenPath = key(path, kind);
      if (!children.isArray() || children.isEmpty() || children.size() > MAX_CHILDREN) {
        fault(childrenPath, "must be an array of 1 to " + MAX_CHILDREN + " conditions");
        return null;
      }
      List<Condition> conditions = new ArrayList<>();
      for (int i = 0; i < children.size(); i++) {
        conditions.add(node(children.get(i), index(childrenPath, i), depth + 1));
      }
      if (conditions.contains(null)) {
        return null;
      }
      return kind.equals("and") ? new Condition.And(conditions) : new Condition.Or(conditions);
    }

    private Condition not(JsonNode node, String path, int depth) {
      unknownKeys(node, path, Set.of("not"), "a group has only 'not'");
      Condition child = node(node.get("not"), key(path, "not"), depth + 1);
      return child == null ? null : new Condition.Not(child);
    }

    private Condition leaf(JsonNode node, String path) {
      unknownKeys(node, path, Set.of("field", "op", "value"), "a leaf has only 'field', 'op' and 'value'");
      String fieldPath = key(path, "field");
      String opPath = key(path, "op");
      JsonNode fieldNode = node.get("field");
      String field = null;
      ConditionType type = null;
      if (fieldNode == null || fieldNode.isNull()) {
        fault(fieldPath, "is required");
      } else if (!fieldNode.isTextual()) {
        fault(fieldPath, "must be a string naming a field");
      } else {
        field = fieldNode.textValue();
        type = typeOf(field).orElse(null);
        if (type == null) {
          fault(fieldPath, field.startsWith(ATTRIBUTE_PREFIX)
              ? "attribute names must have 1 to " + MAX_ATTRIBUTE_NAME_LENGTH + " characters"
              : "unknown field '" + field + "'; expected one of " + String.join(", ", FIELDS.keySet())
                  + " or " + ATTRIBUTE_PREFIX + "<name>");
        }
      }
      JsonNode opNode = node.get("op");
      ConditionOperator op = null;
      if (opNode == null || opNode.isNull()) {
        fault(opPath, "is required");
      } else if (!opNode.isTextual()) {
        fault(opPath, "must be a string naming an operator");
      } else {
        op = ConditionOperator.fromJson(opNode.textValue()).orElse(null);
        if (op == null) {
          fault(opPath, "unknown operator '" + opNode.textValue() + "'; expected one of "
              + Arrays.stream(ConditionOperator.values()).map(ConditionOperator::json)
                  .collect(Collectors.joining(", ")));
        }
      }
      if (type == null || op == null) {
        return null; // what the value must look like depends on both
      }
      if (!type.allows(op)) {
        fault(opPath, "operator '" + op.json() + "' is not allowed for " + type.label() + " field '" + field
            + "'; allowed: " + Arrays.stream(ConditionOperator.values()).filter(type::allows)
                .map(ConditionOperator::json).collect(Collectors.joining(", ")));
        return null;
      }
      List<ConditionValue> values = values(node.get("value"), key(path, "value"), field, type, op);
      return values == null ? null : new Condition.Leaf(field, type, op, values);
    }

    private List<ConditionValue> values(JsonNode value, String path, String field, ConditionType type,
        ConditionOperator op) {
      switch (op) {
        case EXISTS -> {
          if (value == null) {
            return List.of(new ConditionValue.Bool(true));
          }
          if (!value.isBoolean()) {
            fault(path, "must be true or false (exists needs no value; false means 'does not exist')");
            return null;
          }
          return List.of(new ConditionValue.Bool(value.booleanValue()));
        }
        case BETWEEN -> {
          if (value == null || !value.isArray() || value.size() != 2) {
            fault(path, value == null ? "is required: [low, high]" : "must be an array of two bounds [low, high]");
            return null;
          }
          ConditionValue low = scalar(value.get(0), index(path, 0), field, type, op);
          ConditionValue high = scalar(value.get(1), index(path, 1), field, type, op);
          if (low == null || high == null) {
            return null;
          }
          if (low.getClass() != high.getClass()) {
            // Which of an ISO day and a relative day is earlier changes with today: no static order.
            fault(path, "bounds must both be ISO dates or both be {\"daysAgo\": n}");
            return null;
          }
          // Order-insensitive: [90 days ago, 45 days ago] and [45, 90] mean the same window.
          return compare(low, high) <= 0 ? List.of(low, high) : List.of(high, low);
        }
        case IN -> {
          if (value == null || !value.isArray() || value.isEmpty() || value.size() > MAX_IN_VALUES) {
            fault(path, value == null ? "is required" : "must be an array of 1 to " + MAX_IN_VALUES + " values");
            return null;
          }
          List<ConditionValue> values = new ArrayList<>();
          for (int i = 0; i < value.size(); i++) {
            values.add(scalar(value.get(i), index(path, i), field, type, op));
          }
          return values.contains(null) ? null : values;
        }
        default -> {
          if (value == null) {
            fault(path, "is required");
            return null;
          }
          ConditionValue scalar = scalar(value, path, field, type, op);
          return scalar == null ? null : List.of(scalar);
        }
      }
    }

    private ConditionValue scalar(JsonNode value, String path, String field, ConditionType type,
        ConditionOperator op) {
      return switch (type) {
        case NUMBER -> {
          if (!value.isNumber()) {
            fault(path, "must be a number");
            yield null;
          }
          yield new ConditionValue.Num(value.decimalValue());
        }
        case BOOLEAN -> {
          if (!value.isBoolean()) {
            fault(path, "must be true or false");
            yield null;
          }
          yield new ConditionValue.Bool(value.booleanValue());
        }
        case DATE -> date(value, path);
        case TEXT, ATTRIBUTE -> text(value, path, field, op);
      };
    }

    private ConditionValue date(JsonNode value, String path) {
      String expected = "must be an ISO date (yyyy-mm-dd) or {\"daysAgo\": n}";
      if (value.isTextual()) {
        try {
          return new ConditionValue.Day(LocalDate.parse(value.textValue(), ISO_DATE));
        } catch (DateTimeParseException e) {
          fault(path, expected);
          return null;
        }
      }
      if (!value.isObject()) {
        fault(path, expected);
        return null;
      }
      unknownKeys(value, path, Set.of("daysAgo"), "a relative date has only 'daysAgo'");
      JsonNode days = value.get("daysAgo");
      String daysPath = key(path, "daysAgo");
      if (days == null || days.isNull()) {
        fault(daysPath, "is required");
        return null;
      }
      if (!days.isIntegralNumber() || !days.canConvertToInt() || days.intValue() < 0
          || days.intValue() > MAX_DAYS_AGO) {
        fault(daysPath, "must be a whole number of days from 0 to " + MAX_DAYS_AGO);
        return null;
      }
      return value.size() == 1 ? new ConditionValue.DaysAgo(days.intValue()) : null;
    }

    private ConditionValue text(JsonNode value, String path, String field, ConditionOperator op) {
      if (!value.isTextual()) {
        fault(path, "must be a string");
        return null;
      }
      String text = value.textValue();
      if (text.length() > MAX_TEXT_LENGTH) {
        fault(path, "must have at most " + MAX_TEXT_LENGTH + " characters");
        return null;
      }
      if (op == ConditionOperator.CONTAINS && text.isEmpty()) {
        fault(path, "must not be empty");
        return null;
      }
      List<String> choices = CHOICES.get(field);
      // A typo such as "Gld" would silently select nobody: refuse it. Substrings are free-form.
      if (choices != null && op != ConditionOperator.CONTAINS
          && choices.stream().noneMatch(choice -> choice.equalsIgnoreCase(text))) {
        fault(path, "must be one of " + String.join(", ", choices));
        return null;
      }
      return new ConditionValue.Text(text);
    }

    private void unknownKeys(JsonNode node, String path, Set<String> allowed, String hint) {
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!allowed.contains(name)) {
          fault(key(path, name), "unknown key; " + hint);
        }
      }
    }
  }

  private static String key(String path, String key) {
    return path == null || path.isEmpty() ? key : path + "." + key;
  }

  private static String index(String path, int index) {
    return (path == null ? "" : path) + "[" + index + "]";
  }

  /** Calendar order for dates (a larger daysAgo is earlier), numeric order for numbers. */
  private static int compare(ConditionValue a, ConditionValue b) {
    if (a instanceof ConditionValue.Num x && b instanceof ConditionValue.Num y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof ConditionValue.Day x && b instanceof ConditionValue.Day y) {
      return x.date().compareTo(y.date());
    }
    if (a instanceof ConditionValue.DaysAgo x && b instanceof ConditionValue.DaysAgo y) {
      return Integer.compare(y.days(), x.days());
    }
    throw new IllegalArgumentException("cannot order " + a + " and " + b);
  }

  /** The fields a condition tests, in order of first appearance (e.g. to check a column mapping). */
  public static Set<String> fields(Condition condition) {
    Set<String> fields = new LinkedHashSet<>();
    collectFields(condition, fields);
    return Collections.unmodifiableSet(fields);
  }

  private static void collectFields(Condition condition, Set<String> fields) {
    if (condition instanceof Condition.And and) {
      and.children().forEach(c -> collectFields(c, fields));
    } else if (condition instanceof Condition.Or or) {
      or.children().forEach(c -> collectFields(c, fields));
    } else if (condition instanceof Condition.Not not) {
      collectFields(not.child(), fields);
    } else if (condition instanceof Condition.Leaf leaf) {
      fields.add(leaf.field());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // SQL
  // ---------------------------------------------------------------------------------------------------

  /** {@link #toSql(Condition, Map, Map, LocalDate)} without integer day columns. */
  public static Sql toSql(Condition condition, Map<String, String> columns, LocalDate today) {
    return toSql(condition, columns, Map.of(), today);
  }

  /**
   * Translates a condition to a SQL boolean expression. User values only ever become bind parameters;
   * the mapped column expressions are trusted SQL from the caller.
   *
   * @param columns field name to SQL column expression; dates map to DATE columns holding the customer's
   *     local calendar day; {@value #ATTRIBUTES_KEY} maps to an expression with one {@code %s} for the
   *     attribute name (a bind parameter)
   * @param daysColumns date field name to an integer column holding the days from that date to the
   *     customer's local today (e.g. lastOrderDate to days_since_last_order); when given, relative dates
   *     ({@code daysAgo}) on that field compare this column, so each customer's own today applies and
   *     {@code today} is not used for them
   * @param today the day {@code daysAgo} counts from for date fields without a days column; may be null
   *     when the condition needs none
   * @throws IllegalArgumentException when the condition needs a column the mappings lack
   */
  public static Sql toSql(Condition condition, Map<String, String> columns, Map<String, String> daysColumns,
      LocalDate today) {
    SqlWriter writer = new SqlWriter(columns, daysColumns, today);
    String where = writer.write(condition);
    return new Sql(where, writer.params);
  }

  private static final class SqlWriter {

    private final Map<String, String> columns;
    private final Map<String, String> daysColumns;
    private final LocalDate today;
    private final List<Object> params = new ArrayList<>();

    SqlWriter(Map<String, String> columns, Map<String, String> daysColumns, LocalDate today) {
      this.columns = Objects.requireNonNull(columns, "columns");
      this.daysColumns = Objects.requireNonNull(daysColumns, "daysColumns");
      this.today = today;
    }

    String write(Condition condition) {
      if (condition instanceof Condition.And and) {
        return join(and.children(), " and ");
      }
      if (condition instanceof Condition.Or or) {
        return join(or.children(), " or ");
      }
      if (condition instanceof Condition.Not not) {
        // SQL's NOT keeps unknown unknown (so a WHERE drops the row); coalescing first makes a NULL
        // comparison plain false, which NOT turns true: the same two-valued logic as matches().
        return "(not coalesce(" + write(not.child()) + ", false))";
      }
      return leaf((Condition.Leaf) condition);
    }

    private String join(List<Condition> children, String operator) {
      List<String> parts = new ArrayList<>();
      for (Condition child : children) {
        parts.add(write(child));
      }
      return "(" + String.join(operator, parts) + ")";
    }

    private String leaf(Condition.Leaf leaf) {
      return switch (leaf.type()) {
        case DATE -> dateLeaf(leaf);
        case TEXT, ATTRIBUTE -> textLeaf(leaf);
        case NUMBER, BOOLEAN -> plainLeaf(column(leaf.field()), leaf.op(), leaf.values());
      };
    }

    private String plainLeaf(String column, ConditionOperator op, List<ConditionValue> values) {
      if (op == ConditionOperator.EXISTS) {
        return exists(column, values);
      }
      List<Object> operands = values.stream().map(SqlWriter::bindable).toList();
      return compare(column, op, operands);
    }

    private String compare(String lhs, ConditionOperator op, List<Object> operands) {
      return switch (op) {
        case EQ, NE, LT, LTE, GT, GTE -> {
          params.add(operands.get(0));
          yield "(" + lhs + " " + symbol(op) + " ?)";
        }
        case BETWEEN -> {
          params.add(operands.get(0));
          params.add(operands.get(1));
          yield "(" + lhs + " between ? and ?)";
        }
        case IN -> {
          params.addAll(operands);
          yield "(" + lhs + " in (" + String.join(", ", Collections.nCopies(operands.size(), "?")) + "))";
        }
        default -> throw new IllegalArgumentException("operator " + op.json() + " cannot compare here");
      };
    }

    private String exists(String column, List<ConditionValue> values) {
      boolean exists = ((ConditionValue.Bool) values.get(0)).value();
      return "(" + column + (exists ? " is not null)" : " is null)");
    }

    private String textLeaf(Condition.Leaf leaf) {
      // Attribute expressions carry their own bind parameter (the name), so build them per use.
      boolean attribute = leaf.type() == ConditionType.ATTRIBUTE;
      String column = attribute ? attribute(leaf.field()) : column(leaf.field());
      if (leaf.op() == ConditionOperator.EXISTS) {
        return exists(column, leaf.values());
      }
      List<String> texts = leaf.values().stream().map(v -> ((ConditionValue.Text) v).value()).toList();
      if (leaf.op() == ConditionOperator.CONTAINS) {
        params.add("%" + escapeLike(texts.get(0).toLowerCase(Locale.ROOT)) + "%");
        return "(lower(" + column + ") like ? escape '\\')";
      }
      if (caseInsensitive(leaf.field())) {
        // Lowered here rather than with lower(?): an untyped parameter inside a function trips some
        // databases' type inference, and the values are plain ASCII choices anyway.
        List<Object> lowered = texts.stream().map(t -> (Object) t.toLowerCase(Locale.ROOT)).toList();
        return compare("lower(" + column + ")", leaf.op(), lowered);
      }
      return compare(column, leaf.op(), new ArrayList<>(texts));
    }

    private String dateLeaf(Condition.Leaf leaf) {
      String field = leaf.field();
      ConditionOperator op = leaf.op();
      String daysColumn = daysColumns.get(field);
      if (op == ConditionOperator.EXISTS) {
        return exists(columns.containsKey(field) || daysColumn == null ? column(field) : daysColumn,
            leaf.values());
      }
      boolean relative = leaf.values().get(0) instanceof ConditionValue.DaysAgo;
      if (op == ConditionOperator.IN) {
        return dateIn(field, leaf.values(), daysColumn);
      }
      if (relative && daysColumn != null) {
        // d compared with (today - n) is (today - d) compared with n, the other way round.
        List<Object> days = leaf.values().stream().map(v -> (Object) ((ConditionValue.DaysAgo) v).days()).toList();
        if (op == ConditionOperator.BETWEEN) {
          // values are in calendar order (earliest first), so the larger day count comes first
          return compare(daysColumn, op, List.of(days.get(1), days.get(0)));
        }
        return compare(daysColumn, mirror(op), days);
      }
      return compare(column(field), op, leaf.values().stream().map(this::day).toList());
    }

    private String dateIn(String field, List<ConditionValue> values, String daysColumn) {
      List<Object> days = new ArrayList<>();
      List<Object> dates = new ArrayList<>();
      for (ConditionValue value : values) {
        if (value instanceof ConditionValue.DaysAgo ago && daysColumn != null) {
          days.add(ago.days());
        } else {
          dates.add(day(value));
        }
      }
      if (days.isEmpty()) {
        return compare(column(field), ConditionOperator.IN, dates);
      }
      if (dates.isEmpty()) {
        return compare(daysColumn, ConditionOperator.IN, days);
      }
      String onDates = compare(column(field), ConditionOperator.IN, dates);
      return "(" + onDates + " or " + compare(daysColumn, ConditionOperator.IN, days) + ")";
    }

    private Object day(ConditionValue value) {
      if (value instanceof ConditionValue.DaysAgo ago) {
        if (today == null) {
          throw new IllegalArgumentException("today is required for relative dates without a days column");
        }
        return ago.on(today);
      }
      return ((ConditionValue.Day) value).date();
    }

    private String column(String field) {
      String column = columns.get(field);
      if (column == null) {
        throw new IllegalArgumentException("no column for field '" + field + "'");
      }
      return column;
    }

    private String attribute(String field) {
      String format = columns.get(ATTRIBUTES_KEY);
      if (format == null) {
        throw new IllegalArgumentException("attributes are not queryable here");
      }
      String[] parts = format.split("%s", -1);
      if (parts.length < 2) {
        throw new IllegalArgumentException("the " + ATTRIBUTES_KEY + " mapping needs a %s for the name");
      }
      String name = field.substring(ATTRIBUTE_PREFIX.length());
      for (int i = 1; i < parts.length; i++) {
        params.add(name);
      }
      return String.join("?", parts);
    }

    private static Object bindable(ConditionValue value) {
      if (value instanceof ConditionValue.Num num) {
        return num.value();
      }
      if (value instanceof ConditionValue.Bool bool) {
        return bool.value();
      }
      if (value instanceof ConditionValue.Text text) {
        return text.value();
      }
      throw new IllegalArgumentException("not a plain value: " + value);
    }
  }

  private static String symbol(ConditionOperator op) {
    return switch (op) {
      case EQ -> "=";
      case NE -> "<>";
      case LT -> "<";
      case LTE -> "<=";
      case GT -> ">";
      case GTE -> ">=";
      default -> throw new IllegalArgumentException(op.json());
    };
  }

  private static ConditionOperator mirror(ConditionOperator op) {
    return switch (op) {
      case LT -> ConditionOperator.GT;
      case LTE -> ConditionOperator.GTE;
      case GT -> ConditionOperator.LT;
      case GTE -> ConditionOperator.LTE;
      default -> op;
    };
  }

  /** Escapes LIKE wildcards so a user's % or _ matches itself; backslash is the declared escape. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static boolean caseInsensitive(String field) {
    return CHOICES.containsKey(field);
  }

  // ---------------------------------------------------------------------------------------------------
  // Evaluation in Java
  // ---------------------------------------------------------------------------------------------------

  /**
   * Whether a customer matches, with the same meaning as {@link #toSql}: a leaf over a missing value is
   * false (except {@code exists: false}), {@code not} negates.
   *
   * @param values field name (including {@code attributes.<name>}) to the customer's value: numbers as
   *     any {@link Number}, dates as {@link LocalDate} (the customer's local day), text as String,
   *     booleans as Boolean; null when missing
   * @param today the customer's local today, from which {@code daysAgo} counts; may be null when the
   *     condition has no relative date
   */
  public static boolean matches(Condition condition, Function<String, Object> values, LocalDate today) {
    if (condition instanceof Condition.And and) {
      return and.children().stream().allMatch(c -> matches(c, values, today));
    }
    if (condition instanceof Condition.Or or) {
      return or.children().stream().anyMatch(c -> matches(c, values, today));
    }
    if (condition instanceof Condition.Not not) {
      return !matches(not.child(), values, today);
    }
    Condition.Leaf leaf = (Condition.Leaf) condition;
    Object raw = values.apply(leaf.field());
    if (leaf.op() == ConditionOperator.EXISTS) {
      return (raw != null) == ((ConditionValue.Bool) leaf.values().get(0)).value();
    }
    if (raw == null) {
      return false;
    }
    return switch (leaf.type()) {
      case NUMBER -> {
        BigDecimal actual = number(leaf.field(), raw);
        yield actual != null && test(actual, leaf.op(),
            leaf.values().stream().map(v -> ((ConditionValue.Num) v).value()).toList());
      }
      case DATE -> test(date(leaf.field(), raw), leaf.op(),
          leaf.values().stream().map(v -> dayOf(v, today)).toList());
      case BOOLEAN -> {
        if (!(raw instanceof Boolean actual)) {
          throw new IllegalArgumentException("field '" + leaf.field() + "' must be a Boolean, not " + raw.getClass());
        }
        yield test(actual, leaf.op(), leaf.values().stream().map(v -> ((ConditionValue.Bool) v).value()).toList());
      }
      case TEXT, ATTRIBUTE -> text(leaf, String.valueOf(raw));
    };
  }

  private static boolean text(Condition.Leaf leaf, String actual) {
    List<String> texts = leaf.values().stream().map(v -> ((ConditionValue.Text) v).value()).toList();
    if (leaf.op() == ConditionOperator.CONTAINS) {
      return actual.toLowerCase(Locale.ROOT).contains(texts.get(0).toLowerCase(Locale.ROOT));
    }
    if (caseInsensitive(leaf.field())) {
      return test(actual.toLowerCase(Locale.ROOT), leaf.op(),
          texts.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
    }
    return test(actual, leaf.op(), texts);
  }

  private static <T extends Comparable<? super T>> boolean test(T actual, ConditionOperator op, List<T> operands) {
    return switch (op) {
      case EQ -> actual.compareTo(operands.get(0)) == 0;
      case NE -> actual.compareTo(operands.get(0)) != 0;
      case LT -> actual.compareTo(operands.get(0)) < 0;
      case LTE -> actual.compareTo(operands.get(0)) <= 0;
      case GT -> actual.compareTo(operands.get(0)) > 0;
      case GTE -> actual.compareTo(operands.get(0)) >= 0;
      case BETWEEN -> actual.compareTo(operands.get(0)) >= 0 && actual.compareTo(operands.get(1)) <= 0;
      case IN -> operands.stream().anyMatch(o -> actual.compareTo(o) == 0);
      default -> throw new IllegalArgumentException("operator " + op.json() + " cannot compare here");
    };
  }

  /** Numerically, so an Integer 3 equals a BigDecimal 3.00; NaN and infinities compare with nothing. */
  private static BigDecimal number(String field, Object raw) {
    if (raw instanceof BigDecimal decimal) {
      return decimal;
    }
    if (raw instanceof BigInteger integer) {
      return new BigDecimal(integer);
    }
    if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      return BigDecimal.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof Double || raw instanceof Float) {
      double value = ((Number) raw).doubleValue();
      return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
    }
    if (raw instanceof Number other) {
      return new BigDecimal(other.toString());
    }
    throw new IllegalArgumentException("field '" + field + "' must be a Number, not " + raw.getClass());
  }

  private static LocalDate date(String field, Object raw) {
    if (raw instanceof LocalDate date) {
      return date;
    }
    if (raw instanceof Date date) {
      return date.toLocalDate();
    }
    throw new IllegalArgumentException("field '" + field + "' must be a LocalDate, not " + raw.getClass());
  }

  private static LocalDate dayOf(ConditionValue value, LocalDate today) {
    if (value instanceof ConditionValue.DaysAgo ago) {
      return ago.on(Objects.requireNonNull(today, "today is required for relative dates"));
    }
    return ((ConditionValue.Day) value).date();
  }
}
