package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.segment.Audiences;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enters customers into active campaigns by their triggers: segment events (SEGMENT_ENTERED of the
 * audience segment, TIER_CHANGED), each consumed once per campaign across the cluster, and
 * recurring entry of the audience's current members. Work goes in chunks, each its own
 * transaction, so a large segment never holds one huge transaction; a crash loses at most the chunk
 * under way, which the next run repeats (the re-entry policy keeps it from entering anyone twice).
 */
@Service
public class CampaignEntry {

  private static final int ATTEMPTS = 3;

  private final Campaigns campaigns;
  private final Enrollments enrollments;
  private final JourneyStarts starts;
  private final Audiences audiences;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate chunkTransaction;
  private final Clock clock;
  private final int chunkSize;

  CampaignEntry(Campaigns campaigns, Enrollments enrollments, JourneyStarts starts, Audiences audiences,
      JdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock,
      @Value("${loyalflow.campaigns.entry-chunk-size:500}") int chunkSize) {
    this.campaigns = campaigns;
    this.enrollments = enrollments;
    this.starts = starts;
    this.audiences = audiences;
    this.jdbc = jdbc;
    this.chunkTransaction = new TransactionTemplate(transactionManager);
    this.chunkTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.clock = clock;
    this.chunkSize = Math.max(1, chunkSize);
  }

  /** Entries made for one campaign in one run, by outcome. */
  public record Summary(Map<String, Map<Enrollments.Outcome, Integer>> byCampaign) {
    public int enrolled() {
      return byCampaign.values().stream().mapToInt(m -> m.getOrDefault(Enrollments.Outcome.ENROLLED, 0)).sum();
    }
  }

  /** Every active campaign: pending segment events, and recurring entries that are due. */
  public Summary runAll() {
    Map<String, Map<Enrollments.Outcome, Integer>> all = new LinkedHashMap<>();
    for (Campaign campaign : campaigns.active()) {
      Map<Enrollments.Outcome, Integer> counts = new EnumMap<>(Enrollments.Outcome.class);
      switch (campaign.settings().trigger().type()) {
        case SEGMENT_ENTERED, TIER_CHANGED -> consumeEvents(campaign, counts);
        case RECURRING -> enterRecurring(campaign, counts);
        case API_ONLY -> { }
      }
      all.put(campaign.id(), counts);
    }
    return new Summary(all);
  }

  /** Pending segment events of event-triggered campaigns only (right after an order re-tiered a customer). */
  public Summary runEventTriggered() {
    Map<String, Map<Enrollments.Outcome, Integer>> all = new LinkedHashMap<>();
    for (Campaign campaign : campaigns.active()) {
      CampaignSettings.TriggerType type = campaign.settings().trigger().type();
      if (type == CampaignSettings.TriggerType.SEGMENT_ENTERED || type == CampaignSettings.TriggerType.TIER_CHANGED) {
        Map<Enrollments.Outcome, Integer> counts = new EnumMap<>(Enrollments.Outcome.class);
        consumeEvents(campaign, counts);
        all.put(campaign.id(), counts);
      }
    }
    return new Summary(all);
  }

  private record Event(long eventKey, long customerKey, String customerId, String fromTier, String toTier,
      String change) {
  }

