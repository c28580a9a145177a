package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.order.OrdersRecorded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enters the cross-sell offer ({@link CrossSellProcess}) after a customer's new order (trigger ORDER_PLACED).
 *
 * <p>When orders are recorded, each customer of the batch enters each active ORDER_PLACED campaign with their
 * latest order of the batch (placement time, ties by order id) that was placed at most the campaign's
 * {@code trigger.orderMaxAge} (default P3D) before Loyalflow recorded it: an import of old orders enters nobody.
 * The journey starts with {@code orderId} and {@code entryOrderPlacedAt}; {@link OrderGoal} does not count that
 * order, nor older ones, as the order that converts it.
 *
 * <p>One journey per customer and campaign at a time: a new order while the customer's journey runs first ends
 * that journey (the order goal, told here so the outcome does not depend on which listener runs first), then
 * enters the customer again with the new order, as the re-entry policy allows (AFTER_EXIT by default). Each
 * customer is handled in a transaction of its own, under the customer's row lock; the enrollment's idempotency key
 * {@code order:<orderId>} makes a resubmitted event enter nobody twice.
 */
@Component
class CrossSellEntry {

    static final String LISTENER_ID = "journey.cross-sell-entry";
    private static final Logger log = LoggerFactory.getLogger(CrossSellEntry.class);

    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final JourneyStarts starts;
    private final CustomerQueries customers;
    private final JourneyFacts facts;
    private final OrderGoal goal;
    private final TransactionTemplate transactions;

    CrossSellEntry(
            Campaigns campaigns,
            Enrollments enrollments,
            JourneyStarts starts,
            CustomerQueries customers,
            JourneyFacts facts,
            OrderGoal goal,
            TransactionTemplate transactions) {
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.starts = starts;
        this.customers = customers;
        this.facts = facts;
        this.goal = goal;
        this.transactions = transactions;
    }

    static String idempotencyKey(String orderId) {
        return "order:" + orderId;
    }

    @ApplicationModuleListener(id = LISTENER_ID, propagation = Propagation.NOT_SUPPORTED)
    void onOrders(OrdersRecorded recorded) {
        List<Campaign> offering = campaigns.all().stream()
                .filter(c -> c.state() == Campaign.State.ACTIVE
                        && c.settings().trigger().type() == CampaignSettings.TriggerType.ORDER_PLACED)
                .toList();
        if (offering.isEmpty()) {
            return; // no cross-sell campaign: imports cost nothing here
        }
        Duration oldest = offering.stream()
                .map(c -> c.settings().trigger().orderMaxAgeOrDefault())
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Map<Long, List<OrdersRecorded.Order>> byCustomer = new TreeMap<>();
        for (OrdersRecorded.Order order : recorded.orders()) {
            // history (an import) enters nobody: its customers take no lock and no transaction here
            if (Duration.between(order.placedAt(), recorded.recordedAt()).compareTo(oldest) <= 0) {
                byCustomer
                        .computeIfAbsent(order.customerKey(), key -> new ArrayList<>())
                        .add(order);
            }
        }
        RuntimeException failure = null;
        int failed = 0;
        for (Map.Entry<Long, List<OrdersRecorded.Order>> customer : byCustomer.entrySet()) {
            try {
                transactions.executeWithoutResult(
                        tx -> offer(customer.getKey(), customer.getValue(), recorded.recordedAt(), offering));
            } catch (RuntimeException e) {
                failed++;
                failure = failure == null ? e : failure;
                log.warn(
                        "Entering customer {} into the cross-sell after their order(s) failed; the event is resubmitted",
                        customer.getKey(),
                        e);
            }
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "The cross-sell could not handle the orders of " + failed + " of " + byCustomer.size()
                            + " customers",
                    failure);
        }
    }

    private void offer(
            long customerKey, List<OrdersRecorded.Order> orders, Instant recordedAt, List<Campaign> offering) {
        if (!customers.lockByKey(customerKey)) {
            return;
        }
        Optional<String> customerId = customers.idOf(customerKey);
        if (customerId.isEmpty()) {
            return; // erased
        }
        boolean told = false;
        for (Campaign campaign : offering) {
            Duration maxAge = campaign.settings().trigger().orderMaxAgeOrDefault();
            Optional<OrdersRecorded.Order> latest = orders.stream()
                    .filter(o -> Duration.between(o.placedAt(), recordedAt).compareTo(maxAge) <= 0)
                    .max(Comparator.comparing(OrdersRecorded.Order::placedAt)
                            .thenComparing(OrdersRecorded.Order::orderId));
            if (latest.isEmpty()
                    || enrollments
                            .enrolled(campaign.id(), idempotencyKey(latest.get().orderId()))
                            .isPresent()) {
                continue; // history, or entered by this order before (a resubmitted event)
            }
            if (!told && runsBefore(customerKey, campaign, recordedAt)) {
                goal.reachGoals(customerKey, orders, recordedAt);
                told = true;
            }
            OrdersRecorded.Order order = latest.get();
            Map<String, Object> variables = new LinkedHashMap<>();
            JourneyVariables.ORDER_ID.on(variables).set(order.orderId());
            JourneyVariables.ENTRY_ORDER_PLACED_AT
                    .on(variables)
                    .set(order.placedAt().toString());
            enrollments.enter(
                    campaign,
                    customerKey,
                    customerId.get(),
                    "order",
                    idempotencyKey(order.orderId()),
                    variables,
                    starts.audience(campaign));
        }
    }

    /** Whether the customer is in a journey of the campaign that these orders concern (it entered before them). */
    private boolean runsBefore(long customerKey, Campaign campaign, Instant recordedAt) {
        return facts.running(customerKey).stream()
                .anyMatch(j -> j.campaignKey().equals(campaign.id()) && j.enteredBy(recordedAt));
    }
}
