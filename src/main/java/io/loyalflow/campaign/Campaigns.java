package io.loyalflow.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.web.Texts;
import io.loyalflow.segment.SegmentEventLog;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Campaigns and their lifecycle: DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED. Every change of settings
 * becomes a new revision; journeys keep the revision they entered with.
 */
@Service
public class Campaigns {

    private static final Logger log = LoggerFactory.getLogger(Campaigns.class);

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final int REVISION_CACHE = 1_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final ActivationChecks checks;
    private final Clock clock;
    private final SegmentEventLog segmentEvents;
    private final Map<String, CampaignSettings> revisions =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CampaignSettings> eldest) {
                    return size() > REVISION_CACHE;
                }
            });

    Campaigns(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            ObjectMapper json,
            ActivationChecks checks,
            Clock clock,
            SegmentEventLog segmentEvents) {
        this.segmentEvents = segmentEvents;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.checks = checks;
        this.clock = clock;
    }

    public Campaign create(String id, String name, String template, JsonNode settingsJson) {
        Violations violations = new Violations();
        if (id == null || !ID.matcher(id).matches()) {
            violations.add(
                    "id", "must be 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit");
        }
        CampaignSettings settings = validate(name, template, settingsJson, violations);
        violations.throwIfAny();
        Instant now = clock.instant();
        try {
            transactions.executeWithoutResult(tx -> {
                jdbc.update(
                        "insert into campaign (campaign_key, name, template, state, revision, created_at, updated_at, "
                                + "version) values (?, ?, ?, 'DRAFT', 1, ?, ?, 0)",
                        id,
                        name.trim(),
                        template.trim(),
                        Timestamps.utc(now),
                        Timestamps.utc(now));
                insertRevision(id, 1, settings, now);
            });
        } catch (DuplicateKeyException e) {
            throw Refusal.conflict(
                    "A campaign " + id + " exists already.", List.of(new FieldViolation("id", "is taken")));
        }
        return get(id);
    }

    /** Changes name, template and settings: a new revision that new entries use. Active campaigns are checked first. */
    public Campaign update(String id, String name, String template, JsonNode settingsJson) {
        Violations violations = new Violations();
        CampaignSettings settings = validate(name, template, settingsJson, violations);
        violations.throwIfAny();
        return transactions.execute(tx -> {
            Campaign current = lock(id);
            if (current.state() == Campaign.State.ARCHIVED) {
                throw Refusal.conflict(
                        "Campaign " + id + " is archived; archived campaigns cannot change.",
                        List.of(new FieldViolation("state", "is ARCHIVED")));
            }
            if (current.state() == Campaign.State.ACTIVE) {
                refuseIfProblems(
                        id,
                        template.trim(),
                        settings,
                        "Campaign " + id + " is active, and these settings could not run");
            }
            if (current.name().equals(name.trim())
                    && current.template().equals(template.trim())
                    && current.settings().toJson().equals(settings.toJson())) {
                return current;
            }
            int revision = current.revision() + 1;
            Instant now = clock.instant();
            insertRevision(id, revision, settings, now);
            jdbc.update(
                    "update campaign set name = ?, template = ?, revision = ?, updated_at = ?, version = version + 1 "
                            + "where campaign_key = ?",
                    name.trim(),
                    template.trim(),
                    revision,
                    Timestamps.utc(now),
                    id);
            return get(id);
        });
    }

    /** Activates after the activation checks, which report every problem at once (422). */
    public Campaign activate(String id) {
        return transactions.execute(tx -> {
            Campaign current = lock(id);
            if (current.state() == Campaign.State.ARCHIVED) {
                throw Refusal.conflict(
                        "Campaign " + id + " is archived and cannot be activated again.",
                        List.of(new FieldViolation("state", "is ARCHIVED")));
            }
            if (current.state() == Campaign.State.ACTIVE) {
                return current;
            }
            refuseIfProblems(id, current.template(), current.settings(), "Campaign " + id + " cannot be activated");
            Instant now = clock.instant();
            // Entries follow segment events from the first activation on; events while paused stay pending.
            Long eventsAfter = current.eventsAfter() != null ? current.eventsAfter() : segmentEvents.lastEventKey();
            jdbc.update(
                    "update campaign set state = 'ACTIVE', activated_at = ?, events_after = ?, updated_at = ?, "
                            + "version = version + 1 where campaign_key = ?",
                    Timestamps.utc(now),
                    eventsAfter,
                    Timestamps.utc(now),
                    id);
            return get(id);
        });
    }

    public Campaign pause(String id) {
        return transition(id, Campaign.State.PAUSED, List.of(Campaign.State.ACTIVE, Campaign.State.PAUSED));
    }

    /** Archives: no new entries ever; journeys already running go on to their end. */
    public Campaign archive(String id) {
        return transition(id, Campaign.State.ARCHIVED, List.of(Campaign.State.values()));
    }

    private Campaign transition(String id, Campaign.State to, List<Campaign.State> from) {
        return transactions.execute(tx -> {
            Campaign current = lock(id);
            if (current.state() == to) {
                return current;
            }
            if (!from.contains(current.state())) {
                throw Refusal.conflict(
                        "Campaign " + id + " is " + current.state() + "; it cannot become " + to + ".",
                        List.of(new FieldViolation("state", "is " + current.state())));
            }
            jdbc.update(
                    "update campaign set state = ?, updated_at = ?, version = version + 1 where campaign_key = ?",
                    to.name(),
                    Timestamps.utc(clock.instant()),
                    id);
            return get(id);
        });
    }

    private void refuseIfProblems(String id, String template, CampaignSettings settings, String detail) {
        List<FieldViolation> problems = checks.problems(template, settings);
        if (!problems.isEmpty()) {
            throw Refusal.invalid(detail + ": " + problems.size() + " problem(s).", problems);
        }
    }

    public Campaign get(String id) {
        return find(id).orElseThrow(() -> Refusal.notFound("No campaign " + id + "."));
    }

    public Optional<Campaign> find(String id) {
        return jdbc
                .query(
                        "select c.*, r.settings from campaign c join campaign_revision r on r.campaign_key = c.campaign_key "
                                + "and r.revision = c.revision where c.campaign_key = ?",
                        (rs, row) -> map(rs),
                        id)
                .stream()
                .findFirst();
    }

    public List<Campaign> all() {
        return jdbc.query(
                "select c.*, r.settings from campaign c join campaign_revision r on r.campaign_key = c.campaign_key "
                        + "and r.revision = c.revision order by c.campaign_key",
                (rs, row) -> map(rs));
    }

    public List<Campaign> active() {
        return all().stream().filter(c -> c.state() == Campaign.State.ACTIVE).toList();
    }

    /** The settings of one revision (immutable, so cached). */
    public CampaignSettings settings(String id, int revision) {
        return revisions.computeIfAbsent(
                id + "#" + revision,
                key -> jdbc
                        .query(
                                "select settings from campaign_revision where campaign_key = ? and revision = ?",
                                (rs, row) -> parseStored(rs.getString(1)),
                                id,
                                revision)
                        .stream()
                        .findFirst()
                        .orElseThrow(
                                () -> new IllegalStateException("campaign " + id + " has no revision " + revision)));
    }

    /**
     * Claims the campaign's current recurring period for the entry run calling: true when the campaign is
     * active and its last recurring entry was at or before {@code dueBefore} (or never); it is then
     * {@code now}. In the caller's transaction, so the claim commits with the run's first entries.
     */
    public boolean claimRecurringPeriod(String id, Instant now, Instant dueBefore) {
        return jdbc.update(
                        "update campaign set last_recurring_at = ? where campaign_key = ? "
                                + "and state = 'ACTIVE' and (last_recurring_at is null or last_recurring_at <= ?)",
                        Timestamps.utc(now),
                        id,
                        Timestamps.utc(dueBefore))
                > 0;
    }

    /** Locks the campaign row (the lifecycle and enrollment serialise on it). */
    Campaign lock(String id) {
        List<String> found = jdbc.queryForList(
                "select campaign_key from campaign where campaign_key = ? for update", String.class, id);
        if (found.isEmpty()) {
            throw Refusal.notFound("No campaign " + id + ".");
        }
        return get(id);
    }

    private CampaignSettings validate(String name, String template, JsonNode settingsJson, Violations violations) {
        if (name == null || name.isBlank() || name.length() > 200) {
            violations.add("name", "must be 1 to 200 characters");
        } else {
            Texts.requireSingleLine(name, "name", violations);
        }
        if (template == null || !Pattern.matches("[A-Za-z_][A-Za-z0-9_.-]{0,254}", template.trim())) {
            violations.add("template", "must be the key of a BPMN process (letters, digits, _ . -)");
        }
        boolean welcome = template != null && CampaignSettings.WELCOME_TEMPLATE.equals(template.trim());
        boolean crossSell = template != null && CampaignSettings.CROSS_SELL_TEMPLATE.equals(template.trim());
        if ((welcome || crossSell)
                && settingsJson != null
                && settingsJson.isObject()
                && !settingsJson.hasNonNull("trigger")) {
            // the welcome programme is entered by the customer's first order unless the campaign says otherwise, the
            // cross-sell by every new order
            ObjectNode withTrigger = ((ObjectNode) settingsJson).deepCopy();
            withTrigger
                    .putObject("trigger")
                    .put(
                            "type",
                            (welcome
                                            ? CampaignSettings.TriggerType.FIRST_ORDER
                                            : CampaignSettings.TriggerType.ORDER_PLACED)
                                    .name());
            settingsJson = withTrigger;
        }
        CampaignSettings settings = CampaignSettings.parse(settingsJson, "settings", violations);
        CampaignSettings.checkLimits(settingsJson, "settings", violations);
        if (welcome) {
            ActivationChecks.checkWelcomeEntry(settings, violations);
        }
        ActivationChecks.checkOrderEntry(template == null ? null : template.trim(), settings, violations);
        checks.checkAudienceShape(settings, violations);
        return settings;
    }

    private void insertRevision(String id, int revision, CampaignSettings settings, Instant now) {
        try {
            jdbc.update(
                    "insert into campaign_revision (campaign_key, revision, settings, created_at) values (?, ?, ?, ?)",
                    id,
                    revision,
                    json.writeValueAsString(settings.toJson()),
                    Timestamps.utc(now));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CampaignSettings parseStored(String text) {
        try {
            Violations violations = new Violations();
            CampaignSettings settings = CampaignSettings.parse(json.readTree(text), "settings", violations);
            if (!violations.list().isEmpty()) {
                // stored before a rule was added (a wait over the maximum, a line break in a sender name):
                // the campaign stays readable, without the parts that fail, until new settings replace them
                log.warn(
                        "Stored campaign settings fail today's checks, their faulty parts are ignored: {}",
                        violations.list());
            }
            return settings;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Campaign map(ResultSet rs) throws SQLException {
        String id = rs.getString("campaign_key");
        int revision = rs.getInt("revision");
        String settingsText = rs.getString("settings");
        CampaignSettings settings = revisions.computeIfAbsent(id + "#" + revision, key -> parseStored(settingsText));
        long eventsAfterValue = rs.getLong("events_after");
        Long eventsAfter = rs.wasNull() ? null : eventsAfterValue;
        return new Campaign(
                id,
                rs.getString("name"),
                rs.getString("template"),
                Campaign.State.valueOf(rs.getString("state")),
                revision,
                settings,
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "activated_at"),
                eventsAfter,
                instant(rs, "last_recurring_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
