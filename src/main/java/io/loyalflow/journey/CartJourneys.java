package io.loyalflow.journey;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.cart.CartChange;
import io.loyalflow.cart.CartSignals;
import io.loyalflow.cart.CartStatus;
import io.loyalflow.cart.CartVariables;
import io.loyalflow.customer.CustomerQueries;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journey side of carts: a sweep on every node ({@code loyalflow.carts.journey-sweep-interval}, PT1S by
 * default) takes the carts whose latest change journeys have not handled ({@link CartSignals#pending}, the
 * cart row is the outbox) and handles each in a transaction of its own: the cart row is locked (another node
 * holding it skips it), every active campaign with the trigger CART_UPDATED reacts to the cart's LATEST state,
 * and the version is marked handled in the same transaction. Many updates of one cart between two sweeps are
 * one signal; a failure rolls back and leaves the cart pending for the next sweep.
 *
 * <p>Per campaign (one journey per campaign and cart, idempotency key {@code cart:<cartId>}, found through its
 * enrollment row, never by a variable query):
 *
 * <ul>
 *   <li>a cart with items (ACTIVE, or CHECKOUT: starting the checkout counts as an update) whose journey runs:
 *       {@code Msg_CartUpdated} to it by process instance id, with {@code cartUpdatedAt} and {@code cartVersion}
 *       (the waits restart from that time);
 *   <li>a cart with items without a journey: the customer enters (entry cause {@code cart:<cartId>}); a journey
 *       of the customer's other cart in the campaign ends first as REPLACED (at most one cart journey per
 *       customer at a time);
 *   <li>a cart cleared or converted whose journey runs: {@code Msg_CartClosed} with {@code cartOutcome};
 *   <li>an anonymous cart: nothing (handled); it enters once the shop names the customer, which is a change.
 * </ul>
 *
 * A cart whose journey has ended (reminded, converted, ...) does not enter again.
 */
@Component
class CartJourneys {

    static final String CART_UPDATED = "Msg_CartUpdated";
    static final String CART_CLOSED = "Msg_CartClosed";
    static final String REPLACED = "REPLACED";
    /** Pending carts a sweep takes at most; the next sweep takes the rest. */
    static final int SWEEP_BATCH = 200;
    /** Full batches one scheduled sweep handles in a row before it pauses for the interval. */
    static final int ROUNDS = 25;

    private static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(CartJourneys.class);

    /** What handling a cart's change came to (the meter's {@code result} tag). */
    enum Result {
        /** the customer entered a campaign for this cart */
        ENTERED,
        /** the journey of the customer's other cart ended as REPLACED, and the customer entered for this one */
        REPLACED,
        /** the cart's running journey got the update: its waits restart */
        RESTARTED,
        /** the cart's running journey got the closing (cleared or converted) */
        CLOSED,
        /** the customer could not enter (audience, a non-cart journey of the campaign running) */
        NOT_ENTERED,
        /** no journey to tell (its journey ended, the cart closed without one, no cart campaign is active) */
        NOTHING,
        /** anonymous cart: kept pending for nobody, handled */
        ANONYMOUS,
        /** another node holds the cart, or it was handled meanwhile */
        SKIPPED
    }

    private final CartSignals signals;
    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final JourneyStarts starts;
    private final CustomerQueries customers;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;

    CartJourneys(
            CartSignals signals,
            Campaigns campaigns,
            Enrollments enrollments,
            JourneyStarts starts,
            CustomerQueries customers,
            RuntimeService runtime,
            TransactionTemplate transactions,
            MeterRegistry meters) {
        this.signals = signals;
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.starts = starts;
        this.customers = customers;
        this.runtime = runtime;
        this.transactions = transactions;
        this.meters = meters;
    }

