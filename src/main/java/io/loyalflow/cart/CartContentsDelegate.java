package io.loyalflow.cart;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Load the cart's contents" step ({@code ${cartContents}}): the journey's cart as the reminder shows it. */
@Component("cartContents")
class CartContentsDelegate implements JavaDelegate {

    private final CartReminderContents contents;

    CartContentsDelegate(CartReminderContents contents) {
        this.contents = contents;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String cartId = CartVariables.CART_ID.from(execution).getOrNull();
        CartReminderContents.Reminder cart = contents.of(cartId)
                .orElseThrow(() -> new IllegalStateException(
                        "Step '" + execution.getCurrentActivityName() + "': no cart " + cartId + " (erased?)"));
        CartVariables.CART_ITEMS.on(execution).set(cart.items());
        CartVariables.CART_URL.on(execution).set(cart.cartUrl());
        CartVariables.CART_TOTAL.on(execution).set(cart.total());
        CartVariables.CART_CURRENCY.on(execution).set(cart.currency());
        CartVariables.CART_ITEM_COUNT.on(execution).set(cart.itemCount());
    }
}
