package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.segment.Audiences;
import io.loyalflow.segment.SegmentVariables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Enters customers into active campaigns by their triggers: segment events (SEGMENT_ENTERED of the
 * audience segment, TIER_CHANGED), each consumed once per campaign across the cluster, and recurring
 * entry of the audience's current members.
 *
 * <p>Everything here runs in the caller's transaction: the campaign-entry process's chunk job, or
 * the transaction of the event that brought the segment events. The engine joins that transaction,
 * so a chunk's journeys, their enrollment rows and the events the chunk consumed commit together or
 * not at all; a failed chunk leaves nothing behind and is repeated whole. Work is bounded by the chunk
 * size, so neither memory nor a transaction grows with a segment.
 */
@Service("campaignEntry")
public class CampaignEntry {

    /** Outcomes of a segment event beyond what entering decides. */
    static final String FIRST_TIER = "FIRST_TIER";

    static final String CUSTOMER_ERASED = "CUSTOMER_ERASED";

    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final JourneyStarts starts;
    private final Audiences audiences;
    private final TriggerClaims claims;
    private final EntryRuns runs;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int chunkSize;

    CampaignEntry(
            Campaigns campaigns,
            Enrollments enrollments,
            JourneyStarts starts,
            Audiences audiences,
            TriggerClaims claims,
            EntryRuns runs,
            JdbcTemplate jdbc,
            Clock clock,
            @Value("${loyalflow.campaigns.entry-chunk-size:500}") int chunkSize) {
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.starts = starts;
        this.audiences = audiences;
        this.claims = claims;
        this.runs = runs;
        this.jdbc = jdbc;
        this.clock = clock;
        this.chunkSize = Math.max(1, chunkSize);
    }

    /**
     * One chunk of a campaign's entry: how many events or members came to what, where the next chunk
     * starts ({@code cursor}: the last event or customer key looked at), and whether there may be more.
     */
    public record Chunk(Map<String, Integer> outcomes, long cursor, boolean more) {

        public int enrolled() {
            return outcomes.getOrDefault(Enrollments.Outcome.ENROLLED.name(), 0);
        }
    }

    /** Entries made per campaign by outcome (ENROLLED, ALREADY_ACTIVE, ..., FIRST_TIER, CUSTOMER_ERASED). */
    public record Summary(Map<String, Map<String, Integer>> byCampaign) {

        public int enrolled() {
            return byCampaign.values().stream()
                    .mapToInt(m -> m.getOrDefault(Enrollments.Outcome.ENROLLED.name(), 0))
                    .sum();
        }
    }

    /**
     * The active campaigns a scheduled run looks at: every campaign that enters by segment events or recurrence
     * (cart campaigns are entered by {@link CartJourneys}).
     */
    public List<String> campaignsToEnter() {
        return campaigns.active().stream()
                .filter(c -> c.settings().trigger().type().enteredBySchedule())
                .map(Campaign::id)
                .toList();
    }

    /**
     * Enters the next chunk of one campaign's customers, in the caller's transaction. {@code cursor} is
     * -1 for a run's first chunk, else the previous chunk's. A campaign another run is entering (and has
     * been heard from lately) is left to that run.
     */
    public Chunk enterNextChunk(String campaignId, long cursor, String runId) {
        Campaign campaign = campaigns.find(campaignId).orElse(null);
        if (campaign == null || campaign.state() != Campaign.State.ACTIVE) {
            runs.release(campaignId, runId);
            return new Chunk(Map.of(), cursor, false);
        }
        if (!runs.hold(campaignId, runId)) {
            return new Chunk(Map.of(), cursor, false);
        }
        Chunk chunk = switch (campaign.settings().trigger().type()) {
            case SEGMENT_ENTERED, TIER_CHANGED -> consumeEvents(campaign, cursor);
            case RECURRING -> enterRecurring(campaign, cursor);
            // FIRST_ORDER and NEW_PROFILE: entered by their durable events (WelcomeEntry), SURVEY_ANSWERED with the
            // event (AdvocateEntry), CART_UPDATED by the cart sweep (CartJourneys), ORDER_PLACED by recorded orders
            // (CrossSellEntry); never by a scheduled run
            case API_ONLY, FIRST_ORDER, NEW_PROFILE, CART_UPDATED, ORDER_PLACED, SURVEY_ANSWERED ->
                new Chunk(Map.of(), cursor, false);
        };
        if (!chunk.more()) {
            runs.release(campaignId, runId);
        }
        return chunk;
    }

