package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.customer.ReferralActivity;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.web.Texts;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;

/**
 * Segments analysts define with a condition tree over purchase features (as of the last refresh),
 * profile fields, consents and referral data. Their members are computed in SQL over the
 * {@code customer_features} snapshot; a refresh records who entered and left, like the built-in ones.
 */
@Service
public class DynamicSegments {

    static final String FROM = "from v_customer_contact c join customer_features f on f.customer_key = c.customer_key "
            + "left join v_customer_referral r on r.customer_key = c.customer_key "
            + "left join v_customer_value v on v.customer_key = c.customer_key "
            + "left join v_customer_consent ce on ce.customer_key = c.customer_key and ce.channel = 'email' "
            + "left join v_customer_consent cs on cs.customer_key = c.customer_key and cs.channel = 'sms' "
            + "where c.customer_id is not null";

    static final Map<String, String> DAYS_COLUMNS = Map.of("lastOrderDate", "f.days_since_last_order");

    private final JdbcTemplate jdbc;
    private final Database database;
    private final ObjectMapper objectMapper;
    private final CustomerProperties customers;
    private final SegmentDecisions decisions;
    private final SegmentLedger ledger;
    private final PersonalConditions personal;
    private final Clock clock;

    DynamicSegments(
            JdbcTemplate jdbc,
            Database database,
            ObjectMapper objectMapper,
            CustomerProperties customers,
            SegmentDecisions decisions,
            SegmentLedger ledger,
            PersonalConditions personal,
            Clock clock) {
        this.decisions = decisions;
        this.personal = personal;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.database = database;
        this.objectMapper = objectMapper;
        this.customers = customers;
        this.clock = clock;
    }

