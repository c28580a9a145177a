package io.loyalflow.journey;

import io.loyalflow.audience.AdAudiences;
import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.engine.JourneyStartVariables;
import io.loyalflow.segment.Audiences;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.util.LinkedCaseInsensitiveMap;

/**
 * Puts customers into campaigns: one journey (process instance) per campaign and customer at a
 * time, business key {@code <campaign>:<customer>}, under the campaign's re-entry policy. The
 * policy is decided and the journey started while the customer's participant row is locked, so two
 * triggers at once start one journey; the journey, its enrollment row and the participant change
 * commit together or not at all.
 */
@Service
class Enrollments {

    /** The outcome of a journey that ended before enter() could record its enrollment (same thread). */
    private static final ThreadLocal<String> EXITED_WHILE_STARTING = new ThreadLocal<>();

    /** What an attempt to enter came to. */
    public enum Outcome {
        ENROLLED,
        /** the customer is in a journey of this campaign now */
        ALREADY_ACTIVE,
        /** policy ONCE, and the customer was entered before */
        ENTERED_BEFORE,
        /** policy EVERY_N_DAYS, and the last entry is more recent */
        TOO_SOON,
        NOT_IN_AUDIENCE
    }

    /** @param enrollmentKey the journey's enrollment: the new one, or for ALREADY_ACTIVE the running one */
    public record Entry(Outcome outcome, Long enrollmentKey, String processInstanceId, String businessKey) {}

    private final JdbcTemplate jdbc;
    private final RuntimeService runtime;
    private final Audiences audiences;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Database database;
    private final CustomerQueries customers;
    private final Campaigns campaigns;
    private final AdAudiences adAudiences;

    Enrollments(
            JdbcTemplate jdbc,
            RuntimeService runtime,
            Audiences audiences,
            MeterRegistry meters,
            Clock clock,
            Database database,
            CustomerQueries customers,
            Campaigns campaigns,
            AdAudiences adAudiences) {
        this.campaigns = campaigns;
        this.adAudiences = adAudiences;
        this.customers = customers;
        this.database = database;
        this.jdbc = jdbc;
        this.runtime = runtime;
        this.audiences = audiences;
        this.meters = meters;
        this.clock = clock;
    }

    public static String businessKey(String campaignId, String customerId) {
        return campaignId + ":" + customerId;
    }

    /** A customer to enter, with what entered them and the variables their trigger gives the journey. */
    record Candidate(
            long customerKey, String customerId, String cause, String idempotencyKey, Map<String, Object> variables) {}

    /**
     * Enters one customer, in the caller's transaction: the journey, its enrollment row and the
     * participant change commit or roll back with it. Throws {@link DuplicateKeyException} when a
     * concurrent request used the same idempotency key: the caller retries its transaction, and then
     * sees that entry.
     */
    Entry enter(
            Campaign campaign,
            long customerKey,
            String customerId,
            String cause,
            String idempotencyKey,
            Map<String, Object> triggerVariables,
            Audiences.Audience audience) {
        return enterAll(
                        campaign,
                        List.of(new Candidate(customerKey, customerId, cause, idempotencyKey, triggerVariables)),
                        audience)
                .get(0);
    }