  void consumeEvents(Campaign campaign, Map<Enrollments.Outcome, Integer> counts) {
    boolean tier = campaign.settings().trigger().type() == CampaignSettings.TriggerType.TIER_CHANGED;
    Audiences.Audience audience = starts.audience(campaign);
    while (true) {
      List<Object> params = new ArrayList<>();
      params.add(tier ? "TIER_CHANGED" : "SEGMENT_ENTERED");
      String segment = "";
      if (!tier) {
        segment = " and e.segment_id = ?";
        params.add(audience.segmentId());
      }
      params.add(campaign.eventsAfter() == null ? 0L : campaign.eventsAfter());
      params.add(campaign.id());
      params.add(chunkSize);
      List<Event> events = jdbc.query("select e.event_key, e.customer_key, c.customer_id, e.from_tier, e.to_tier, "
              + "e.tier_change from segment_event e join customer c on c.customer_key = e.customer_key "
              + "where e.kind = ?" + segment + " and e.event_key > ? and not exists (select 1 from campaign_trigger t "
              + "where t.campaign_key = ? and t.event_key = e.event_key) order by e.event_key fetch first ? rows only",
          (rs, row) -> new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6)), params.toArray());
      if (events.isEmpty()) {
        return;
      }
      if (!consumeChunk(campaign, audience, events, tier, counts)) {
        return; // another node is consuming the same events
      }
      if (events.size() < chunkSize) {
        return;
      }
    }
  }

  private boolean consumeChunk(Campaign campaign, Audiences.Audience audience, List<Event> events, boolean tier,
      Map<Enrollments.Outcome, Integer> counts) {
    for (int attempt = 1; ; attempt++) {
      Map<Enrollments.Outcome, Integer> chunkCounts = new EnumMap<>(Enrollments.Outcome.class);
      try {
        Boolean consumed = chunkTransaction.execute(tx -> {
          Instant now = clock.instant();
          try {
            jdbc.batchUpdate("insert into campaign_trigger (campaign_key, event_key, outcome, decided_at) "
                    + "values (?, ?, 'PENDING', ?)",
                events.stream().map(e -> new Object[] {campaign.id(), e.eventKey(), Timestamps.utc(now)}).toList());
          } catch (DuplicateKeyException taken) {
            tx.setRollbackOnly();
            return false;
          }
          Campaign current = campaigns.find(campaign.id()).orElseThrow();
          for (Event event : events) {
            if (event.customerId() == null) {
              outcome(campaign, event, "CUSTOMER_ERASED", null);
              continue;
            }
            Map<String, Object> variables = new LinkedHashMap<>();
            if (tier) {
              variables.put("previousTier", Variables.stringValue(event.fromTier()));
              variables.put("newTier", Variables.stringValue(event.toTier()));
            }
            Enrollments.Entry entry = enrollments.enter(current, event.customerKey(), event.customerId(),
                "event:" + event.eventKey(), null, variables, audience);
            chunkCounts.merge(entry.outcome(), 1, Integer::sum);
            outcome(campaign, event, entry.outcome().name(),
                entry.outcome() == Enrollments.Outcome.ENROLLED ? entry.enrollmentKey() : null);
          }
          return true;
        });
        chunkCounts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
        return Boolean.TRUE.equals(consumed);
      } catch (DuplicateKeyException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void outcome(Campaign campaign, Event event, String outcome, Long enrollmentKey) {
    jdbc.update("update campaign_trigger set outcome = ?, enrollment_key = ? where campaign_key = ? and event_key = ?",
        outcome, enrollmentKey, campaign.id(), event.eventKey());
  }

  /**
   * Enters the audience's current members when the campaign's period has passed since its last
   * recurring entry. The claim on the period is taken first, so one node in the cluster does it.
   */
  void enterRecurring(Campaign campaign, Map<Enrollments.Outcome, Integer> counts) {
    Instant now = clock.instant();
    Instant dueBefore = now.minus(CampaignSettings.durationOf(campaign.settings().trigger().every()));
    int claimed = jdbc.update("update campaign set last_recurring_at = ? where campaign_key = ? and state = 'ACTIVE' "
        + "and (last_recurring_at is null or last_recurring_at <= ?)", Timestamps.utc(now), campaign.id(),
        Timestamps.utc(dueBefore));
    if (claimed == 0) {
      return;
    }
    try {
      enterMembers(campaign, counts);
    } catch (RuntimeException e) {
      // give the period back, so the next run repeats it rather than waiting a whole period
      jdbc.update("update campaign set last_recurring_at = ? where campaign_key = ? and last_recurring_at = ?",
          campaign.lastRecurringAt() == null ? null : Timestamps.utc(campaign.lastRecurringAt()), campaign.id(),
          Timestamps.utc(now));
      throw e;
    }
  }

  /** Enters every current member of the audience (recurring entry, or an operator's bulk entry). */
  void enterMembers(Campaign campaign, Map<Enrollments.Outcome, Integer> counts) {
    Audiences.Audience audience = starts.audience(campaign);
    long after = 0;
    while (true) {
      List<Audiences.Member> members = audiences.members(audience, after, chunkSize);
      if (members.isEmpty()) {
        return;
      }
      enterChunk(campaign, members, counts);
      after = members.get(members.size() - 1).customerKey();
      if (members.size() < chunkSize) {
        return;
      }
    }
  }

  private void enterChunk(Campaign campaign, List<Audiences.Member> members, Map<Enrollments.Outcome, Integer> counts) {
    String cause = "recurring:" + Timestamps.utc(clock.instant()).toLocalDate();
    for (int attempt = 1; ; attempt++) {
      Map<Enrollments.Outcome, Integer> chunkCounts = new EnumMap<>(Enrollments.Outcome.class);
      try {
        chunkTransaction.executeWithoutResult(tx -> {
          Campaign current = campaigns.find(campaign.id()).orElseThrow();
          if (current.state() != Campaign.State.ACTIVE) {
            return;
          }
          for (Audiences.Member member : members) {
            // membership was just read with the audience's conditions: no second check per customer
            Enrollments.Entry entry = enrollments.enter(current, member.customerKey(), member.customerId(), cause, null,
                Map.of(), null);
            chunkCounts.merge(entry.outcome(), 1, Integer::sum);
          }
        });
        chunkCounts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
        return;
      } catch (DuplicateKeyException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
