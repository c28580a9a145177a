package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.web.Texts;
import io.loyalflow.segment.Audiences;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Journeys another service starts for one customer ({@code POST /api/campaigns/{id}/enrollments}). */
@Service
class JourneyStarts {

    private static final int ATTEMPTS = 3;

    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final Audiences audiences;
    private final TransactionTemplate transactions;
    private final CustomerQueries customers;

    JourneyStarts(
            Campaigns campaigns,
            Enrollments enrollments,
            Audiences audiences,
            TransactionTemplate transactions,
            CustomerQueries customers) {
        this.customers = customers;
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.audiences = audiences;
        this.transactions = transactions;
    }

    /** @param created false when the idempotency key had already started this journey */
    public record Started(boolean created, long enrollmentKey, String processInstanceId, String businessKey) {}

    public Started start(String campaignId, String customerId, String idempotencyKey) {
        Violations violations = new Violations();
        if (customerId == null || customerId.isBlank()) {
            violations.add("customerId", "is required");
        }
        violations.withinLength("customerId", customerId, 100);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 100)) {
            violations.add("idempotencyKey", "must be 1 to 100 characters");
        } else {
            Texts.requireSingleLine(idempotencyKey, "idempotencyKey", violations);
        }
        violations.throwIfAny();
        Campaign campaign = campaigns.get(campaignId);
        if (idempotencyKey != null) {
            Optional<Started> earlier = earlier(campaignId, customerId, idempotencyKey);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (campaign.state() != Campaign.State.ACTIVE) {
            throw Refusal.conflict(
                    "Campaign " + campaignId + " is " + campaign.state() + "; journeys start only in active campaigns.",
                    List.of(new FieldViolation("state", "is " + campaign.state())));
        }
        if (campaign.settings().trigger().type() == CampaignSettings.TriggerType.ORDER_PLACED) {
            // its journeys follow one order, which an API start does not name
            throw Refusal.conflict(
                    "Campaign " + campaignId + " follows orders: its journeys start when an order is recorded "
                            + "(POST /api/orders), not over this API.",
                    List.of(new FieldViolation("campaign", "is entered by ORDER_PLACED")));
        }
        List<Long> keys = customers.keyOf(customerId).stream().toList();
        if (keys.isEmpty()) {
            throw Refusal.invalid("customerId", "no customer " + customerId + " exists");
        }
        Audiences.Audience audience = audience(campaign);
        for (int attempt = 1; ; attempt++) {
            try {
                Object result = transactions.execute(tx -> {
                    // a same-key request that committed before this transaction began is seen here
                    if (idempotencyKey != null) {
                        Optional<Started> earlier = earlier(campaignId, customerId, idempotencyKey);
                        if (earlier.isPresent()) {
                            return earlier.get();
                        }
                    }
                    Campaign locked = campaigns.find(campaignId).orElseThrow();
                    Enrollments.Entry entry = enrollments.enter(
                            locked, keys.get(0), customerId, "api", idempotencyKey, Map.of(), audience);
                    if (entry.outcome() != Enrollments.Outcome.ENROLLED && idempotencyKey != null) {
                        // enter() waited for the customer's lock: a same-key request that held it has committed its
                        // journey by now, visible to this statement though not to the check above
                        Optional<Started> earlier = earlier(campaignId, customerId, idempotencyKey);
                        if (earlier.isPresent()) {
                            return earlier.get();
                        }
                    }
                    return entry;
                });
                if (result instanceof Started started) {
                    return started;
                }
                Enrollments.Entry entry = (Enrollments.Entry) result;
                return switch (entry.outcome()) {
                    case ENROLLED ->
                        new Started(true, entry.enrollmentKey(), entry.processInstanceId(), entry.businessKey());
                    case ALREADY_ACTIVE ->
                        throw Refusal.conflict(
                                "Customer " + customerId
                                        + " is in a journey of campaign " + campaignId + " now (process instance "
                                        + entry.processInstanceId() + ", business key " + entry.businessKey() + ").",
                                List.of(new FieldViolation("customerId", "has an active journey in this campaign")));
                    case ENTERED_BEFORE ->
                        throw Refusal.conflict(
                                "Campaign " + campaignId + " enters a customer once only, and customer " + customerId
                                        + " was entered before.",
                                List.of(new FieldViolation("customerId", "was entered before (re-entry policy ONCE)")));
                    case TOO_SOON ->
                        throw Refusal.conflict(
                                "Campaign " + campaignId + " enters a customer at most "
                                        + "every "
                                        + campaign.settings().reentry().days() + " days; customer " + customerId
                                        + " was entered more recently.",
                                List.of(new FieldViolation(
                                        "customerId", "was entered too recently (re-entry policy EVERY_N_DAYS)")));
                    case NOT_IN_AUDIENCE ->
                        throw Refusal.invalid(
                                "customerId",
                                "customer " + customerId + " is not in the campaign's audience (segment "
                                        + campaign.settings().audience().segment() + ")");
                };
            } catch (DuplicateKeyException e) {
                // a concurrent first entry of this customer, or the same idempotency key: the retry sees it
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Optional<Started> earlier(String campaignId, String customerId, String idempotencyKey) {
        return enrollments.byIdempotencyKey(campaignId, idempotencyKey).map(row -> {
            if (!customerId.equals(row.get("customer_id"))) {
                throw Refusal.conflict(
                        "Idempotency key " + idempotencyKey + " started a journey for another " + "customer.",
                        List.of(new FieldViolation("idempotencyKey", "was used for another customer")));
            }
            return new Started(
                    false,
                    ((Number) row.get("enrollment_key")).longValue(),
                    (String) row.get("process_instance_id"),
                    (String) row.get("business_key"));
        });
    }

    Audiences.Audience audience(Campaign campaign) {
        if (campaign.settings().audience() == null) {
            return null;
        }
        Violations ignored = new Violations();
        return new Audiences.Audience(
                campaign.settings().audience().segment(),
                audiences
                        .narrowing(campaign.settings().audience().conditions(), "settings.audience.conditions", ignored)
                        .orElse(null));
    }
}