    /**
     * Enters event-triggered campaigns for exactly these segment events (an order re-tiered a
     * customer), in the caller's transaction. Events another transaction consumes at the same moment are
     * left to it.
     */
    public Summary enterSegmentEvents(Collection<Long> eventKeys) {
        Map<String, Map<String, Integer>> all = new LinkedHashMap<>();
        if (eventKeys.isEmpty()) {
            return new Summary(all);
        }
        for (Campaign campaign : campaigns.active()) {
            CampaignSettings.TriggerType type = campaign.settings().trigger().type();
            if (type == CampaignSettings.TriggerType.SEGMENT_ENTERED
                    || type == CampaignSettings.TriggerType.TIER_CHANGED) {
                Map<String, Integer> outcomes = new TreeMap<>();
                List<Long> keys = List.copyOf(eventKeys);
                for (int from = 0; from < keys.size(); from += chunkSize) {
                    List<SegmentEvent> events =
                            pendingEvents(campaign, -1, keys.subList(from, Math.min(keys.size(), from + chunkSize)));
                    consume(campaign, events).forEach((outcome, n) -> outcomes.merge(outcome, n, Integer::sum));
                }
                all.put(campaign.id(), outcomes);
            }
        }
        return new Summary(all);
    }

    record SegmentEvent(long eventKey, long customerKey, String customerId, String fromTier, String toTier) {}

    private Chunk consumeEvents(Campaign campaign, long cursor) {
        List<SegmentEvent> events = pendingEvents(campaign, cursor, null);
        if (events.isEmpty()) {
            return new Chunk(Map.of(), cursor, false);
        }
        Map<String, Integer> outcomes = consume(campaign, events);
        return new Chunk(outcomes, events.get(events.size() - 1).eventKey(), events.size() == chunkSize);
    }