    /**
     * The scheduled sweep; failures are logged, the carts concerned stay pending for the next sweep. While
     * batches come full (a backlog) it goes on at once, up to {@link #ROUNDS} batches, unless another node held
     * every cart of the batch.
     */
    @Scheduled(
            fixedDelayString = "${loyalflow.carts.journey-sweep-interval:PT1S}",
            initialDelayString = "${loyalflow.carts.journey-sweep-interval:PT1S}")
    void scheduledSweep() {
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Map<Result, Integer> results = sweep();
                int taken =
                        results.values().stream().mapToInt(Integer::intValue).sum();
                if (taken < SWEEP_BATCH || results.getOrDefault(Result.SKIPPED, 0) == taken) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.warn("The cart sweep failed; the carts stay pending", e);
        }
    }

    /** Handles the pending carts (at most {@link #SWEEP_BATCH}); returns how many each result had. */
    Map<Result, Integer> sweep() {
        Map<Result, Integer> results = new LinkedHashMap<>();
        List<String> pending = signals.pending(SWEEP_BATCH);
        if (pending.isEmpty()) {
            return results;
        }
        List<Campaign> cartCampaigns = campaigns.active().stream()
                .filter(c -> c.settings().trigger().type() == CampaignSettings.TriggerType.CART_UPDATED)
                .toList();
        for (String cartId : pending) {
            try {
                results.merge(handle(cartId, cartCampaigns), 1, Integer::sum);
            } catch (RuntimeException e) {
                log.warn("Cart {}: its change could not reach its journeys; it stays pending", cartId, e);
            }
        }
        return results;
    }

    /** One cart's latest change, in a transaction of its own (retried when a concurrent entry collided). */
    Result handle(String cartId, List<Campaign> cartCampaigns) {
        for (int attempt = 1; ; attempt++) {
            try {
                Result result = transactions.execute(tx -> handleLocked(cartId, cartCampaigns));
                meters.counter("loyalflow.carts.journey-signals", "result", result.name())
                        .increment();
                return result;
            } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Result handleLocked(String cartId, List<Campaign> cartCampaigns) {
        Optional<CartChange> locked = signals.lockPending(cartId);
        if (locked.isEmpty()) {
            return Result.SKIPPED;
        }
        CartChange change = locked.get();
        Result result = Result.NOTHING;
        if (change.customerKey() == null) {
            result = Result.ANONYMOUS;
        } else {
            for (Campaign campaign : cartCampaigns) {
                Result inCampaign = apply(campaigns.find(campaign.id()).orElse(campaign), change);
                result = inCampaign.ordinal() < result.ordinal() ? inCampaign : result;
            }
        }
        signals.handled(cartId, change.version());
        return result;
    }

    static String idempotencyKey(String cartId) {
        return "cart:" + cartId;
    }

    private Result apply(Campaign campaign, CartChange change) {
        if (campaign.state() != Campaign.State.ACTIVE) {
            return Result.NOTHING;
        }
        Optional<Enrollments.Enrolled> own = enrollments.enrolled(campaign.id(), idempotencyKey(change.cartId()));
        boolean open = (change.status() == CartStatus.ACTIVE || change.status() == CartStatus.CHECKOUT)
                && change.itemCount() > 0;
        if (own.isPresent()) {
            Enrollments.Enrolled journey = own.get();
            if (!journey.running() || journey.customerKey() != change.customerKey()) {
                return Result.NOTHING;
            }
            return open ? restart(journey, change) : close(journey, change);
        }
        return open ? enter(campaign, change) : Result.NOTHING;
    }

    private Result restart(Enrollments.Enrolled journey, CartChange change) {
        boolean told = !runtime.createMessageCorrelation(CART_UPDATED)
                .processInstanceId(journey.processInstanceId())
                .setVariable(
                        JourneyVariables.CART_UPDATED_AT.name(),
                        JourneyVariables.CART_UPDATED_AT.value(
                                change.updatedAt().toString()))
                .setVariable(
                        JourneyVariables.CART_VERSION.name(), JourneyVariables.CART_VERSION.value(change.version()))
                .correlateAllWithResult()
                .isEmpty();
        return told ? Result.RESTARTED : Result.NOTHING;
    }

    private Result close(Enrollments.Enrolled journey, CartChange change) {
        String outcome = change.status() == CartStatus.CONVERTED ? "CONVERTED" : "CLEARED";
        boolean told = !runtime.createMessageCorrelation(CART_CLOSED)
                .processInstanceId(journey.processInstanceId())
                .setVariable(JourneyVariables.CART_OUTCOME.name(), JourneyVariables.CART_OUTCOME.value(outcome))
                .correlateAllWithResult()
                .isEmpty();
        return told ? Result.CLOSED : Result.NOTHING;
    }

    /** Enters the customer for this cart; a running journey of their other cart ends first as REPLACED. */
    private Result enter(Campaign campaign, CartChange change) {
        String customerId = customers.idOf(change.customerKey()).orElse(null);
        if (customerId == null) {
            return Result.NOTHING; // erased meanwhile
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        CartVariables.CART_ID.on(variables).set(change.cartId());
        JourneyVariables.CART_UPDATED_AT.on(variables).set(change.updatedAt().toString());
        JourneyVariables.CART_VERSION.on(variables).set(change.version());
        boolean replaced = false;
        for (int attempt = 1; attempt <= 2; attempt++) {
            replaced |= replaceOtherCart(campaign, change.customerKey());
            Enrollments.Entry entry = enrollments.enter(
                    campaign,
                    change.customerKey(),
                    customerId,
                    idempotencyKey(change.cartId()),
                    idempotencyKey(change.cartId()),
                    variables,
                    starts.audience(campaign));
            if (entry.outcome() == Enrollments.Outcome.ENROLLED) {
                return replaced ? Result.REPLACED : Result.ENTERED;
            }
            if (entry.outcome() != Enrollments.Outcome.ALREADY_ACTIVE) {
                return Result.NOT_ENTERED;
            }
            // another cart's journey began before this transaction locked the customer: replace it too
        }
        return Result.NOT_ENTERED;
    }

    private boolean replaceOtherCart(Campaign campaign, long customerKey) {
        Optional<Enrollments.Enrolled> running = enrollments.running(campaign.id(), customerKey);
        if (running.isEmpty()
                || running.get().idempotencyKey() == null
                || !running.get().idempotencyKey().startsWith("cart:")) {
            return false;
        }
        String instance = running.get().processInstanceId();
        if (runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 0) {
            return false;
        }
        JourneyVariables.JOURNEY_OUTCOME.on(runtime, instance).set(REPLACED);
        runtime.deleteProcessInstance(instance, "replaced by the customer's newer cart");
        return true;
    }
}
