package io.loyalflow.testsupport.crash;

import io.loyalflow.order.OrdersRecorded;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A crash at the worst moment, for the test that kills a node: when orders whose id starts with
 * {@code loyalflow.test.halt-after-order} are stored, the JVM halts right after their transaction
 * commits, before any listener of the orders' event runs (they run after the commit's completion;
 * this runs at the commit). Only a child JVM started with that property has this bean.
 */
@Component
@ConditionalOnProperty("loyalflow.test.halt-after-order")
public class HaltAfterOrderCommit {

    public static final int EXIT_CODE = 87;

    private final String prefix;

    HaltAfterOrderCommit(@Value("${loyalflow.test.halt-after-order}") String prefix) {
        this.prefix = prefix;
    }

    @EventListener
    public void onOrders(OrdersRecorded recorded) {
        if (recorded.orders().stream().anyMatch(order -> order.orderId().startsWith(prefix))) {
            TransactionSynchronizationManager.registerSynchronization(new Halt());
        }
    }

    private static final class Halt implements TransactionSynchronization, Ordered {

        @Override
        public void afterCommit() {
            System.out.println("HaltAfterOrderCommit: committed, halting now");
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
