package io.loyalflow.cart;

import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import jakarta.validation.Validator;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** What an acceptable cart change is; every fault is named with its field, nothing is stored on any. */
@Component
class CartRules {

    /** Cart ids follow the order ids' rule (shops use the same kind of ids). */
    static final String ID = "[A-Za-z0-9][A-Za-z0-9._:@+-]{0,99}";

    static final String ID_RULE = "1 to 100 letters, digits or . _ : @ + -, starting with a letter or digit";

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private final Validator validator;
    private final CartProperties properties;
    private final Clock clock;

    CartRules(Validator validator, CartProperties properties, Clock clock) {
        this.validator = validator;
        this.properties = properties;
        this.clock = clock;
    }

    List<FieldViolation> check(String cartId, CartRequest request) {
        Violations violations = cartId(cartId);
        if (request == null) {
            return violations.add("", "a cart is required").list();
        }
        violations.addAll("", validator.validate(request));
        if (request.currency() != null && request.currency().matches("[A-Z]{3}") && !isIso4217(request.currency())) {
            violations.add("currency", "must be an ISO 4217 code such as EUR");
        }
        time(violations, "updatedAt", request.updatedAt());
        url(violations, "cartUrl", request.cartUrl());
        if (request.items() != null && request.items().size() <= CartRequest.MAX_ITEMS) {
            for (int i = 0; i < request.items().size(); i++) {
                CartItemRequest item = request.items().get(i);
                if (item != null) {
                    url(violations, "items[" + i + "].productUrl", item.productUrl());
                    url(violations, "items[" + i + "].imageUrl", item.imageUrl());
                }
            }
        }
        return violations.list();
    }

    List<FieldViolation> check(String cartId, Object moment, OffsetDateTime at) {
        Violations violations = cartId(cartId);
        if (moment == null) {
            return violations.add("at", "must not be null").list();
        }
        violations.addAll("", validator.validate(moment));
        time(violations, "at", at);
        return violations.list();
    }

    private static Violations cartId(String cartId) {
        Violations violations = new Violations();
        if (cartId == null || !cartId.matches(ID)) {
            violations.add("cartId", "must be " + ID_RULE);
        }
        return violations;
    }

    private void time(Violations violations, String field, OffsetDateTime value) {
        if (value == null) {
            return;
        }
        Instant at = value.toInstant();
        if (at.isAfter(clock.instant().plus(properties.futureTolerance()))) {
            violations.add(field, "must not be in the future");
        } else if (at.isBefore(EARLIEST)) {
            violations.add(field, "must not be before 1970");
        }
    }

    /** An absolute http(s) URL with a host; longer ones are already refused by their size limit. */
    static void url(Violations violations, String field, String value) {
        if (value == null || value.length() > CartRequest.MAX_URL) {
            return;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        violations.add(field, "must be an absolute http or https URL");
    }

    private static boolean isIso4217(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
