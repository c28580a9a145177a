package io.loyalflow.messaging;

import io.loyalflow.platform.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads deliveries with their history for the API. */
@Repository
public class DeliveryQueries {

    private static final String SELECT =
            "select d.*, c.customer_id from delivery d " + "left join v_customer c on c.customer_key = d.customer_key ";

    private final NamedParameterJdbcTemplate jdbc;

    DeliveryQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<DeliveryView> find(String deliveryId) {
        List<DeliveryView> found =
                withHistory(jdbc.query(SELECT + "where d.delivery_id = :id", Map.of("id", deliveryId), this::row));
        return found.stream().findFirst();
    }

    /** The messages one journey meant to send, in order, with status history and engagement. */
    public List<DeliveryView> ofJourney(String processInstanceId) {
        return withHistory(jdbc.query(
                SELECT + "where d.process_instance_id = :id order by d.delivery_seq",
                Map.of("id", processInstanceId),
                this::row));
    }

    /**
     * A journey's message as it left Loyalflow (sent, or recorded by the {@code log} provider), for features
     * that follow sends as a provider would see them (the demo's engagement simulator). No test sends.
     */
    public record Sent(
            String deliveryId,
            String channel,
            String campaign,
            String activityId,
            String address,
            String customerId,
            String providerMessageId,
            Instant sentAt) {}

    /** The journeys' messages of these campaigns sent at or after {@code since}, oldest first, at most {@code limit}. */
    public List<Sent> sentSince(Collection<String> campaigns, Instant since, int limit) {
        if (campaigns.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                "select d.delivery_id, d.channel, d.campaign, d.activity_id, d.address, c.customer_id, "
                        + "d.provider_message_id, d.sent_at from delivery d "
                        + "left join v_customer c on c.customer_key = d.customer_key "
                        + "where d.campaign in (:campaigns) and d.test = false and d.sent_at >= :since "
                        + "order by d.sent_at, d.delivery_id limit :limit",
                new MapSqlParameterSource("campaigns", campaigns)
                        .addValue("since", Timestamps.utc(since))
                        .addValue("limit", limit),
                (rs, row) -> new Sent(
                        rs.getString("delivery_id"),
                        rs.getString("channel"),
                        rs.getString("campaign"),
                        rs.getString("activity_id"),
                        rs.getString("address"),
                        rs.getString("customer_id"),
                        rs.getString("provider_message_id"),
                        Timestamps.instant(rs, "sent_at")));
    }

    /** Newest first, keyset-paged on the delivery sequence. */
    DeliveryView.Page ofCustomer(String customerId, Long before, int limit) {
        var params = new MapSqlParameterSource("customerId", customerId)
                .addValue("limit", limit + 1)
                .addValue("before", before == null ? Long.MAX_VALUE : before);
        List<SeqView> rows = jdbc.query(
                SELECT + "where c.customer_id = :customerId and d.delivery_seq < :before "
                        + "order by d.delivery_seq desc limit :limit",
                params,
                this::seqRow);
        return page(rows, limit);
    }

    /** Searchable by campaign, status and channel; newest first. */
    DeliveryView.Page search(String campaign, String status, String channel, Long before, int limit) {
        StringBuilder where = new StringBuilder("where d.delivery_seq < :before");
        var params = new MapSqlParameterSource("limit", limit + 1)
                .addValue("before", before == null ? Long.MAX_VALUE : before);
        if (campaign != null) {
            where.append(" and d.campaign = :campaign");
            params.addValue("campaign", campaign);
        }
        if (status != null) {
            where.append(" and d.status = :status");
            params.addValue("status", status);
        }
        if (channel != null) {
            where.append(" and d.channel = :channel");
            params.addValue("channel", channel);
        }
        List<SeqView> rows =
                jdbc.query(SELECT + where + " order by d.delivery_seq desc limit :limit", params, this::seqRow);
        return page(rows, limit);
    }

    private record SeqView(long seq, DeliveryView view) {}

    private DeliveryView.Page page(List<SeqView> rows, int limit) {
        boolean more = rows.size() > limit;
        List<SeqView> shown = more ? rows.subList(0, limit) : rows;
        List<DeliveryView> views = withHistory(shown.stream().map(SeqView::view).toList());
        return new DeliveryView.Page(views, more ? shown.get(shown.size() - 1).seq() : null);
    }

