package io.loyalflow.journey;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * What a customer answered to a retention journey's feedback request: the reason code of their
 * {@code FeedbackGiven} event. Only the code reaches the journey: the free-text comment may name people or
 * addresses, so it stays with the stored event (erased with the customer) and never becomes a process variable,
 * which operators and the team's Tasklist would show.
 */
@Service
class CustomerFeedback {

    /** The codes the leave-reason table matches: upper-case words joined by underscores. */
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    private final CustomerEvents events;

    CustomerFeedback(CustomerEvents events) {
        this.events = events;
    }

    /**
     * The reason code of the customer's FeedbackGiven event {@code eventId}, upper case; empty when there is no such
     * event, its data were erased, or it gives no reason that could be a code (the table's "unknown" row decides).
     */
    Optional<String> reason(String customerId, String eventId) {
        JsonNode reason = events.storedData(customerId, eventId, RetentionProcess.FEEDBACK_GIVEN)
                .map(data -> data.path("reason"))
                .orElse(null);
        if (reason == null || !reason.isTextual()) {
            return Optional.empty();
        }
        String code = reason.asText().trim().toUpperCase(Locale.ROOT);
        return REASON.matcher(code).matches() ? Optional.of(code) : Optional.empty();
    }
}