    /** Segment events of the campaign's trigger after the cursor (or the campaign's start) with no decision yet. */
    private List<SegmentEvent> pendingEvents(Campaign campaign, long cursor, Collection<Long> only) {
        boolean tier = campaign.settings().trigger().type() == CampaignSettings.TriggerType.TIER_CHANGED;
        List<Object> params = new ArrayList<>();
        params.add(tier ? "TIER_CHANGED" : "SEGMENT_ENTERED");
        String segment = "";
        if (!tier) {
            segment = " and e.segment_id = ?";
            params.add(campaign.settings().audience().segment());
        }
        long eventsAfter = campaign.eventsAfter() == null ? 0L : campaign.eventsAfter();
        params.add(Math.max(cursor, eventsAfter));
        String onlyThese = "";
        if (only != null) {
            onlyThese = " and e.event_key in ("
                    + String.join(", ", only.stream().map(k -> "?").toList()) + ")";
            params.addAll(only);
        }
        params.add(campaign.id());
        params.add(chunkSize);
        return jdbc.query(
                "select e.event_key, e.customer_key, c.customer_id, e.from_tier, e.to_tier "
                        + "from v_segment_event e join v_customer c on c.customer_key = e.customer_key "
                        + "where e.kind = ?" + segment + " and e.event_key > ?" + onlyThese
                        + " and not exists (select 1 "
                        + "from campaign_trigger t where t.campaign_key = ? and t.event_key = e.event_key) "
                        + "order by e.event_key fetch first ? rows only",
                (rs, row) -> new SegmentEvent(
                        rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                params.toArray());
    }

    /** Claims the events for this campaign and decides each one the claim won. */
    private Map<String, Integer> consume(Campaign campaign, List<SegmentEvent> events) {
        Map<String, Integer> outcomes = new TreeMap<>();
        if (events.isEmpty()) {
            return outcomes;
        }
        Instant now = clock.instant();
        Set<Long> won = claims.claim(
                campaign.id(), events.stream().map(SegmentEvent::eventKey).toList(), now);
        boolean tier = campaign.settings().trigger().type() == CampaignSettings.TriggerType.TIER_CHANGED;
        Audiences.Audience audience = starts.audience(campaign);
        List<TriggerClaims.Decision> decisions = new ArrayList<>();
        List<SegmentEvent> toEnter = new ArrayList<>();
        List<Enrollments.Candidate> candidates = new ArrayList<>();
        for (SegmentEvent event : events) {
            if (!won.contains(event.eventKey())) {
                continue;
            }
            if (tier && event.fromTier() == null) {
                // A customer's first tier is where they start, not a change: no journey congratulates it.
                decisions.add(new TriggerClaims.Decision(event.eventKey(), FIRST_TIER, null));
            } else if (event.customerId() == null) {
                decisions.add(new TriggerClaims.Decision(event.eventKey(), CUSTOMER_ERASED, null));
            } else {
                Map<String, Object> variables = new LinkedHashMap<>();
                if (tier) {
                    SegmentVariables.PREVIOUS_TIER.on(variables).set(event.fromTier());
                    SegmentVariables.NEW_TIER.on(variables).set(event.toTier());
                }
                toEnter.add(event);
                candidates.add(new Enrollments.Candidate(
                        event.customerKey(), event.customerId(), "event:" + event.eventKey(), null, variables));
            }
        }
        List<Enrollments.Entry> entries = enrollments.enterAll(campaign, candidates, audience);
        for (int i = 0; i < entries.size(); i++) {
            Enrollments.Entry entry = entries.get(i);
            decisions.add(new TriggerClaims.Decision(
                    toEnter.get(i).eventKey(),
                    entry.outcome().name(),
                    entry.outcome() == Enrollments.Outcome.ENROLLED ? entry.enrollmentKey() : null));
        }
        decisions.forEach(d -> outcomes.merge(d.outcome(), 1, Integer::sum));
        claims.decide(campaign.id(), decisions);
        return outcomes;
    }

    /**
     * Recurring entry: a run's first chunk claims the campaign's period (one node per period) if it
     * has passed since the last entry; every chunk then enters the next audience members.
     */
    private Chunk enterRecurring(Campaign campaign, long cursor) {
        Campaign current = campaign;
        if (cursor < 0) {
            Instant now = clock.instant();
            Instant dueBefore = now.minus(
                    CampaignSettings.durationOf(campaign.settings().trigger().every()));
            if (!campaigns.claimRecurringPeriod(campaign.id(), now, dueBefore)) {
                return new Chunk(Map.of(), cursor, false);
            }
            current = campaigns.find(campaign.id()).orElseThrow();
        }
        Audiences.Audience audience = starts.audience(current);
        List<Audiences.Member> members = audiences.members(audience, Math.max(cursor, 0), chunkSize);
        Map<String, Integer> outcomes = new TreeMap<>();
        String cause = "recurring:" + Timestamps.utc(current.lastRecurringAt()).toLocalDate();
        // membership was just read with the audience's conditions: no second check per customer
        enrollments
                .enterAll(
                        current,
                        members.stream()
                                .map(m -> new Enrollments.Candidate(
                                        m.customerKey(), m.customerId(), cause, null, Map.of()))
                                .toList(),
                        null)
                .forEach(entry -> outcomes.merge(entry.outcome().name(), 1, Integer::sum));
        long next = members.isEmpty()
                ? Math.max(cursor, 0)
                : members.get(members.size() - 1).customerKey();
        return new Chunk(outcomes, next, members.size() == chunkSize);
    }

    /** Adds a chunk's outcomes to a run's running total, written as {@code ENROLLED=3, FIRST_TIER=2}. */
    static String addOutcomes(Object total, Map<String, Integer> chunk) {
        Map<String, Integer> sum = parseOutcomes(total);
        chunk.forEach((outcome, n) -> sum.merge(outcome, n, Integer::sum));
        return String.join(
                ", ",
                sum.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    }

    static Map<String, Integer> parseOutcomes(Object text) {
        Map<String, Integer> outcomes = new TreeMap<>();
        if (text == null || text.toString().isBlank()) {
            return outcomes;
        }
        for (String part : text.toString().split(",")) {
            String[] pair = part.trim().split("=");
            outcomes.merge(pair[0], Integer.parseInt(pair[1]), Integer::sum);
        }
        return outcomes;
    }
}