    /** Field → SQL over the FROM clause above. */
    Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("orders", "f.orders");
        columns.put("orders12Months", "f.orders_12m");
        columns.put("totalSpend", "f.total_spend");
        columns.put("spend12Months", "f.spend_12m");
        columns.put("averageOrderValue", "f.average_order_value");
        columns.put("daysSinceLastOrder", "f.days_since_last_order");
        columns.put("spendPercentile", "f.spend_percentile");
        columns.put("recentBuyer", "f.recent_buyer");
        columns.put("tier", "f.tier");
        columns.put("lastOrderDate", "f.last_order_date");
        columns.put("firstOrderDate", "f.first_order_date");
        columns.put("expectedPurchases", "v.expected_purchases");
        columns.put("probabilityAlive", "v.probability_alive");
        columns.put("expectedOrderValue", "v.expected_order_value");
        columns.put("predictedValue", "v.predicted_value");
        columns.put("predictedValuePercentile", "v.value_percentile");
        columns.put("successfulReferrals", "r.successful_referrals");
        columns.put("extendedRevenue", "r.extended_revenue");
        columns.put("referralActivity", "r.activity");
        columns.put("email", "c.email");
        columns.put("phone", "c.phone");
        columns.put("locale", "c.locale");
        columns.put("timeZone", "c.time_zone");
        columns.put("customerId", "c.customer_id");
        columns.put("emailConsent", "coalesce(ce.status = 'OPTED_IN', false)");
        columns.put("smsConsent", "coalesce(cs.status = 'OPTED_IN', false)");
        if (database.isPostgres()) {
            columns.put(ConditionTree.ATTRIBUTES_KEY, "(c.attributes::jsonb ->> %s)");
        }
        return columns;
    }

    /** A segment defined by a condition tree, or by a DMN decision ({@code decision}: its key). */
    public record Definition(
            String id, String name, JsonNode conditions, String decision, Instant createdAt, Instant updatedAt) {}

    /** Camunda keeps decision keys in 255 characters. */
    private static final int MAX_DECISION_KEY = 255;
    /** Segment ids: built-in ones and defined ones (at most 64 characters), with room to spare. */
    private static final int MAX_SEGMENT_ID = 100;

    /**
     * The inputs a segment decision gets per customer (the condition fields of the same names). None is
     * personal data ({@link PersonalConditions#PERSONAL_FIELDS}, attributes): analysts deploy these
     * tables, and a table over an address would make segment sizes the oracle estimates must not be.
     */
    static final List<String> DECISION_INPUTS = List.of(
            "orders",
            "orders12Months",
            "totalSpend",
            "spend12Months",
            "averageOrderValue",
            "daysSinceLastOrder",
            "spendPercentile",
            "recentBuyer",
            "tier",
            "successfulReferrals",
            "extendedRevenue",
            "referralActivity",
            "emailConsent",
            "smsConsent",
            "expectedPurchases",
            "probabilityAlive",
            "expectedOrderValue",
            "predictedValue",
            "predictedValuePercentile");

    /**
     * Creates a segment; 422 naming the fault (with its path in the tree) when it is not valid, 403 when
     * the tree compares personal data and the caller may not read it.
     *
     * @param personalData whether the caller may read customers' personal data ({@link PersonalConditions})
     */
    public Definition create(String id, String name, JsonNode conditions, String decision, boolean personalData) {
        Violations violations = new Violations();
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            violations.add(
                    "id", "must be 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit");
        } else if (BuiltInSegment.byId(id).isPresent()) {
            violations.add("id", "is a built-in segment");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            violations.add("name", "is required, at most 200 characters");
        } else {
            Texts.requireSingleLine(name, "name", violations);
        }
        Condition condition = null;
        boolean hasConditions = conditions != null && !conditions.isNull();
        if (!violations.withinLength("decision", decision, MAX_DECISION_KEY)) {
            violations.throwIfAny();
        }
        if (hasConditions == (decision != null)) {
            violations.add("conditions", "give either a condition tree (conditions) or a DMN decision key (decision)");
        } else if (hasConditions) {
            condition =
                    ConditionTree.parse(conditions, "conditions", violations).orElse(null);
        } else {
            try {
                decisions.latest(decision);
            } catch (IllegalStateException e) {
                violations.add(
                        "decision", "no decision '" + decision + "' is deployed; deploy it from Camunda Modeler first");
            }
        }
        if (condition != null) {
            requireQueryable(condition, violations);
        }
        violations.throwIfAny();
        personal.refuseUnlessAllowed(conditions, "conditions", personalData);
        Instant now = clock.instant();
        try {
            jdbc.update(
                    "insert into segment_definition (segment_id, name, conditions, decision_key, created_at, updated_at) "
                            + "values (?, ?, ?, ?, ?, ?)",
                    id,
                    name.trim(),
                    hasConditions ? conditions.toString() : null,
                    decision,
                    Timestamps.utc(now),
                    Timestamps.utc(now));
        } catch (DuplicateKeyException e) {
            throw Refusal.conflict("A segment " + id + " exists already.", List.of());
        }
        return new Definition(id, name.trim(), hasConditions ? conditions : null, decision, now, now);
    }

    /**
     * Deletes a defined segment with its memberships, in one transaction; its past events stay in
     * the event log. Refused (409, naming them) while anything in {@code users} still takes customers
     * from it, and for built-in segments. Reads no stored definition, so a segment whose stored
     * conditions can no longer be read can still be deleted.
     */
    public void delete(String id, List<SegmentUsers> users) {
        if (BuiltInSegment.byId(id).isPresent()) {
            throw Refusal.conflict(
                    "Segment " + id + " is built in and cannot be deleted.",
                    List.of(new FieldViolation("segmentId", "is a built-in segment")));
        }
        if (jdbc.queryForObject("select count(*) from segment_definition where segment_id = ?", Long.class, id) == 0) {
            throw Refusal.notFound("No segment " + id + "; GET /api/segments lists them.");
        }
        List<String> using = users.stream()
                .flatMap(user -> user.usersOf(id).stream())
                .sorted()
                .toList();
        if (!using.isEmpty()) {
            throw Refusal.conflict(
                    "Segment " + id + " is the audience of " + String.join(", ", using)
                            + "; archive those campaigns or give them another audience first.",
                    using.stream()
                            .map(user -> new FieldViolation("segmentId", "used by " + user))
                            .toList());
        }
        jdbc.update("delete from segment_membership where segment_id = ?", id);
        jdbc.update("delete from segment_definition where segment_id = ?", id);
    }

    public List<Definition> all() {
        return jdbc.query("select * from segment_definition order by segment_id", this::definition);
    }

    public Optional<Definition> find(String id) {
        return jdbc.query("select * from segment_definition where segment_id = ?", this::definition, id).stream()
                .findFirst();
    }

    private Definition definition(ResultSet rs, int row) throws SQLException {
        return new Definition(
                rs.getString("segment_id"),
                rs.getString("name"),
                rs.getString("conditions") == null ? null : parse(rs.getString("conditions")),
                rs.getString("decision_key"),
                Timestamps.instant(rs, "created_at"),
                Timestamps.instant(rs, "updated_at"));
    }

    public record Estimate(long size, long reachableByEmail, long reachableBySms, Instant featuresAsOf) {}

    /** Joins that tell whether e-mail and SMS can reach a customer (see {@link #REACHABLE_BY_EMAIL}). */
    private static final String REACHABLE_FROM = FROM.replace(
            " where c.customer_id is not null",
            " left join v_suppression se on se.channel = 'email' and se.address = lower(c.email) "
                    + "left join v_suppression ss on ss.channel = 'sms' and ss.address = c.phone "
                    + "where c.customer_id is not null");

    private static final String REACHABLE_BY_EMAIL =
            "case when c.email is not null and ce.status = 'OPTED_IN' and se.address is null then 1 else 0 end";
    private static final String REACHABLE_BY_SMS =
            "case when c.phone is not null and cs.status = 'OPTED_IN' and ss.address is null then 1 else 0 end";

    /**
     * How many customers a condition tree, a segment's current members, both (the segment narrowed by
     * the tree), or a deployed segment decision select now (unsubscribed and unreachable ones included,
     * as the size), and how many of them e-mail and SMS could reach: address present, consent given, not
     * suppressed.
     *
     * @param personalData whether the caller may read customers' personal data: without it, a tree that
     *     compares personal fields is refused (403), so that counts cannot spell out a person's address
     */
    public Estimate estimate(JsonNode conditions, String decision, String segment, boolean personalData) {
        Violations violations = new Violations();
        violations.withinLength("decision", decision, MAX_DECISION_KEY);
        violations.withinLength("segment", segment, MAX_SEGMENT_ID);
        boolean hasConditions = conditions != null && !conditions.isNull();
        if (decision != null && hasConditions) {
            violations.add(
                    "conditions",
                    "give either a condition tree (conditions) or a DMN decision key (decision), not both");
        }
        if (decision != null && segment != null) {
            violations.add(
                    "segment", "a DMN decision (decision) is estimated over all customers: give no segment with it");
        }
        violations.throwIfAny();
        if (decision == null && !hasConditions && segment == null) {
            violations.add(
                    "conditions",
                    "give a condition tree (conditions), a segment id (segment), both, or a DMN "
                            + "decision key (decision)");
            violations.throwIfAny();
        }
        if (decision != null) {
            return estimateDecision(decision);
        }
        if (segment != null
                && BuiltInSegment.byId(segment).isEmpty()
                && find(segment).isEmpty()) {
            violations.add("segment", "no segment '" + segment + "'; GET /api/segments lists them");
        }
        Condition condition = hasConditions
                ? ConditionTree.parse(conditions, "conditions", violations).orElse(null)
                : null;
        if (condition != null) {
            requireQueryable(condition, violations);
        }
        violations.throwIfAny();
        personal.refuseUnlessAllowed(conditions, "conditions", personalData);
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        if (segment != null) {
            where.append(" and c.customer_key in (select m.customer_key from segment_membership m "
                    + "where m.segment_id = ? and m.left_at is null)");
            params.add(segment);
        }
        if (condition != null) {
            ConditionSql.Sql sql = ConditionSql.toSql(condition, columns(), DAYS_COLUMNS, today());
            where.append(" and (").append(sql.where()).append(")");
            params.addAll(sql.params());
        }
        String query = "select count(*) size, sum(" + REACHABLE_BY_EMAIL + ") by_email, sum(" + REACHABLE_BY_SMS
                + ") by_sms " + REACHABLE_FROM + where;
        Instant asOf = featuresAsOf();
        return jdbc.queryForObject(
                query, (rs, row) -> new Estimate(rs.getLong(1), rs.getLong(2), rs.getLong(3), asOf), params.toArray());
    }

    private Estimate estimateDecision(String decisionKey) {
        SegmentDecisions.Decision decision = latestDecision(decisionKey);
        long[] counts = new long[3];
        Instant asOf = featuresAsOf();
        forEachDecided(
                decision,
                ", " + REACHABLE_BY_EMAIL + " as by_email, " + REACHABLE_BY_SMS + " as by_sms",
                REACHABLE_FROM,
                rs -> {
                    counts[0]++;
                    counts[1] += rs.getInt("by_email");
                    counts[2] += rs.getInt("by_sms");
                });
        return new Estimate(counts[0], counts[1], counts[2], asOf);
    }

    private SegmentDecisions.Decision latestDecision(String decisionKey) {
        try {
            return decisions.latest(decisionKey);
        } catch (IllegalStateException notDeployed) {
            Violations violations = new Violations();
            violations.add(
                    "decision", "no decision '" + decisionKey + "' is deployed; deploy it from Camunda Modeler first");
            violations.throwIfAny();
            throw notDeployed;
        }
    }

    private Instant featuresAsOf() {
        return jdbc.queryForList("select max(computed_at) from customer_features", OffsetDateTime.class).stream()
                .filter(Objects::nonNull)
                .map(OffsetDateTime::toInstant)
                .findFirst()
                .orElse(null);
    }

    /** Refreshes every dynamic segment; per segment [entered, left]. */
    Map<String, int[]> refreshAll(Instant now, String cause) {
        Map<String, int[]> changes = new LinkedHashMap<>();
        for (Definition definition : all()) {
            changes.put(definition.id(), refresh(definition, now, cause));
        }
        return changes;
    }

    /** Members now versus the recorded ones: memberships and events for the difference. */
    int[] refresh(Definition definition, Instant now, String cause) {
        Set<Long> is;
        if (definition.decision() != null) {
            is = decidedMembers(definition.decision());
        } else {
            Condition condition = ConditionTree.parseOrThrow(definition.conditions(), "conditions");
            ConditionSql.Sql sql = ConditionSql.toSql(condition, columns(), DAYS_COLUMNS, today());
            is = new HashSet<>(jdbc.queryForList(
                    "select c.customer_key " + FROM + " and (" + sql.where() + ")",
                    Long.class,
                    sql.params().toArray()));
        }
        Set<Long> was = new HashSet<>(jdbc.queryForList(
                "select customer_key from segment_membership " + "where segment_id = ? and left_at is null",
                Long.class,
                definition.id()));
        SegmentLedger.Changes changes = new SegmentLedger.Changes();
        int[] counts = changes.difference(definition.id(), was, is);
        ledger.write(changes, now, cause);
        return counts;
    }

    /**
     * The customers a segment decision admits: each customer's features and profile fields (as of the
     * last refresh) go in by the names of {@link #DECISION_INPUTS}; the output {@code member} decides.
     * Evaluated without history, like the built-in segment rules.
     */
    Set<Long> decidedMembers(String decisionKey) {
        Set<Long> members = new HashSet<>();
        forEachDecided(decisions.latest(decisionKey), "", FROM, rs -> {
            members.add(rs.getLong("customer_key"));
        });
        return members;
    }

    /** Calls {@code onMember} with the row of each customer the decision admits. */
    private void forEachDecided(
            SegmentDecisions.Decision decision, String extraColumns, String from, RowCallbackHandler onMember) {
        Map<String, String> columns = columns();
        StringBuilder select = new StringBuilder("select c.customer_key");
        for (String input : DECISION_INPUTS) {
            select.append(", ").append(columns.get(input)).append(" as ").append(input.toLowerCase(Locale.ROOT));
        }
        jdbc.query(select + extraColumns + " " + from, rs -> {
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (String input : DECISION_INPUTS) {
                Object value = rs.getObject(input.toLowerCase(Locale.ROOT));
                if (value instanceof BigDecimal decimal) {
                    value = decimal.doubleValue();
                } else if (value instanceof Long number && !input.startsWith("orders")) {
                    value = number.intValue();
                }
                if ("referralActivity".equals(input) && value != null) {
                    value = ReferralActivity.valueOf(value.toString()).label();
                }
                inputs.put(input, value);
            }
            if (Boolean.TRUE.equals(decision.evaluate(inputs).get("member"))) {
                onMember.processRow(rs);
            }
        });
    }

    void requireQueryable(Condition condition, Violations violations) {
        if (!database.isPostgres()
                && ConditionTree.fields(condition).stream()
                        .anyMatch(field -> field.startsWith(ConditionTree.ATTRIBUTE_PREFIX))) {
            violations.add(
                    "conditions", "conditions on attributes need PostgreSQL (the embedded H2 cannot query JSON)");
        }
    }

    LocalDate today() {
        return clock.instant().atZone(customers.defaultTimeZone()).toLocalDate();
    }

    private JsonNode parse(String json) {
        try {
            return objectMapper.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Stored segment conditions are not JSON: " + e.getMessage(), e);
        }
    }
}
