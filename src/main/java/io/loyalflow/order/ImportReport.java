package io.loyalflow.order;

import io.loyalflow.platform.problem.FieldViolation;
import java.util.List;

/**
 * The answer to a bulk import.
 *
 * @param orders orders read (a CSV order may span several rows)
 * @param accepted orders now on record: {@code created} plus {@code unchanged}
 * @param unchanged orders that were already on record with the same content
 * @param rejected orders refused, each listed in {@code errors} up to the error limit
 * @param errorsOmitted rejected orders beyond the error limit
 * @param aborted why reading stopped before the end of the input, if it did
 */
public record ImportReport(
        String format,
        long orders,
        long accepted,
        long created,
        long unchanged,
        long rejected,
        long customersCreated,
        List<LineError> errors,
        long errorsOmitted,
        String aborted,
        long durationMillis) {

    /** Why the order starting at {@code line} was refused. */
    public record LineError(long line, String orderId, List<FieldViolation> errors) {}
}