    private List<DeliveryView> withHistory(List<DeliveryView> views) {
        if (views.isEmpty()) {
            return views;
        }
        Map<String, List<DeliveryView.Event>> history = new HashMap<>();
        jdbc.query(
                "select * from delivery_event where delivery_id in (:ids) order by event_key",
                Map.of("ids", views.stream().map(DeliveryView::deliveryId).toList()),
                rs -> {
                    history.computeIfAbsent(rs.getString("delivery_id"), id -> new ArrayList<>())
                            .add(new DeliveryView.Event(
                                    rs.getString("kind"),
                                    rs.getString("detail"),
                                    Timestamps.instant(rs, "occurred_at"),
                                    Timestamps.instant(rs, "recorded_at"),
                                    rs.getString("message_name"),
                                    rs.getString("correlation"),
                                    Timestamps.instant(rs, "correlated_at")));
                });
        return views.stream()
                .map(v -> new DeliveryView(
                        v.deliveryId(),
                        v.channel(),
                        v.campaign(),
                        v.customerId(),
                        v.processInstanceId(),
                        v.businessKey(),
                        v.activityId(),
                        v.step(),
                        v.address(),
                        v.templateId(),
                        v.content(),
                        v.test(),
                        v.gateDecision(),
                        v.gateDetail(),
                        v.status(),
                        v.provider(),
                        v.providerMessageId(),
                        v.attempts(),
                        v.error(),
                        v.retryAt(),
                        v.createdAt(),
                        v.sentAt(),
                        v.engagement(),
                        history.getOrDefault(v.deliveryId(), List.of())))
                .toList();
    }

    private SeqView seqRow(ResultSet rs, int row) throws SQLException {
        return new SeqView(rs.getLong("delivery_seq"), row(rs, row));
    }

    private DeliveryView row(ResultSet rs, int row) throws SQLException {
        return new DeliveryView(
                rs.getString("delivery_id"),
                rs.getString("channel"),
                rs.getString("campaign"),
                rs.getString("customer_id"),
                rs.getString("process_instance_id"),
                rs.getString("business_key"),
                rs.getString("activity_id"),
                rs.getString("step_key"),
                rs.getString("address"),
                rs.getString("template_id"),
                rs.getString("content"),
                rs.getBoolean("test"),
                rs.getString("gate_decision"),
                rs.getString("gate_detail"),
                rs.getString("status"),
                rs.getString("provider"),
                rs.getString("provider_message_id"),
                rs.getInt("attempts"),
                rs.getString("error"),
                Timestamps.instant(rs, "retry_at"),
                Timestamps.instant(rs, "created_at"),
                Timestamps.instant(rs, "sent_at"),
                new DeliveryView.Engagement(
                        rs.getInt("opens"),
                        rs.getInt("machine_opens"),
                        Timestamps.instant(rs, "first_opened_at"),
                        rs.getInt("clicks"),
                        Timestamps.instant(rs, "first_clicked_at")),
                List.of());
    }

    /** Webhook events as received, e.g. those naming a message Loyalflow does not know. */
    record ProviderEventView(
            long eventKey,
            String source,
            String eventId,
            String eventType,
            String payload,
            Instant receivedAt,
            Instant appliedAt,
            String outcome) {}

    List<ProviderEventView> providerEvents(String outcome, Long before, int limit) {
        var params =
                new MapSqlParameterSource("limit", limit).addValue("before", before == null ? Long.MAX_VALUE : before);
        String where = "where event_key < :before";
        if (outcome != null) {
            where += " and outcome = :outcome";
            params.addValue("outcome", outcome);
        }
        return jdbc.query(
                "select * from provider_event " + where + " order by event_key desc limit :limit",
                params,
                (rs, row) -> new ProviderEventView(
                        rs.getLong("event_key"),
                        rs.getString("source"),
                        rs.getString("event_id"),
                        rs.getString("event_type"),
                        rs.getString("payload"),
                        Timestamps.instant(rs, "received_at"),
                        Timestamps.instant(rs, "applied_at"),
                        rs.getString("outcome")));
    }
}
