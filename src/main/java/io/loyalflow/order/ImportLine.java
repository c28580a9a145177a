package io.loyalflow.order;

import io.loyalflow.platform.problem.FieldViolation;
import java.util.List;

/** One order read from an import, or why it could not be read; {@code line} is where it starts. */
public record ImportLine(long line, String orderId, OrderRequest order, List<FieldViolation> errors) {

    public static ImportLine of(long line, OrderRequest order) {
        return new ImportLine(line, order.orderId(), order, List.of());
    }

    public static ImportLine unreadable(long line, String orderId, List<FieldViolation> errors) {
        return new ImportLine(line, orderId, null, List.copyOf(errors));
    }
}