    /**
     * Enters a chunk of customers in the caller's transaction, in the given order (a customer named
     * twice sees the first entry). The participants' rows are locked together, in key order, so
     * transactions entering overlapping customers at once do not deadlock; the audience, the locks,
     * the enrollment keys, the enrollment rows and the participant changes each take one statement for
     * the whole chunk.
     */
    List<Entry> enterAll(Campaign campaign, List<Candidate> candidates, Audiences.Audience audience) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<Long> keys = new TreeSet<>();
        candidates.forEach(c -> keys.add(c.customerKey()));
        Set<Long> admitted = audience == null ? keys : new TreeSet<>(audiences.admitted(audience, keys));
        Map<Long, Participant> participants = admitted.isEmpty() ? new HashMap<>() : lock(campaign.id(), admitted);
        Instant now = clock.instant();
        CampaignSettings.Reentry reentry = campaign.settings().reentry();
        Deque<Long> enrollmentKeys = new ArrayDeque<>();
        int eligible = (int) candidates.stream()
                .filter(c -> admitted.contains(c.customerKey())
                        && refusal(reentry, participants.get(c.customerKey()), now) == null)
                .count();
        List<Entry> entries = new ArrayList<>(candidates.size());
        List<Object[]> enrollmentRows = new ArrayList<>();
        Map<Long, String> startedInstances = new HashMap<>();
        List<Long> stillInJourneys = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (!admitted.contains(candidate.customerKey())) {
                entries.add(count(campaign, new Entry(Outcome.NOT_IN_AUDIENCE, null, null, null)));
                continue;
            }
            Participant participant = participants.get(candidate.customerKey());
            Outcome refusal = refusal(reentry, participant, now);
            String businessKey = businessKey(campaign.id(), candidate.customerId());
            if (refusal != null) {
                entries.add(count(
                        campaign,
                        refusal == Outcome.ALREADY_ACTIVE
                                ? new Entry(refusal, participant.active(), null, businessKey)
                                : new Entry(refusal, null, null, null)));
                continue;
            }
            if (enrollmentKeys.isEmpty()) {
                enrollmentKeys.addAll(nextKeys(Math.max(1, eligible)));
            }
            long enrollmentKey = enrollmentKeys.poll();
            eligible--;
            Map<String, Object> variables = new LinkedHashMap<>(candidate.variables());
            JourneyStartVariables.CUSTOMER_ID.on(variables).set(candidate.customerId());
            JourneyStartVariables.CAMPAIGN_KEY.on(variables).set(campaign.id());
            JourneyStartVariables.CAMPAIGN_REVISION.on(variables).set(campaign.revision());
            JourneyVariables.ENROLLMENT_KEY.on(variables).set(enrollmentKey);
            ProcessInstance journey;
            String endedAs;
            try {
                journey = runtime.createProcessInstanceByKey(campaign.template())
                        .businessKey(businessKey)
                        .setVariables(variables)
                        .execute();
                endedAs = EXITED_WHILE_STARTING.get();
            } finally {
                EXITED_WHILE_STARTING.remove();
            }
            boolean ended = journey.isEnded();
            String outcome = ended ? (endedAs == null ? "COMPLETED" : endedAs) : null;
            enrollmentRows.add(new Object[] {
                enrollmentKey,
                campaign.id(),
                candidate.customerKey(),
                campaign.revision(),
                journey.getId(),
                businessKey,
                candidate.idempotencyKey(),
                candidate.cause(),
                Timestamps.utc(now),
                ended ? Timestamps.utc(now) : null,
                outcome
            });
            startedInstances.put(enrollmentKey, journey.getId());
            if (!ended) {
                stillInJourneys.add(candidate.customerKey());
            }
            participants.put(
                    candidate.customerKey(),
                    new Participant(
                            ended ? null : enrollmentKey,
                            participant.entries() + 1,
                            now,
                            ended ? now : participant.lastExited(),
                            true));
            if (ended) { // exited() found no enrollment to record it in, so it counts the exit here
                countExit(campaign.id(), outcome);
            }
            entries.add(count(campaign, new Entry(Outcome.ENROLLED, enrollmentKey, journey.getId(), businessKey)));
        }
        if (!enrollmentRows.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, "
                            + "process_instance_id, business_key, idempotency_key, entry_cause, entered_at, exited_at, exit_outcome) "
                            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    enrollmentRows);
            jdbc.batchUpdate(
                    "update campaign_participant set active_enrollment = ?, entries = ?, last_entered_at = ?, "
                            + "last_exited_at = ? where campaign_key = ? and customer_key = ?",
                    participants.entrySet().stream()
                            .filter(e -> e.getValue().changed())
                            .map(e -> new Object[] {
                                e.getValue().active(),
                                e.getValue().entries(),
                                Timestamps.utc(e.getValue().lastEntered()),
                                e.getValue().lastExited() == null
                                        ? null
                                        : Timestamps.utc(e.getValue().lastExited()),
                                campaign.id(),
                                e.getKey()
                            })
                            .toList());
            String adAudience = campaign.settings().adAudience();
            if (adAudience != null) {
                // the campaign's ad audience takes the customers whose journeys run on
                adAudiences.join(adAudience, stillInJourneys);
            }
        }
        return withRunningInstances(entries, startedInstances);
    }

    /** A journey that ended leaves its campaign's ad audience (as the revision it started with named it). */
    private void leaveAdAudience(Map<String, Object> enrollment) {
        String campaignId = enrollment.get("campaign_key").toString();
        int revision = ((Number) enrollment.get("revision")).intValue();
        String adAudience = campaigns.settings(campaignId, revision).adAudience();
        if (adAudience != null) {
            adAudiences.leave(adAudience, List.of(((Number) enrollment.get("customer_key")).longValue()));
        }
    }

    /** ALREADY_ACTIVE entries name the journey the customer is in: one lookup for those started before. */
    private List<Entry> withRunningInstances(List<Entry> entries, Map<Long, String> startedNow) {
        Set<Long> active = new TreeSet<>();
        entries.stream()
                .filter(e -> e.outcome() == Outcome.ALREADY_ACTIVE && !startedNow.containsKey(e.enrollmentKey()))
                .forEach(e -> active.add(e.enrollmentKey()));
        if (active.isEmpty() && startedNow.isEmpty()) {
            return entries;
        }
        Map<Long, String> instances = new HashMap<>(startedNow);
        if (!active.isEmpty()) {
            jdbc.query(
                    "select enrollment_key, process_instance_id from campaign_enrollment where enrollment_key in ("
                            + placeholders(active.size()) + ")",
                    rs -> {
                        instances.put(rs.getLong(1), rs.getString(2));
                    },
                    active.toArray());
        }
        return entries.stream()
                .map(e -> e.outcome() == Outcome.ALREADY_ACTIVE
                        ? new Entry(e.outcome(), e.enrollmentKey(), instances.get(e.enrollmentKey()), e.businessKey())
                        : e)
                .toList();
    }

    /**
     * The participant rows of these customers, created for first entries, then locked in key order.
     * A concurrent first entry of the same customer inserting the row at the same moment must not fail
     * this transaction (a chunk of hundreds of entries): PostgreSQL skips the conflicting rows; on H2 a
     * duplicate fails only its own statement.
     */
    private Map<Long, Participant> lock(String campaignId, Set<Long> customerKeys) {
        if (database.isPostgres()) {
            jdbc.update(
                    "insert into campaign_participant (campaign_key, customer_key, entries) select ?, k, 0 "
                            + "from unnest(?::bigint[]) as k order by k on conflict (campaign_key, customer_key) do nothing",
                    campaignId,
                    customerKeys.toArray(new Long[0]));
        } else {
            for (Long customerKey : customerKeys) {
                try {
                    jdbc.update(
                            "insert into campaign_participant (campaign_key, customer_key, entries) select ?, ?, 0 "
                                    + "where not exists (select 1 from campaign_participant where campaign_key = ? and customer_key = ?)",
                            campaignId,
                            customerKey,
                            campaignId,
                            customerKey);
                } catch (DuplicateKeyException concurrentFirstEntry) {
                    // the other transaction's row is there now; the lock below waits for it
                }
            }
        }
        List<Object> params = new ArrayList<>();
        params.add(campaignId);
        params.addAll(customerKeys);
        Map<Long, Participant> participants = new HashMap<>();
        jdbc.query(
                "select customer_key, active_enrollment, entries, last_entered_at, last_exited_at "
                        + "from campaign_participant where campaign_key = ? and customer_key in ("
                        + placeholders(customerKeys.size())
                        + ") order by customer_key for update",
                rs -> {
                    long active = rs.getLong(2);
                    Long activeKey = rs.wasNull() ? null : active;
                    participants.put(
                            rs.getLong(1),
                            new Participant(
                                    activeKey,
                                    rs.getInt(3),
                                    Timestamps.instant(rs, "last_entered_at"),
                                    Timestamps.instant(rs, "last_exited_at"),
                                    false));
                },
                params.toArray());
        return participants;
    }

    private List<Long> nextKeys(int count) {
        return jdbc.queryForList(
                database.isPostgres()
                        ? "select nextval('campaign_enrollment_seq') from generate_series(1, ?)"
                        : "select next value for campaign_enrollment_seq from system_range(1, ?)",
                Long.class,
                count);
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** A customer's journey that has not exited yet. */
    record RunningJourney(String processInstanceId, String campaignKey) {}

    /** The customer's journeys that have not exited, from their enrollments (never a variable query). */
    List<RunningJourney> running(String customerId) {
        return customers
                .keyOf(customerId)
                .map(customerKey -> jdbc.query(
                        "select e.process_instance_id, e.campaign_key "
                                + "from campaign_enrollment e where e.customer_key = ? and e.exited_at is null",
                        (rs, row) -> new RunningJourney(rs.getString(1), rs.getString(2)),
                        customerKey))
                .orElse(List.of());
    }

    /** The enrollment made with this idempotency key, if any. */
    Optional<Map<String, Object>> byIdempotencyKey(String campaignId, String idempotencyKey) {
        return jdbc
                .queryForList(
                        "select e.enrollment_key, e.process_instance_id, e.business_key, e.customer_key "
                                + "from campaign_enrollment e where e.campaign_key = ? and e.idempotency_key = ?",
                        campaignId,
                        idempotencyKey)
                .stream()
                .findFirst()
                .map(row -> {
                    Map<String, Object> withId = new LinkedCaseInsensitiveMap<>();
                    withId.putAll(row);
                    withId.put(
                            "customer_id",
                            customers
                                    .idOf(((Number) row.get("customer_key")).longValue())
                                    .orElse(null));
                    return withId;
                });
    }

    /**
     * An enrollment as cart journeys see it.
     *
     * @param idempotencyKey {@code cart:<cartId>} for a cart journey
     * @param running whether the journey has not exited
     */
    record Enrolled(
            long enrollmentKey, String processInstanceId, long customerKey, String idempotencyKey, boolean running) {}

    /** The enrollment made with this idempotency key in the campaign, if any (one per campaign and key). */
    Optional<Enrolled> enrolled(String campaignId, String idempotencyKey) {
        return jdbc
                .query(
                        "select enrollment_key, process_instance_id, customer_key, idempotency_key, exited_at "
                                + "from campaign_enrollment where campaign_key = ? and idempotency_key = ?",
                        Enrollments::enrolledRow,
                        campaignId,
                        idempotencyKey)
                .stream()
                .findFirst();
    }

    /** The customer's running journey in the campaign, if any (at most one at a time). */
    Optional<Enrolled> running(String campaignId, long customerKey) {
        return jdbc
                .query(
                        "select enrollment_key, process_instance_id, customer_key, idempotency_key, exited_at "
                                + "from campaign_enrollment where campaign_key = ? and customer_key = ? "
                                + "and exited_at is null",
                        Enrollments::enrolledRow,
                        campaignId,
                        customerKey)
                .stream()
                .findFirst();
    }

    private static Enrolled enrolledRow(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Enrolled(
                rs.getLong("enrollment_key"),
                rs.getString("process_instance_id"),
                rs.getLong("customer_key"),
                rs.getString("idempotency_key"),
                rs.getObject("exited_at") == null);
    }

    /** Records a journey's end: the participant may enter again as the policy allows. In the engine's transaction. */
    void exited(String processInstanceId, String outcome) {
        OffsetDateTime now = Timestamps.utc(clock.instant());
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select enrollment_key, campaign_key, customer_key, revision "
                        + "from campaign_enrollment where process_instance_id = ? and exited_at is null",
                processInstanceId);
        if (rows.isEmpty()) {
            // a journey that ends within its start (a decision said "not for this customer"): enter() records it
            EXITED_WHILE_STARTING.set(outcome);
            return;
        }
        Map<String, Object> row = rows.get(0);
        jdbc.update(
                "update campaign_enrollment set exited_at = ?, exit_outcome = ? where enrollment_key = ?",
                now,
                outcome,
                row.get("enrollment_key"));
        jdbc.update(
                "update campaign_participant set active_enrollment = null, last_exited_at = ? "
                        + "where campaign_key = ? and customer_key = ? and active_enrollment = ?",
                now,
                row.get("campaign_key"),
                row.get("customer_key"),
                row.get("enrollment_key"));
        leaveAdAudience(row);
        countExit(row.get("campaign_key").toString(), outcome);
    }

    /** Counted once the exit has committed. */
    private void countExit(String campaignId, String outcome) {
        AfterCommit.run(() -> meters.counter("loyalflow.journeys.exits", "campaign", campaignId, "outcome", outcome)
                .increment());
    }

    /**
     * Records the exit of a journey that ended without its enrollment hearing of it (found by the
     * consistency check); true if this call recorded it.
     */
    boolean recordExit(String processInstanceId, String outcome, Instant at) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select enrollment_key, campaign_key, customer_key, revision "
                        + "from campaign_enrollment where process_instance_id = ? and exited_at is null",
                processInstanceId);
        if (rows.isEmpty()) {
            return false;
        }
        Map<String, Object> row = rows.get(0);
        if (jdbc.update(
                        "update campaign_enrollment set exited_at = ?, exit_outcome = ? where enrollment_key = ? "
                                + "and exited_at is null",
                        Timestamps.utc(at),
                        outcome,
                        row.get("enrollment_key"))
                == 0) {
            return false;
        }
        jdbc.update(
                "update campaign_participant set active_enrollment = null, last_exited_at = ? "
                        + "where campaign_key = ? and customer_key = ? and active_enrollment = ?",
                Timestamps.utc(at),
                row.get("campaign_key"),
                row.get("customer_key"),
                row.get("enrollment_key"));
        leaveAdAudience(row);
        return true;
    }

    private static Outcome refusal(CampaignSettings.Reentry reentry, Participant participant, Instant now) {
        if (participant.active() != null) {
            return Outcome.ALREADY_ACTIVE;
        }
        return switch (reentry.policy()) {
            case ONCE -> participant.entries() > 0 ? Outcome.ENTERED_BEFORE : null;
            case AFTER_EXIT -> null;
            case EVERY_N_DAYS ->
                participant.lastEntered() != null
                                && participant
                                        .lastEntered()
                                        .plus(Duration.ofDays(reentry.days()))
                                        .isAfter(now)
                        ? Outcome.TOO_SOON
                        : null;
        };
    }

    private Entry count(Campaign campaign, Entry entry) {
        AfterCommit.run(() -> meters.counter(
                        "loyalflow.journeys.entries",
                        "campaign",
                        campaign.id(),
                        "outcome",
                        entry.outcome().name())
                .increment());
        return entry;
    }

    /** A participant row as locked, and as this chunk leaves it ({@code changed}: to be written). */
    private record Participant(Long active, int entries, Instant lastEntered, Instant lastExited, boolean changed) {}
}
