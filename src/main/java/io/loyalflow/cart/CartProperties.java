package io.loyalflow.cart;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param cartUrl the link back to a cart when the shop sent none; {@code {cartId}} stands for the cart's id
 * @param futureTolerance how far a shop's clock may run ahead of Loyalflow's
 */
@ConfigurationProperties("loyalflow.carts")
record CartProperties(String cartUrl, Duration futureTolerance) {

    CartProperties {
        cartUrl = cartUrl == null || cartUrl.isBlank() ? "https://shop.example/cart/{cartId}" : cartUrl;
        futureTolerance = futureTolerance == null ? Duration.ofMinutes(5) : futureTolerance;
    }
}
