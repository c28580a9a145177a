package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.customer.CustomerRegistered;
import io.loyalflow.order.FirstOrders;
import io.loyalflow.order.OrdersRecorded;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enters the welcome programme ({@link WelcomeProcess}) and keeps it for customers who are really new.
 *
 * <p><b>A real first order</b> (trigger FIRST_ORDER): when orders are recorded, a customer of the batch
 * enters each active FIRST_ORDER welcome campaign if the order of theirs in the batch is their only stored
 * order, and it was placed at most the campaign's {@code trigger.firstOrderMaxAge} (default P3D) before
 * Loyalflow recorded it. An import of old orders therefore makes nobody new (their placement is too old),
 * nor does an order of a customer with stored history. History can also arrive late, after the welcome
 * journey began: whenever the customer's earliest stored order (placement time, ties by order id) is no
 * longer the journey's first order, the running welcome journey receives {@code Msg_NotFirstOrder} and
 * ends as NOT_FIRST_ORDER, so no further welcome e-mail goes out. {@link OrderGoal} does not count such an
 * older order (nor the first order itself) as the second order that converts.
 *
 * <p><b>A new profile</b> (trigger NEW_PROFILE): a profile created over the API, with an e-mail address and
 * e-mail consent, enters each active NEW_PROFILE welcome campaign.
 *
 * <p>Each customer is handled in a transaction of its own, under the customer's row lock (so a batch of
 * history and the batch of the first order, handled at once on two nodes, see each other's outcome). A
 * resubmitted event enters nobody twice: the welcome programme's re-entry policy is ONCE, and the receipt
 * {@code not-first:<orderId>} makes a late order end a journey once.
 */
@Component
class WelcomeEntry {

    static final String FIRST_ORDER_LISTENER_ID = "journey.first-order-entry";
    static final String NEW_PROFILE_LISTENER_ID = "journey.new-profile-entry";
    static final String NOT_FIRST_ORDER = "Msg_NotFirstOrder";
    private static final Logger log = LoggerFactory.getLogger(WelcomeEntry.class);

    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final JourneyStarts starts;
    private final FirstOrders orders;
    private final CustomerQueries customers;
    private final JourneyFacts facts;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    WelcomeEntry(
            Campaigns campaigns,
            Enrollments enrollments,
            JourneyStarts starts,
            FirstOrders orders,
            CustomerQueries customers,
            JourneyFacts facts,
            RuntimeService runtime,
            TransactionTemplate transactions) {
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.starts = starts;
        this.orders = orders;
        this.customers = customers;
        this.facts = facts;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    @ApplicationModuleListener(id = FIRST_ORDER_LISTENER_ID, propagation = Propagation.NOT_SUPPORTED)
    void onOrders(OrdersRecorded recorded) {
        List<Campaign> all = campaigns.all();
        if (all.stream().noneMatch(c -> CampaignSettings.WELCOME_TEMPLATE.equals(c.template()))) {
            return; // no welcome campaign, so no welcome journey to enter or to end: imports cost nothing here
        }
        List<Campaign> welcoming = welcoming(all, CampaignSettings.TriggerType.FIRST_ORDER);
        Map<Long, Set<String>> byCustomer = new TreeMap<>();
        for (OrdersRecorded.Order order : recorded.orders()) {
            byCustomer
                    .computeIfAbsent(order.customerKey(), key -> new TreeSet<>())
                    .add(order.orderId());
        }
        RuntimeException failure = null;
        int failed = 0;
        for (Map.Entry<Long, Set<String>> customer : byCustomer.entrySet()) {
            try {
                transactions.executeWithoutResult(
                        tx -> welcome(customer.getKey(), customer.getValue(), recorded.recordedAt(), welcoming));
            } catch (RuntimeException e) {
                failed++;
                failure = failure == null ? e : failure;
                log.warn(
                        "Welcoming customer {} after order(s) {} failed; the event is resubmitted",
                        customer.getKey(),
                        customer.getValue(),
                        e);
            }
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "The welcome programme could not handle the orders of " + failed + " of " + byCustomer.size()
                            + " customers",
                    failure);
        }
    }

