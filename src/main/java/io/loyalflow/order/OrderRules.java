package io.loyalflow.order;

import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/** What an acceptable order is, for single orders and import lines alike. */
@Component
class OrderRules {

    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private final Validator validator;
    private final OrderProperties properties;
    private final Clock clock;

    OrderRules(Validator validator, OrderProperties properties, Clock clock) {
        this.validator = validator;
        this.properties = properties;
        this.clock = clock;
    }

    List<FieldViolation> check(OrderRequest order) {
        Violations violations = new Violations().addAll("", validator.validate(order));
        String currency = properties.currency().getCurrencyCode();
        if (order.currency() != null
                && order.currency().matches("[A-Z]{3}")
                && !order.currency().equals(currency)) {
            violations.add("currency", "must be " + currency + ", the shop's reporting currency");
        }
        if (order.placedAt() != null) {
            Instant placedAt = order.placedAt().toInstant();
            if (placedAt.isAfter(clock.instant().plus(properties.futureTolerance()))) {
                violations.add("placedAt", "must not be in the future");
            } else if (placedAt.isBefore(EARLIEST)) {
                violations.add("placedAt", "must not be before 1970");
            }
        }
        return violations.list();
    }
}
