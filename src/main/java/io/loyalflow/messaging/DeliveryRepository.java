package io.loyalflow.messaging;

import static io.loyalflow.platform.db.Timestamps.instant;
import static io.loyalflow.platform.db.Timestamps.utc;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The outbox: deliveries and suppressions in Loyalflow's own tables (portable SQL). */
@Repository
public class DeliveryRepository {

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The recipient as the gate and the renderer see them; the referral fields are null when the
     * referral program has not reported on the customer.
     */
    public record Recipient(
            long customerKey,
            String customerId,
            String email,
            String phone,
            String firstName,
            String lastName,
            ZoneId zone,
            ConsentStatus consent,
            SuppressionReason suppression,
            int recentSends,
            Instant oldestRecentSend,
            String referralShareUrl,
            Integer successfulReferrals,
            BigDecimal extendedRevenue) {

        public String address(Channel channel) {
            return channel == Channel.EMAIL ? email : phone;
        }

        public SendGate.GateFacts facts(Channel channel) {
            return new SendGate.GateFacts(
                    customerKey, channel, address(channel), consent, suppression, recentSends, oldestRecentSend, zone);
        }
    }

    /**
     * Everything the gate needs about a customer and channel in one round trip: profile, referral
     * statistics, consent, suppression of the address, and the sends counted toward the cap since
     * {@code capWindowStart} (by the moment each was claimed for sending: a message deferred for days
     * counts from when it went out).
     */
    public Optional<Recipient> recipient(
            String customerId, Channel channel, Instant capWindowStart, ZoneId defaultZone) {
        String addressColumn = channel == Channel.EMAIL ? "lower(c.email)" : "c.phone";
        return jdbc.sql(
                        "select c.customer_key, c.customer_id, c.email, c.phone, c.first_name, c.last_name, c.time_zone, "
                                + "c.phone_time_zone, cc.status consent, s.reason suppression, r.share_url, r.successful_referrals, "
                                + "r.extended_revenue, "
                                + "(select count(*) from delivery d where d.customer_key = c.customer_key and d.channel = ? and d.counted "
                                + "  and d.claimed_at > ?) recent, "
                                + "(select min(d.claimed_at) from delivery d where d.customer_key = c.customer_key and d.channel = ? "
                                + "  and d.counted and d.claimed_at > ?) oldest "
                                + "from v_customer_contact c "
                                + "left join v_customer_consent cc on cc.customer_key = c.customer_key and cc.channel = ? "
                                + "left join suppression s on s.channel = ? and s.address = " + addressColumn + " "
                                + "left join v_customer_referral r on r.customer_key = c.customer_key "
                                + "where c.customer_id = ?")
                .params(
                        channel.key(),
                        utc(capWindowStart),
                        channel.key(),
                        utc(capWindowStart),
                        channel.key(),
                        channel.key(),
                        customerId)
                .query((rs, row) -> {
                    String zone = rs.getString("time_zone");
                    String phoneZone = rs.getString("phone_time_zone");
                    String consent = rs.getString("consent");
                    String suppression = rs.getString("suppression");
                    int successfulReferrals = rs.getInt("successful_referrals");
                    Integer referrals = rs.wasNull() ? null : successfulReferrals;
                    return new Recipient(
                            rs.getLong("customer_key"),
                            rs.getString("customer_id"),
                            rs.getString("email"),
                            rs.getString("phone"),
                            rs.getString("first_name"),
                            rs.getString("last_name"),
                            zone != null ? ZoneId.of(zone) : phoneZone != null ? ZoneId.of(phoneZone) : defaultZone,
                            consent == null ? null : ConsentStatus.valueOf(consent),
                            suppression == null ? null : SuppressionReason.valueOf(suppression),
                            rs.getInt("recent"),
                            instant(rs, "oldest"),
                            rs.getString("share_url"),
                            referrals,
                            rs.getBigDecimal("extended_revenue"));
                })
                .optional();
    }

    /** The sends counted toward a customer's cap on a channel since a moment, and the oldest of them. */
    public record CapCount(int recentSends, Instant oldestRecentSend) {}

    /**
     * Counts the customer's sends toward the cap on the channel since {@code capWindowStart}, as
     * {@link #recipient} does. Under {@link #lockCap} it sees every claim committed before the lock was
     * taken.
     */
    public CapCount capCount(long customerKey, Channel channel, Instant capWindowStart) {
        return jdbc.sql("select count(*) recent, min(claimed_at) oldest from delivery "
                        + "where customer_key = ? and channel = ? and counted and claimed_at > ?")
                .params(customerKey, channel.key(), utc(capWindowStart))
                .query((rs, row) -> new CapCount(rs.getInt("recent"), instant(rs, "oldest")))
                .single();
    }

