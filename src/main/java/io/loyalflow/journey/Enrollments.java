package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.CampaignSteps;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.segment.Audiences;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Puts customers into campaigns: one journey (process instance) per campaign and customer at a
 * time, business key {@code <campaign>:<customer>}, under the campaign's re-entry policy. The
 * policy is decided and the journey started while the customer's participant row is locked, so two
 * triggers at once start one journey; the journey, its enrollment row and the participant change
 * commit together or not at all.
 */
@Service
public class Enrollments {

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
  public record Entry(Outcome outcome, Long enrollmentKey, String processInstanceId, String businessKey) {
  }

  public static final String ENROLLMENT_KEY = "enrollmentKey";

  private final JdbcTemplate jdbc;
  private final RuntimeService runtime;
  private final Audiences audiences;
  private final MeterRegistry meters;
  private final Clock clock;
  private final io.loyalflow.platform.db.Database database;

  Enrollments(JdbcTemplate jdbc, RuntimeService runtime, Audiences audiences, MeterRegistry meters, Clock clock,
      io.loyalflow.platform.db.Database database) {
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

  /**
   * Enters one customer, in the caller's transaction. Throws {@link DuplicateKeyException} when a
   * concurrent first entry created the participant row at the same moment: the caller retries its
   * transaction, and then sees that entry.
   */
  Entry enter(Campaign campaign, long customerKey, String customerId, String cause, String idempotencyKey,
      Map<String, Object> triggerVariables, Audiences.Audience audience) {
    if (audience != null && !audiences.admits(audience, customerKey)) {
      return count(campaign, new Entry(Outcome.NOT_IN_AUDIENCE, null, null, null));
    }
    jdbc.update("insert into campaign_participant (campaign_key, customer_key, entries) select ?, ?, 0 "
        + "where not exists (select 1 from campaign_participant where campaign_key = ? and customer_key = ?)",
        campaign.id(), customerKey, campaign.id(), customerKey);
    Participant participant = jdbc.queryForObject("select active_enrollment, entries, last_entered_at "
            + "from campaign_participant where campaign_key = ? and customer_key = ? for update",
        (rs, row) -> {
          long active = rs.getLong(1);
          Long activeKey = rs.wasNull() ? null : active;
          return new Participant(activeKey, rs.getInt(2), Timestamps.instant(rs, "last_entered_at"));
        }, campaign.id(), customerKey);
    Instant now = clock.instant();
    Outcome refusal = refusal(campaign.settings().reentry(), participant, now);
    if (refusal != null) {
      if (refusal == Outcome.ALREADY_ACTIVE) {
        String instance = jdbc.queryForObject("select process_instance_id from campaign_enrollment "
            + "where enrollment_key = ?", String.class, participant.active());
        return count(campaign, new Entry(refusal, participant.active(), instance,
            businessKey(campaign.id(), customerId)));
      }
      return count(campaign, new Entry(refusal, null, null, null));
    }
    String businessKey = businessKey(campaign.id(), customerId);
    Long enrollmentKey = jdbc.queryForObject(nextKeySql(), Long.class);
    Map<String, Object> variables = new LinkedHashMap<>(triggerVariables);
    variables.put(CampaignSteps.CUSTOMER_ID, Variables.stringValue(customerId));
    variables.put(CampaignSteps.CAMPAIGN_KEY, Variables.stringValue(campaign.id()));
    variables.put(CampaignSteps.CAMPAIGN_REVISION, Variables.integerValue(campaign.revision()));
    variables.put(ENROLLMENT_KEY, Variables.longValue(enrollmentKey));
    ProcessInstance journey;
    String endedAs;
    try {
      journey = runtime.createProcessInstanceByKey(campaign.template()).businessKey(businessKey)
          .setVariables(variables).execute();
      endedAs = EXITED_WHILE_STARTING.get();
    } finally {
      EXITED_WHILE_STARTING.remove();
    }
    boolean ended = journey.isEnded();
    jdbc.update("insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, "
            + "process_instance_id, business_key, idempotency_key, entry_cause, entered_at, exited_at, exit_outcome) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", enrollmentKey, campaign.id(), customerKey, campaign.revision(),
        journey.getId(), businessKey, idempotencyKey, cause, Timestamps.utc(now), ended ? Timestamps.utc(now) : null,
        ended ? (endedAs == null ? "COMPLETED" : endedAs) : null);
    jdbc.update("update campaign_participant set active_enrollment = ?, entries = entries + 1, last_entered_at = ?, "
            + "last_exited_at = case when ? then ? else last_exited_at end where campaign_key = ? and customer_key = ?",
        ended ? null : enrollmentKey, Timestamps.utc(now), ended, Timestamps.utc(now), campaign.id(), customerKey);
    return count(campaign, new Entry(Outcome.ENROLLED, enrollmentKey, journey.getId(), businessKey));
  }

  /** A customer's journey that has not exited yet. */
  record RunningJourney(String processInstanceId, String campaignKey) {
  }

  /** The customer's journeys that have not exited, from their enrollments (never a variable query). */
  List<RunningJourney> running(String customerId) {
    return jdbc.query("select e.process_instance_id, e.campaign_key from campaign_enrollment e join customer c "
            + "on c.customer_key = e.customer_key where c.customer_id = ? and e.exited_at is null",
        (rs, row) -> new RunningJourney(rs.getString(1), rs.getString(2)), customerId);
  }

  /** The enrollment made with this idempotency key, if any. */
  Optional<Map<String, Object>> byIdempotencyKey(String campaignId, String idempotencyKey) {
    return jdbc.queryForList("select e.enrollment_key, e.process_instance_id, e.business_key, c.customer_id "
        + "from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
        + "where e.campaign_key = ? and e.idempotency_key = ?", campaignId, idempotencyKey).stream().findFirst();
  }

  /** Records a journey's end: the participant may enter again as the policy allows. In the engine's transaction. */
  void exited(String processInstanceId, String outcome) {
    OffsetDateTime now = Timestamps.utc(clock.instant());
    List<Map<String, Object>> rows = jdbc.queryForList("select enrollment_key, campaign_key, customer_key "
        + "from campaign_enrollment where process_instance_id = ? and exited_at is null", processInstanceId);
    if (rows.isEmpty()) {
      // a journey that ends within its start (a decision said "not for this customer"): enter() records it
      EXITED_WHILE_STARTING.set(outcome);
      return;
    }
    Map<String, Object> row = rows.get(0);
    jdbc.update("update campaign_enrollment set exited_at = ?, exit_outcome = ? where enrollment_key = ?", now, outcome,
        row.get("enrollment_key"));
    jdbc.update("update campaign_participant set active_enrollment = null, last_exited_at = ? "
        + "where campaign_key = ? and customer_key = ? and active_enrollment = ?", now, row.get("campaign_key"),
        row.get("customer_key"), row.get("enrollment_key"));
    meters.counter("loyalflow.journeys.exits", "campaign", row.get("campaign_key").toString(), "outcome", outcome)
        .increment();
  }

  private static Outcome refusal(CampaignSettings.Reentry reentry, Participant participant, Instant now) {
    if (participant.active() != null) {
      return Outcome.ALREADY_ACTIVE;
    }
    return switch (reentry.policy()) {
      case ONCE -> participant.entries() > 0 ? Outcome.ENTERED_BEFORE : null;
      case AFTER_EXIT -> null;
      case EVERY_N_DAYS -> participant.lastEntered() != null
          && participant.lastEntered().plus(Duration.ofDays(reentry.days())).isAfter(now) ? Outcome.TOO_SOON : null;
    };
  }

  private Entry count(Campaign campaign, Entry entry) {
    meters.counter("loyalflow.journeys.entries", "campaign", campaign.id(), "outcome", entry.outcome().name())
        .increment();
    return entry;
  }

  private String nextKeySql() {
    return database.isPostgres() ? "select nextval('campaign_enrollment_seq')"
        : "select next value for campaign_enrollment_seq";
  }

  private record Participant(Long active, int entries, Instant lastEntered) {
  }
}
