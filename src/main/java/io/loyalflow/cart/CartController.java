package io.loyalflow.cart;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/carts")
@Tag(name = "Carts", description = "Shop carts, one update per change in the shop; out-of-order updates are ignored")
class CartController {

    private final CartService carts;

    CartController(CartService carts) {
        this.carts = carts;
    }

    @PutMapping("/{cartId}")
    @Operation(
            summary = "The cart's current state",
            description = "200 with applied true when newer than the stored cart, applied false (nothing changed) "
                    + "when its updatedAt is older than or equal to the stored one. Empty items clear the cart; a "
                    + "customerId links an anonymous cart; an unknown customerId creates that customer.")
    CartService.Answer update(@PathVariable String cartId, @RequestBody CartRequest cart) {
        return carts.update(cartId, cart);
    }

    @PostMapping("/updates")
    @Operation(
            summary = "Many carts' current states at once",
            description = "For a shop's relay that forwards cart events in batches: 1 to 500 updates, each as in "
                    + "PUT /api/carts/{cartId} with its cartId, applied in their order in one transaction. A fault "
                    + "in any update refuses the whole request (422 naming updates[i].field) and stores nothing. "
                    + "The answers are in the updates' order.")
    List<CartService.Answer> updateAll(@RequestBody CartUpdates updates) {
        return carts.updateAll(updates);
    }

    @PostMapping("/{cartId}/cleared")
    @Operation(summary = "The shop cleared the cart", description = "Applies unless a newer change is stored.")
    CartService.Answer cleared(@PathVariable String cartId, @RequestBody CartMoment moment) {
        return carts.cleared(cartId, moment);
    }

    @PostMapping("/{cartId}/checkout-started")
    @Operation(summary = "The customer started the checkout", description = "Applies unless a newer change is stored.")
    CartService.Answer checkoutStarted(@PathVariable String cartId, @RequestBody CartMoment moment) {
        return carts.checkoutStarted(cartId, moment);
    }

    @PostMapping("/{cartId}/checkout-completed")
    @Operation(
            summary = "The checkout completed",
            description = "Converts the cart (whatever the time, unless it already is converted).")
    CartService.Answer checkoutCompleted(@PathVariable String cartId, @RequestBody CheckoutCompleted completed) {
        return carts.checkoutCompleted(cartId, completed);
    }

    @GetMapping("/{cartId}")
    @Operation(summary = "The stored cart")
    CartView get(@PathVariable String cartId) {
        return carts.view(cartId);
    }
}