    /**
     * Takes the lock on the customer's sends on the channel until the caller's transaction ends: an
     * update of the customer's {@code send_cap_lock} row, which waits while another transaction holds it
     * (on PostgreSQL and H2 alike). False when the row does not exist yet ({@link #createCapLock}).
     */
    public boolean lockCap(long customerKey, Channel channel, Instant now) {
        return jdbc.sql("update send_cap_lock set last_claim_at = ? where customer_key = ? and channel = ?")
                        .params(utc(now), customerKey, channel.key())
                        .update()
                == 1;
    }

    /**
     * Creates the customer's lock row for the channel, committed on its own before it is locked; a row
     * another transaction created at the same time is as good.
     */
    public void createCapLock(long customerKey, Channel channel, Instant now) {
        try {
            jdbc.sql("insert into send_cap_lock (customer_key, channel, last_claim_at) values (?, ?, ?)")
                    .params(customerKey, channel.key(), utc(now))
                    .update();
        } catch (DuplicateKeyException alreadyThere) {
            // created by a concurrent send: lock that one
        }
    }

    /** A new delivery row. */
    public record NewDelivery(
            String deliveryId,
            String processInstanceId,
            String stepKey,
            String activityId,
            String processDefinitionKey,
            String businessKey,
            String campaign,
            Long customerKey,
            Channel channel,
            String address,
            String templateId,
            String content,
            boolean test,
            GateDecision gateDecision,
            String gateDetail,
            DeliveryStatus status,
            String provider,
            Instant retryAt,
            Instant now) {}

    /** Inserts the row; throws DuplicateKeyException when the step already has one. */
    public void insert(NewDelivery d) {
        jdbc.sql(
                        "insert into delivery (delivery_id, process_instance_id, step_key, activity_id, process_definition_key, "
                                + "business_key, campaign, customer_key, channel, address, template_id, content, test, gate_decision, "
                                + "gate_detail, status, counted, provider, attempts, retry_at, claimed_at, created_at, updated_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        d.deliveryId(),
                        d.processInstanceId(),
                        d.stepKey(),
                        d.activityId(),
                        d.processDefinitionKey(),
                        d.businessKey(),
                        d.campaign(),
                        d.customerKey(),
                        d.channel().key(),
                        d.address(),
                        d.templateId(),
                        truncate(d.content(), 8000),
                        d.test(),
                        d.gateDecision().name(),
                        truncate(d.gateDetail(), 500),
                        d.status().name(),
                        d.status() == DeliveryStatus.SENDING && !d.test(),
                        d.provider(),
                        d.status() == DeliveryStatus.SENDING ? 1 : 0,
                        utc(d.retryAt()),
                        d.status() == DeliveryStatus.SENDING ? utc(d.now()) : null,
                        utc(d.now()),
                        utc(d.now()))
                .update();
    }

    /** The step's delivery as recorded, for a retried or raced step. */
    public record StepDelivery(String deliveryId, DeliveryStatus status, Instant updatedAt, Instant retryAt) {}

    public Optional<StepDelivery> findByStep(String processInstanceId, String stepKey) {
        return jdbc.sql("select delivery_id, status, updated_at, retry_at from delivery "
                        + "where process_instance_id = ? and step_key = ?")
                .params(processInstanceId, stepKey)
                .query((rs, row) -> new StepDelivery(
                        rs.getString("delivery_id"),
                        DeliveryStatus.valueOf(rs.getString("status")),
                        instant(rs, "updated_at"),
                        instant(rs, "retry_at")))
                .optional();
    }

    /**
     * Takes a delivery that has not been sent (RETRYABLE after a provider failure, DEFERRED until now,
     * CANCELLED when its journey left the step and came back) for an attempt; false when it is no longer
     * in status {@code from} (another node took it first).
     */
    public boolean claim(
            String deliveryId,
            DeliveryStatus from,
            GateDecision decision,
            String gateDetail,
            String content,
            Instant now) {
        return jdbc.sql("update delivery set status = 'SENDING', counted = not test, attempts = attempts + 1, "
                                + "gate_decision = ?, gate_detail = ?, content = ?, error = null, waiting_execution_id = null, "
                                + "claimed_at = ?, updated_at = ? where delivery_id = ? and status = ?")
                        .params(
                                decision.name(),
                                truncate(gateDetail, 500),
                                truncate(content, 8000),
                                utc(now),
                                utc(now),
                                deliveryId,
                                from.name())
                        .update()
                == 1;
    }

    /**
     * A delivery not sent yet that the gate now refuses (SKIPPED) or defers (again): it is not sent now.
     * False when it is no longer in status {@code from}.
     */
    public boolean close(
            String deliveryId,
            DeliveryStatus from,
            GateDecision decision,
            String gateDetail,
            DeliveryStatus status,
            Instant retryAt,
            Instant now) {
        return jdbc.sql(
                                "update delivery set status = ?, counted = false, gate_decision = ?, gate_detail = ?, retry_at = ?, "
                                        + "waiting_execution_id = null, updated_at = ? where delivery_id = ? and status = ?")
                        .params(
                                status.name(),
                                decision.name(),
                                truncate(gateDetail, 500),
                                utc(retryAt),
                                utc(now),
                                deliveryId,
                                from.name())
                        .update()
                == 1;
    }