    @ApplicationModuleListener(id = NEW_PROFILE_LISTENER_ID)
    void onRegistered(CustomerRegistered registered) {
        List<Campaign> welcoming = welcoming(campaigns.all(), CampaignSettings.TriggerType.NEW_PROFILE);
        if (welcoming.isEmpty() || !customers.lockByKey(registered.customerKey())) {
            return;
        }
        Optional<String> customerId = customers.idOf(registered.customerKey());
        boolean reachable = customerId
                .flatMap(customers::journeyFacts)
                .map(f -> f.emailConsent() && f.emailAddress() != null)
                .orElse(false);
        if (!reachable) {
            return;
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        JourneyVariables.FIRST_ORDER_ID.on(variables).set("");
        JourneyVariables.FIRST_ORDER_CATEGORY.on(variables).set("");
        for (Campaign campaign : welcoming) {
            enrollments.enter(
                    campaign,
                    registered.customerKey(),
                    customerId.get(),
                    "new-profile",
                    null,
                    variables,
                    starts.audience(campaign));
        }
    }

    private void welcome(long customerKey, Set<String> batch, Instant recordedAt, List<Campaign> welcoming) {
        if (!customers.lockByKey(customerKey)) {
            return;
        }
        Optional<String> customerId = customers.idOf(customerKey);
        Optional<FirstOrders.StoredOrderRef> earliest = orders.earliest(customerKey);
        if (customerId.isEmpty() || earliest.isEmpty()) {
            return; // erased
        }
        FirstOrders.StoredOrderRef first = earliest.get();
        endJourneysOfLaterOrders(customerKey, first);
        if (!batch.contains(first.orderId()) || orders.count(customerKey) != 1) {
            return; // history, or a customer who has ordered before
        }
        Duration age = Duration.between(first.placedAt(), recordedAt);
        Map<String, Object> variables = new LinkedHashMap<>();
        JourneyVariables.FIRST_ORDER_ID.on(variables).set(first.orderId());
        JourneyVariables.FIRST_ORDER_PLACED_AT
                .on(variables)
                .set(first.placedAt().toString());
        JourneyVariables.FIRST_ORDER_CATEGORY
                .on(variables)
                .set(orders.mainCategory(first.orderId()).orElse(""));
        for (Campaign campaign : welcoming) {
            if (age.compareTo(campaign.settings().trigger().firstOrderMaxAgeOrDefault()) <= 0) {
                enrollments.enter(
                        campaign,
                        customerKey,
                        customerId.get(),
                        "first-order",
                        null,
                        variables,
                        starts.audience(campaign));
            }
        }
    }

    /** Running welcome journeys whose first order is not the customer's earliest one any more end as NOT_FIRST_ORDER. */
    private void endJourneysOfLaterOrders(long customerKey, FirstOrders.StoredOrderRef earliest) {
        for (JourneyFacts.Journey journey : facts.running(customerKey)) {
            Optional<String> firstOrderId = firstOrderOf(journey, JourneyVariables.FIRST_ORDER_ID.name());
            if (firstOrderId.isEmpty()
                    || firstOrderId.get().isEmpty()
                    || firstOrderId.get().equals(earliest.orderId())
                    || !facts.receive(journey.processInstanceId(), "not-first:" + earliest.orderId())) {
                continue;
            }
            runtime.createMessageCorrelation(NOT_FIRST_ORDER)
                    .processInstanceId(journey.processInstanceId())
                    .setVariable(
                            JourneyVariables.EARLIER_ORDER_ID.name(),
                            JourneyVariables.EARLIER_ORDER_ID.value(earliest.orderId()))
                    .correlateAllWithResult();
        }
    }

    /** The active welcome campaigns entered by this trigger. */
    private static List<Campaign> welcoming(List<Campaign> all, CampaignSettings.TriggerType trigger) {
        return all.stream()
                .filter(c -> c.state() == Campaign.State.ACTIVE
                        && CampaignSettings.WELCOME_TEMPLATE.equals(c.template())
                        && c.settings().trigger().type() == trigger)
                .toList();
    }

    /**
     * A variable of a running welcome journey, read by its process instance id; empty for other journeys (only
     * welcome journeys start with the first order's variables) and for journeys that have ended. One query: the
     * order goal asks this for every running journey of a customer who ordered.
     */
    Optional<String> firstOrderOf(JourneyFacts.Journey journey, String variable) {
        VariableInstance value = runtime.createVariableInstanceQuery()
                .processInstanceIdIn(journey.processInstanceId())
                .variableName(variable)
                .singleResult();
        return value != null && value.getValue() instanceof String text ? Optional.of(text) : Optional.empty();
    }
}
