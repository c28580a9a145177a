package io.loyalflow.cart;

import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/**
 * The process variables of a cart journey that the cart module reads or writes: the cart a journey is about
 * (given at entry) and what the "Load the cart's contents" step ({@code ${cartContents}}) writes for the
 * reminder's template data ({@code {{var.cartItems}}}, {@code {{var.cartUrl}}}, ...).
 */
public final class CartVariables {

    /** The cart the journey is about (the shop's cart id); given at entry. */
    public static final ProcessVariable<String> CART_ID = stringVariable("cartId");
    /**
     * Output: the cart's items as a JSON array (at most 4,000 characters: fewer items when longer) of
     * {@code {sku, name, quantity, unitPrice, category, productUrl, imageUrl, lineTotal}}.
     */
    public static final ProcessVariable<String> CART_ITEMS = stringVariable("cartItems");
    /** Output: the link back to the cart (the shop's, else the configured pattern). */
    public static final ProcessVariable<String> CART_URL = stringVariable("cartUrl");
    /** Output: the cart's total, a plain decimal ({@code 129.90}). */
    public static final ProcessVariable<String> CART_TOTAL = stringVariable("cartTotal");
    /** Output: the cart's currency (ISO 4217). */
    public static final ProcessVariable<String> CART_CURRENCY = stringVariable("cartCurrency");
    /** Output: how many items (lines) the cart holds, all of them, also those left out of cartItems. */
    public static final ProcessVariable<Integer> CART_ITEM_COUNT = integerVariable("cartItemCount");

    private CartVariables() {}
}