    // ---- deferred deliveries and the send steps waiting for them

    /**
     * Records the execution waiting at the send step for a DEFERRED delivery. Runs in the caller's
     * transaction (the send job's): the sweep only sees a waiting execution the engine has committed.
     */
    public void markWaiting(String deliveryId, String executionId) {
        jdbc.sql("update delivery set waiting_execution_id = ? where delivery_id = ? and status = 'DEFERRED'")
                .params(executionId, deliveryId)
                .update();
    }

    /** A deferred delivery whose window has opened, and where its journey waits. */
    public record DueDeferral(String deliveryId, String processInstanceId, String activityId, String executionId) {}

    /** Due DEFERRED deliveries with a waiting step, the longest-waiting first. */
    public List<DueDeferral> dueDeferrals(Instant now, int limit) {
        return jdbc.sql("select delivery_id, process_instance_id, activity_id, waiting_execution_id from delivery "
                        + "where status = 'DEFERRED' and retry_at <= ? and waiting_execution_id is not null "
                        + "order by retry_at, delivery_seq fetch first " + limit + " rows only")
                .params(utc(now))
                .query((rs, row) -> new DueDeferral(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /**
     * Takes a due deferral for resuming: true when it still waits with this execution and this caller
     * now holds it until its transaction ends. On PostgreSQL a row another node holds is skipped at once
     * ({@code skip locked}); on H2 the update's compare-and-set decides.
     */
    public boolean takeDeferral(DueDeferral due, boolean skipLocked, Instant now) {
        if (skipLocked
                && jdbc.sql("select delivery_id from delivery where delivery_id = ? and status = 'DEFERRED' "
                                + "and waiting_execution_id = ? for update skip locked")
                        .params(due.deliveryId(), due.executionId())
                        .query(String.class)
                        .optional()
                        .isEmpty()) {
            return false;
        }
        return jdbc.sql("update delivery set waiting_execution_id = null, updated_at = ? "
                                + "where delivery_id = ? and status = 'DEFERRED' and waiting_execution_id = ?")
                        .params(utc(now), due.deliveryId(), due.executionId())
                        .update()
                == 1;
    }

    /** A deferred delivery nobody waits for any more: closed, not sent. */
    public void cancelDeferred(String deliveryId, String reason, Instant now) {
        jdbc.sql("update delivery set status = 'CANCELLED', waiting_execution_id = null, error = ?, updated_at = ? "
                        + "where delivery_id = ? and status = 'DEFERRED'")
                .params(truncate(reason, 1000), utc(now), deliveryId)
                .update();
    }

    /** A send that was interrupted (the node died, or the outcome was never written): UNKNOWN, not resent. */
    public boolean markInterrupted(String deliveryId, Instant stillSendingBefore, Instant now) {
        return jdbc.sql("update delivery set status = 'UNKNOWN', error = ?, updated_at = ? "
                                + "where delivery_id = ? and status = 'SENDING' and updated_at < ?")
                        .params(
                                "the send was interrupted before its outcome was recorded; it may have gone out",
                                utc(now),
                                deliveryId,
                                utc(stillSendingBefore))
                        .update()
                == 1;
    }

    public void recordAccepted(String deliveryId, DeliveryStatus status, String providerMessageId, Instant now) {
        jdbc.sql("update delivery set status = ?, provider_message_id = ?, sent_at = ?, updated_at = ? "
                        + "where delivery_id = ? and status = 'SENDING'")
                .params(status.name(), providerMessageId, utc(now), utc(now), deliveryId)
                .update();
    }

    public void recordRetryable(String deliveryId, String error, Instant now) {
        jdbc.sql("update delivery set status = 'RETRYABLE', counted = false, error = ?, updated_at = ? "
                        + "where delivery_id = ? and status = 'SENDING'")
                .params(truncate(error, 1000), utc(now), deliveryId)
                .update();
    }

    public void recordFailed(String deliveryId, String error, Instant now) {
        jdbc.sql("update delivery set status = 'FAILED', counted = false, error = ?, updated_at = ? "
                        + "where delivery_id = ? and status = 'SENDING'")
                .params(truncate(error, 1000), utc(now), deliveryId)
                .update();
    }

    public void recordUnknown(String deliveryId, String error, Instant now) {
        jdbc.sql("update delivery set status = 'UNKNOWN', error = ?, updated_at = ? "
                        + "where delivery_id = ? and status = 'SENDING'")
                .params(truncate(error, 1000), utc(now), deliveryId)
                .update();
    }

    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
