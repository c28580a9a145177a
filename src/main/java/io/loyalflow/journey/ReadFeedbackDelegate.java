package io.loyalflow.journey;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Read the customer's feedback" step ({@code ${readFeedback}}): after the customer event FeedbackGiven woke the
 * journey ({@code customerEventId}), writes its reason code as {@code leaveReason} for the leave-reason table.
 */
@Component("readFeedback")
class ReadFeedbackDelegate implements JavaDelegate {

    private final CustomerFeedback feedback;

    ReadFeedbackDelegate(CustomerFeedback feedback) {
        this.feedback = feedback;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String customerId = JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull();
        String eventId = JourneyVariables.CUSTOMER_EVENT_ID.from(execution).getOrNull();
        JourneyVariables.LEAVE_REASON
                .on(execution)
                .set(feedback.reason(customerId, eventId).orElse(null));
    }
}
