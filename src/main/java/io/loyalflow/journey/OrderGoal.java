package io.loyalflow.journey;

import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.order.OrdersRecorded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What recorded orders (from the API or an import) mean to journeys: every running journey of the
 * customer that had entered when the order was recorded receives {@code Msg_OrderPlaced} (by
 * process instance id); one not waiting for it whose campaign's exit goal is an order ends there,
 * as CONVERTED. A journey that entered later (possibly because this very order changed the
 * customer's tier) is not concerned, nor is a welcome journey by its first order or by orders placed
 * before it (history arriving late: {@link WelcomeEntry} ends that journey as NOT_FIRST_ORDER), nor a
 * cross-sell journey by the order it follows or older ones ({@link CrossSellEntry}).
 *
 * <p>Each customer of a batch is handled in a transaction of its own, so one journey that cannot
 * move does not hold back the others: the listener then fails, its publication stays incomplete
 * and is resubmitted, and the receipts ({@code order:<id>} per journey) make the customers already
 * done a no-op.
 */
@Component
class OrderGoal {

    static final String ORDER_PLACED = "Msg_OrderPlaced";
    static final String LISTENER_ID = "journey.order-goal";
    private static final Logger log = LoggerFactory.getLogger(OrderGoal.class);

    private final JourneyFacts facts;
    private final RuntimeService runtime;
    private final Campaigns campaigns;
    private final TransactionTemplate transactions;
    private final CustomerQueries customers;

    OrderGoal(
            JourneyFacts facts,
            RuntimeService runtime,
            Campaigns campaigns,
            TransactionTemplate transactions,
            CustomerQueries customers) {
        this.customers = customers;
        this.facts = facts;
        this.runtime = runtime;
        this.campaigns = campaigns;
        this.transactions = transactions;
    }

    @ApplicationModuleListener(id = LISTENER_ID, propagation = Propagation.NOT_SUPPORTED)
    void onOrders(OrdersRecorded recorded) {
        Map<Long, List<OrdersRecorded.Order>> byCustomer = new TreeMap<>();
        recorded.orders().stream()
                .sorted(Comparator.comparing(OrdersRecorded.Order::placedAt))
                .forEach(order -> byCustomer
                        .computeIfAbsent(order.customerKey(), key -> new ArrayList<>())
                        .add(order));
        RuntimeException failure = null;
        int failed = 0;
        for (Map.Entry<Long, List<OrdersRecorded.Order>> customer : byCustomer.entrySet()) {
            try {
                transactions.executeWithoutResult(
                        tx -> reachGoals(customer.getKey(), customer.getValue(), recorded.recordedAt()));
            } catch (RuntimeException e) {
                failed++;
                failure = failure == null ? e : failure;
                log.warn(
                        "Telling the journeys of customer {} about order(s) {} failed; the event is resubmitted",
                        customer.getKey(),
                        customer.getValue().stream()
                                .map(OrdersRecorded.Order::orderId)
                                .toList(),
                        e);
            }
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "The journeys of " + failed + " of " + byCustomer.size()
                            + " customers could not be told about their orders",
                    failure);
        }
    }

    /**
     * Tells the customer's journeys about these orders, in the caller's transaction; what a journey received before
     * (its receipt) is not told again. CrossSellEntry calls it before it enters the customer again, so that the order
     * first ends the journey it converts, whichever listener runs first.
     */
    void reachGoals(long customerKey, List<OrdersRecorded.Order> orders, Instant recordedAt) {
        // under the customer's row lock, as the cross-sell entry tells and enters: whichever comes second sees the
        // other's receipts and journeys, instead of both telling one journey at once
        customers.lockByKey(customerKey);
        for (JourneyFacts.Journey journey : facts.running(customerKey)) {
            if (!journey.enteredBy(recordedAt)) {
                continue;
            }
            // a welcome journey's first order, a cross-sell journey's own order, and older orders arriving late, are
            // no new order for them (WelcomeEntry, CrossSellEntry)
            Instant firstOrderAt = entryOrderPlacedAt(journey);
            for (OrdersRecorded.Order order : orders) {
                if (firstOrderAt != null && !order.placedAt().isAfter(firstOrderAt)) {
                    continue;
                }
                if (facts.receive(journey.processInstanceId(), "order:" + order.orderId()) && reach(journey, order)) {
                    break;
                }
            }
        }
    }

    /**
     * When the order that entered the journey was placed: a welcome journey's first order, a cross-sell journey's
     * order; null for other journeys. One variable query per journey.
     */
    private Instant entryOrderPlacedAt(JourneyFacts.Journey journey) {
        return runtime
                .createVariableInstanceQuery()
                .processInstanceIdIn(journey.processInstanceId())
                .variableNameIn(
                        JourneyVariables.FIRST_ORDER_PLACED_AT.name(), JourneyVariables.ENTRY_ORDER_PLACED_AT.name())
                .list()
                .stream()
                .map(VariableInstance::getValue)
                .filter(value -> value instanceof String text && !text.isBlank())
                .map(value -> Instant.parse((String) value))
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** True when the journey ended at its exit goal. */
    private boolean reach(JourneyFacts.Journey journey, OrdersRecorded.Order order) {
        String instance = journey.processInstanceId();
        boolean woke = !runtime.createMessageCorrelation(ORDER_PLACED)
                .processInstanceId(instance)
                .setVariable(JourneyVariables.ORDER_ID.name(), JourneyVariables.ORDER_ID.value(order.orderId()))
                .correlateAllWithResult()
                .isEmpty();
        if (!woke
                && campaigns
                        .find(journey.campaignKey())
                        .map(c -> c.settings().exitGoal() == CampaignSettings.ExitGoal.ORDER)
                        .orElse(false)
                && runtime.createProcessInstanceQuery()
                                .processInstanceId(instance)
                                .count()
                        == 1) {
            JourneyVariables.JOURNEY_OUTCOME.on(runtime, instance).set("CONVERTED");
            runtime.deleteProcessInstance(instance, "exit goal reached: order " + order.orderId());
            return true;
        }
        return false;
    }
}
