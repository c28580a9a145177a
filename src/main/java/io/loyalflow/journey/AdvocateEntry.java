package io.loyalflow.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.CampaignSettings;
import io.loyalflow.campaign.Campaigns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Enters the customer who answered the satisfaction survey (customer event {@value #SURVEY_ANSWERED}) into each
 * active campaign with the trigger SURVEY_ANSWERED ({@link AdvocateProcess}), in the transaction that records the
 * event: the event, the journeys and their enrollments commit together, and a repeated event id is answered from
 * the stored event before this runs, so no event enters anybody twice. An answer without a whole-number score from
 * 0 to 10 ({@code data.score}) is stored as before and enters nobody; the answer to the request says so.
 */
@Component
class AdvocateEntry {

    static final String SURVEY_ANSWERED = "SurveyAnswered";
    static final String CAUSE_PREFIX = "survey:";
    static final String NO_SCORE = "data.score is not a whole number from 0 to 10: the answer is stored, and enters "
            + "no SURVEY_ANSWERED campaign";

    private final Campaigns campaigns;
    private final Enrollments enrollments;
    private final JourneyStarts starts;
    private final JdbcTemplate jdbc;

    AdvocateEntry(Campaigns campaigns, Enrollments enrollments, JourneyStarts starts, JdbcTemplate jdbc) {
        this.campaigns = campaigns;
        this.enrollments = enrollments;
        this.starts = starts;
        this.jdbc = jdbc;
    }

    /** What the event started; {@code note} says why an answer started nothing, null otherwise. */
    record Started(List<String> journeys, String note) {
        static final Started NOTHING = new Started(List.of(), null);
    }

    /** The NPS score of a survey answer: a JSON whole number from 0 to 10, nothing else ("10", 9.5, 11). */
    static Optional<Integer> score(JsonNode data) {
        JsonNode score = data == null ? null : data.get("score");
        if (score == null || !score.isIntegralNumber() || !score.canConvertToInt()) {
            return Optional.empty();
        }
        int value = score.intValue();
        return value >= 0 && value <= 10 ? Optional.of(value) : Optional.empty();
    }

    /** Enters the customer, whose row the caller has locked, for a newly stored event. */
    Started enter(long customerKey, String customerId, long eventKey, String eventId, String type, JsonNode data) {
        if (!SURVEY_ANSWERED.equals(type)) {
            return Started.NOTHING;
        }
        List<Campaign> answering = campaigns.active().stream()
                .filter(c -> c.settings().trigger().type() == CampaignSettings.TriggerType.SURVEY_ANSWERED)
                .toList();
        if (answering.isEmpty()) {
            return Started.NOTHING;
        }
        Optional<Integer> score = score(data);
        if (score.isEmpty()) {
            return new Started(List.of(), NO_SCORE);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        JourneyVariables.SURVEY_SCORE.on(variables).set(score.get());
        JourneyVariables.CUSTOMER_EVENT_ID.on(variables).set(eventId);
        List<String> started = new ArrayList<>();
        for (Campaign campaign : answering) {
            Enrollments.Entry entry = enrollments.enter(
                    campaign,
                    customerKey,
                    customerId,
                    CAUSE_PREFIX + eventKey,
                    null,
                    variables,
                    starts.audience(campaign));
            if (entry.outcome() == Enrollments.Outcome.ENROLLED) {
                started.add(entry.processInstanceId());
            }
        }
        return new Started(started, null);
    }

    /** What a stored event started, for the answer to a repeated request. */
    Started startedBefore(long customerKey, long eventKey, String type, JsonNode data) {
        if (!SURVEY_ANSWERED.equals(type)) {
            return Started.NOTHING;
        }
        List<String> journeys = jdbc.queryForList(
                "select process_instance_id from campaign_enrollment where customer_key = ? and entry_cause = ? "
                        + "order by enrollment_key",
                String.class,
                customerKey,
                CAUSE_PREFIX + eventKey);
        boolean answering = campaigns.active().stream()
                .anyMatch(c -> c.settings().trigger().type() == CampaignSettings.TriggerType.SURVEY_ANSWERED);
        return new Started(
                journeys, journeys.isEmpty() && answering && score(data).isEmpty() ? NO_SCORE : null);
    }
}
