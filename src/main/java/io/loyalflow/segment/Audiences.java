package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.platform.problem.Violations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Segments as campaign audiences: a segment (built-in or defined), optionally narrowed by a
 * condition tree over the same fields as segment conditions. Membership is the one the last refresh
 * recorded; narrowing conditions are evaluated over the features of that refresh.
 */
@Component
public class Audiences {

    private final JdbcTemplate jdbc;
    private final DynamicSegments dynamic;

    Audiences(JdbcTemplate jdbc, DynamicSegments dynamic) {
        this.jdbc = jdbc;
        this.dynamic = dynamic;
    }

    /** A parsed audience: the segment and the narrowing condition (null: none). */
    public record Audience(String segmentId, Condition narrowing) {}

    public boolean segmentExists(String segmentId) {
        return BuiltInSegment.byId(segmentId).isPresent()
                || dynamic.find(segmentId).isPresent();
    }

    /** Parses narrowing conditions, adding faults under {@code path}; empty when none or invalid. */
    public Optional<Condition> narrowing(JsonNode conditions, String path, Violations violations) {
        if (conditions == null || conditions.isNull()) {
            return Optional.empty();
        }
        Optional<Condition> condition = ConditionTree.parse(conditions, path, violations);
        condition.ifPresent(c -> dynamic.requireQueryable(c, violations));
        return condition;
    }

    /** A member: internal key and external id. */
    public record Member(long customerKey, String customerId) {}

    /** Current members of the audience with a customer key above {@code afterKey}, ascending, at most {@code limit}. */
    public List<Member> members(Audience audience, long afterKey, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(audience.segmentId());
        params.add(afterKey);
        String narrowing = narrowingSql(audience, params);
        params.add(limit);
        return jdbc.query(
                "select m.customer_key, k.customer_id from segment_membership m "
                        + "join v_customer k on k.customer_key = m.customer_key where m.segment_id = ? "
                        + "and m.left_at is null and m.customer_key > ? and k.customer_id is not null" + narrowing
                        + " order by m.customer_key fetch first ? rows only",
                (rs, row) -> new Member(rs.getLong(1), rs.getString(2)),
                params.toArray());
    }

    /** Whether the customer is a member of the audience now. */
    public boolean admits(Audience audience, long customerKey) {
        List<Object> params = new ArrayList<>();
        params.add(audience.segmentId());
        params.add(customerKey);
        String narrowing = narrowingSql(audience, params);
        return !jdbc.queryForList(
                        "select m.customer_key from segment_membership m where m.segment_id = ? "
                                + "and m.left_at is null and m.customer_key = ?" + narrowing,
                        Long.class,
                        params.toArray())
                .isEmpty();
    }

    /** Which of these customers are members of the audience now (one query). */
    public Set<Long> admitted(Audience audience, Collection<Long> customerKeys) {
        if (customerKeys.isEmpty()) {
            return Set.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(audience.segmentId());
        params.addAll(customerKeys);
        String narrowing = narrowingSql(audience, params);
        return new HashSet<>(jdbc.queryForList(
                "select m.customer_key from segment_membership m "
                        + "where m.segment_id = ? and m.left_at is null and m.customer_key in ("
                        + String.join(", ", Collections.nCopies(customerKeys.size(), "?")) + ")" + narrowing,
                Long.class,
                params.toArray()));
    }

    private String narrowingSql(Audience audience, List<Object> params) {
        if (audience.narrowing() == null) {
            return "";
        }
        ConditionSql.Sql sql = ConditionSql.toSql(
                audience.narrowing(), dynamic.columns(), DynamicSegments.DAYS_COLUMNS, dynamic.today());
        params.addAll(sql.params());
        return " and m.customer_key in (select c.customer_key " + DynamicSegments.FROM + " and (" + sql.where() + "))";
    }
}
