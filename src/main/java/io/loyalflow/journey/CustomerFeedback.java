package io.loyalflow.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    CustomerFeedback(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The reason code of the customer's FeedbackGiven event {@code eventId}, upper case; empty when there is no such
     * event, its data were erased, or it gives no reason that could be a code (the table's "unknown" row decides).
     */
    Optional<String> reason(String customerId, String eventId) {
        if (customerId == null || eventId == null) {
            return Optional.empty();
        }
        List<String> data = jdbc.queryForList(
                "select e.data from customer_event e join v_customer c on c.customer_key = e.customer_key "
                        + "where c.customer_id = ? and e.event_id = ? and e.event_type = ?",
                String.class,
                customerId,
                eventId,
                RetentionProcess.FEEDBACK_GIVEN);
        if (data.isEmpty() || data.get(0) == null) {
            return Optional.empty();
        }
        JsonNode reason;
        try {
            reason = JSON.readTree(data.get(0)).path("reason");
        } catch (JsonProcessingException e) {
            return Optional.empty(); // stored by CustomerEvents as a JSON object; never expected
        }
        if (!reason.isTextual()) {
            return Optional.empty();
        }
        String code = reason.asText().trim().toUpperCase(Locale.ROOT);
        return REASON.matcher(code).matches() ? Optional.of(code) : Optional.empty();
    }
}
