package io.loyalflow.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Segments", description = "Built-in segments decided by the DMN tables in dmn/, their members and events")
class SegmentController {

    private static final int MAX_LIMIT = 1_000;
    private static final Set<String> EVENT_KINDS = Set.of("SEGMENT_ENTERED", "SEGMENT_LEFT", "TIER_CHANGED");

    private final SegmentRefresh refresh;
    private final DynamicSegments dynamic;
    private final PersonalConditions personal;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final List<SegmentUsers> segmentUsers;
    private final TransactionTemplate transactions;

    SegmentController(
            SegmentRefresh refresh,
            DynamicSegments dynamic,
            PersonalConditions personal,
            NamedParameterJdbcTemplate jdbc,
            Clock clock,
            List<SegmentUsers> segmentUsers,
            TransactionTemplate transactions) {
        this.segmentUsers = segmentUsers;
        this.transactions = transactions;
        this.refresh = refresh;
        this.dynamic = dynamic;
        this.personal = personal;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record CreateSegment(String id, String name, JsonNode conditions, String decision) {}

    @Operation(
            summary = "Defines a segment by a condition tree; 422 with the path to a fault in the tree; 403 for an "
                    + "analyst's condition on personal data (email, phone, customerId, attributes not listed as non-personal) other "
                    + "than exists")
    @PostMapping("/api/segments")
    ResponseEntity<DynamicSegments.Definition> create(@RequestBody CreateSegment request) {
        DynamicSegments.Definition created = dynamic.create(
                request.id(),
                request.name(),
                request.conditions(),
                request.decision(),
                Caller.current().mayReadPersonalData());
        return ResponseEntity.created(URI.create("/api/segments/" + created.id()))
                .body(created);
    }

    @Operation(
            summary = "Deletes a defined segment and its memberships (204); 409 naming the campaigns whose audience "
                    + "it is (archived ones excepted) and for built-in segments; 404 for an unknown one")
    @DeleteMapping("/api/segments/{segmentId}")
    ResponseEntity<Void> delete(@PathVariable String segmentId) {
        transactions.executeWithoutResult(tx -> dynamic.delete(segmentId, segmentUsers));
        return ResponseEntity.noContent().build();
    }

    record EstimateRequest(JsonNode conditions, String decision, String segment) {}

    @Operation(
            summary =
                    "Estimate segment size: how many customers a condition tree (conditions) or a deployed segment "
                            + "decision (decision: its key, output member) selects, and how many e-mail and SMS can reach (consent given, "
                            + "address present, not suppressed); over the features of the last refresh. Analysts may test personal fields "
                            + "(email, phone, customerId, attributes not listed as non-personal) only with exists: 403 otherwise")
    @PostMapping("/api/segments/estimate")
    DynamicSegments.Estimate estimate(@RequestBody EstimateRequest request) {
        return dynamic.estimate(
                request.conditions(),
                request.decision(),
                request.segment(),
                Caller.current().mayReadPersonalData());
    }

    record SegmentView(String id, String title, String rule, String kind, long members) {}

    @Operation(
            summary = "The segments and their current sizes; for analysts, the values a rule compares with personal "
                    + "data are hidden")
    @GetMapping("/api/segments")
    List<SegmentView> segments() {
        boolean personalData = Caller.current().mayReadPersonalData();
        Map<String, Long> sizes = new HashMap<>();
        jdbc.query(
                "select segment_id, count(*) from segment_membership where left_at is null group by segment_id", rs -> {
                    sizes.put(rs.getString(1), rs.getLong(2));
                });
        List<SegmentView> views = new ArrayList<>(Arrays.stream(BuiltInSegment.values())
                .map(s -> new SegmentView(s.id(), s.title(), s.rule(), "BUILT_IN", sizes.getOrDefault(s.id(), 0L)))
                .toList());
        dynamic.all()
                .forEach(d -> views.add(
                        d.decision() != null
                                ? new SegmentView(
                                        d.id(),
                                        d.name(),
                                        "decision " + d.decision() + ": output member",
                                        "DECISION",
                                        sizes.getOrDefault(d.id(), 0L))
                                : new SegmentView(
                                        d.id(),
                                        d.name(),
                                        (personalData ? d.conditions() : personal.redacted(d.conditions())).toString(),
                                        "CONDITIONS",
                                        sizes.getOrDefault(d.id(), 0L))));
        return views;
    }

    record Member(String customerId, Instant enteredAt) {}

    record MemberPage(String segmentId, List<Member> items, String nextAfter) {}

    @Operation(summary = "Current members of a segment, by customer id, paged")
    @GetMapping("/api/segments/{segmentId}/members")
    MemberPage members(
            @PathVariable String segmentId,
            @RequestParam(required = false) String after,
            @RequestParam(defaultValue = "100") int limit) {
        String segment = known(segmentId);
        List<Member> rows = jdbc.query(
                "select c.customer_id, m.entered_at from segment_membership m "
                        + "join v_customer c on c.customer_key = m.customer_key "
                        + "where m.segment_id = :segment and m.left_at is null and c.customer_id > :after "
                        + "order by c.customer_id limit :limit",
                new MapSqlParameterSource("segment", segment)
                        .addValue("after", after == null ? "" : after)
                        .addValue("limit", limit(limit) + 1),
                (rs, row) -> new Member(rs.getString(1), Timestamps.instant(rs, "entered_at")));
        boolean more = rows.size() > limit;
        List<Member> page = more ? rows.subList(0, limit) : rows;
        return new MemberPage(segment, page, more ? page.get(page.size() - 1).customerId() : null);
    }

    @Operation(
            summary = "Refreshes every segment now: features, built-in segments, then the defined ones; 409 while "
                    + "a refresh runs")
    @PostMapping("/api/segments/refresh")
    SegmentRefresh.Summary refresh() {
        return refresh.refreshBuiltIn();
    }

    record SegmentChange(String segmentId, int entered, int left) {}

    @Operation(
            summary = "Refreshes one segment: a built-in one refreshes them all; a defined one is recomputed over the "
                    + "features of the last refresh")
    @PostMapping("/api/segments/{segmentId}/refresh")
    Object refreshOne(@PathVariable String segmentId) {
        known(segmentId);
        if (BuiltInSegment.byId(segmentId).isPresent()) {
            return refresh.refreshBuiltIn();
        }
        int[] change = dynamic.refresh(dynamic.find(segmentId).orElseThrow(), clock.instant(), "segment:" + segmentId);
        return new SegmentChange(segmentId, change[0], change[1]);
    }

    record EventView(
            long eventKey,
            String kind,
            String segmentId,
            String customerId,
            String fromTier,
            String toTier,
            String tierChange,
            Instant occurredAt,
            String cause) {}

    @Operation(summary = "Membership and tier events in order: SEGMENT_ENTERED, SEGMENT_LEFT, TIER_CHANGED")
    @GetMapping("/api/segment-events")
    List<EventView> events(
            @RequestParam(required = false) Long after,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String customerId,
            @RequestParam(defaultValue = "100") int limit) {
        if (kind != null && !EVENT_KINDS.contains(kind)) {
            throw Refusal.invalid("kind", "must be one of " + EVENT_KINDS);
        }
        StringBuilder where = new StringBuilder("where e.event_key > :after");
        var params = new MapSqlParameterSource("after", after == null ? 0L : after).addValue("limit", limit(limit));
        if (kind != null) {
            where.append(" and e.kind = :kind");
            params.addValue("kind", kind);
        }
        if (customerId != null) {
            where.append(" and c.customer_id = :customerId");
            params.addValue("customerId", customerId);
        }
        return jdbc.query(
                "select e.*, c.customer_id from segment_event e "
                        + "join v_customer c on c.customer_key = e.customer_key "
                        + where + " order by e.event_key limit :limit",
                params,
                (rs, row) -> new EventView(
                        rs.getLong("event_key"),
                        rs.getString("kind"),
                        rs.getString("segment_id"),
                        rs.getString("customer_id"),
                        rs.getString("from_tier"),
                        rs.getString("to_tier"),
                        rs.getString("tier_change"),
                        Timestamps.instant(rs, "occurred_at"),
                        rs.getString("cause")));
    }

    private String known(String segmentId) {
        if (BuiltInSegment.byId(segmentId).isPresent()
                || dynamic.find(segmentId).isPresent()) {
            return segmentId;
        }
        throw Refusal.notFound("No segment " + segmentId + "; GET /api/segments lists them.");
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
