package io.loyalflow.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What each of Loyalflow's meters means, in one place: the text Prometheus shows as the meter's
 * {@code # HELP} line and operations.md lists. A meter registered with a description of its own keeps
 * it; every {@code loyalflow.*} meter without one gets its text here (a test fails for a meter named
 * in the code that has neither).
 */
@Component
public class MeterDescriptions implements MeterFilter {

    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(
                    "loyalflow.orders",
                    "Orders received, by source (api, import, demo) and outcome (created, "
                            + "unchanged, conflict, rejected)"),
            Map.entry(
                    "loyalflow.journeys.entries",
                    "Attempts to enter a customer into a campaign, by campaign and "
                            + "outcome (ENROLLED, ALREADY_ACTIVE, ENTERED_BEFORE, TOO_SOON, NOT_IN_AUDIENCE)"),
            Map.entry(
                    "loyalflow.journeys.exits",
                    "Journeys that ended, by campaign and exit outcome (CONVERTED, "
                            + "LAPSED, CANCELLED, NOT_UPGRADED, ...), including journeys that end within their start"),
            Map.entry("loyalflow.audiences", "Ad audiences synced to Meta Custom Audiences"),
            Map.entry(
                    "loyalflow.audiences.members.sent",
                    "Members added to an ad audience at Meta (adds and full replaces) since it began, by audience: "
                            + "the status API's membersSent, read from the database (every node reports the same)"),
            Map.entry(
                    "loyalflow.audiences.removals",
                    "Members removed from an ad audience at Meta since it began, by audience"),
            Map.entry(
                    "loyalflow.audiences.batches",
                    "Requests sent to an ad audience's provider (add, remove and replace batches of at most 10,000), "
                            + "by audience"),
            Map.entry(
                    "loyalflow.audiences.errors",
                    "Failed requests to an ad audience's provider, by audience (each retried with backoff; an "
                            + "incident when the retries ran out)"),
            Map.entry(
                    "loyalflow.audiences.last.batch",
                    "When an ad audience's last batch was sent, seconds since the epoch (0 before the first), by "
                            + "audience"),
            Map.entry(
                    "loyalflow.audiences.flagged",
                    "1 while Meta has flagged an ad audience (operation_status 471) and its sync is stopped, by "
                            + "audience"),
            Map.entry(
                    "loyalflow.retention.deleted",
                    "Rows the storage-cleanup process deleted because they outlived their retention period, by table"),
            Map.entry(
                    "loyalflow.retention.batches",
                    "Batches (one transaction each) the storage-cleanup process ran, by cleanup"),
            Map.entry(
                    "loyalflow.recommendations.refresh",
                    "Recommendation refreshes that built and published a model, and how long they took"),
            Map.entry(
                    "loyalflow.carts.changes",
                    "Cart changes received from shops, by outcome (applied, not-newer, rejected)"),
            Map.entry(
                    "loyalflow.security.authentication.cache",
                    "HTTP Basic authentications answered from the few seconds' memory of successful checks (hit) "
                            + "or checked by the identity service (miss)"),
            Map.entry(
                    "loyalflow.carts.journey-signals",
                    "Cart changes handed to journeys by the cart sweep, by result (ENTERED, REPLACED, RESTARTED, "
                            + "CLOSED, NOT_ENTERED, NOTHING, ANONYMOUS, SKIPPED)"),
            Map.entry(
                    "loyalflow.journeys.consistency.findings",
                    "Things the journey consistency check found, by kind "
                            + "(ENROLLMENT_WITHOUT_JOURNEY, JOURNEY_WITHOUT_ENROLLMENT)"),
            Map.entry(
                    "loyalflow.campaign.sends",
                    "Messages of the campaign's journeys handed to a provider, by campaign and arm (of the "
                            + "campaign's first A/B split; none without), counted every few minutes from the deliveries"),
            Map.entry(
                    "loyalflow.campaign.opens",
                    "Messages of the campaign's journeys opened by a person (machine opens apart), by campaign and arm"),
            Map.entry(
                    "loyalflow.campaign.clicks",
                    "Messages of the campaign's journeys clicked at least once, by campaign and arm"),
            Map.entry(
                    "loyalflow.campaign.conversions",
                    "Orders attributed to the campaign's journeys by the campaign report's rule, by campaign and arm"),
            Map.entry(
                    "loyalflow.messaging.sends",
                    "Messages the send steps handled, by channel (email, sms) and "
                            + "outcome (SENT, UNKNOWN, FAILED, SKIPPED, DEFERRED, ...)"),
            Map.entry(
                    "loyalflow.messaging.deferred.resumed",
                    "Waiting send steps the deferred-sends sweep resumed at " + "their window's opening"),
            Map.entry(
                    "loyalflow.messaging.deferred.cancelled",
                    "Deferred messages closed as CANCELLED because their "
                            + "journey ended or moved on before the window opened"),
            Map.entry(
                    "loyalflow.messaging.correlations",
                    "Engagement messages (open, click, bounce, SMS status) for "
                            + "journeys, by message and result (woke: a waiting journey went on; waiting: none waited yet)"),
            Map.entry(
                    "loyalflow.webhooks.events",
                    "Provider webhook events received, by source (sendgrid, "
                            + "twilio_status, twilio_inbound) and result (stored, duplicate)"),
            Map.entry(
                    "loyalflow.webhooks.applied",
                    "Stored provider webhook events applied to deliveries, "
                            + "suppressions, consents and journeys, by source and outcome (APPLIED, UNKNOWN_MESSAGE, OPTED_OUT, "
                            + "ERROR, ...)"),
            Map.entry(
                    "loyalflow.events.resubmitted",
                    "Event publications resubmitted to their listener (at start, or "
                            + "because they stayed incomplete)"),
            Map.entry(
                    "loyalflow.events.incomplete",
                    "Event publications whose listener has not succeeded yet (queued, "
                            + "running, failed, or left by a stopped node)"),
            Map.entry(
                    "loyalflow.events.incomplete.oldest.age",
                    "Age of the oldest incomplete event publication (0 when "
                            + "none); one that keeps growing is stuck"),
            Map.entry("loyalflow.segments.retiering", "Time to re-tier a customer after an order"),
            Map.entry(
                    "loyalflow.segments.retiering.failures",
                    "Re-tierings after an order that failed (the next " + "segment refresh corrects the tier)"));

    /** The description of a Loyalflow meter, or null when it has none here. */
    public static String of(String meterName) {
        return DESCRIPTIONS.get(meterName);
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = id.getDescription() == null ? DESCRIPTIONS.get(id.getName()) : null;
        return description == null
                ? id
                : new Meter.Id(
                        id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
    }
}
