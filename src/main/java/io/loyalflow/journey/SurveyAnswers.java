package io.loyalflow.journey;

import io.loyalflow.platform.engine.JourneyStartVariables;
import io.loyalflow.platform.engine.TaskHistoryRedaction;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Component;

/**
 * Shows a survey answer to the service team on its Tasklist task (the advocate template's detractor task), as a
 * task listener on create: {@code ${surveyAnswers.describeTask(task)}}. The score is appended to the task's
 * description. The customer's comment is free text, possibly personal, so it is never a process variable: it is
 * read from the stored event and appended as the description's team-only section
 * ({@link TaskHistoryRedaction#TEAM_ONLY}), which only those who may read the task see (its candidate group,
 * operators, administrators) and which the task's history, read by analysts, never records.
 */
@Component(SurveyAnswers.BEAN)
public class SurveyAnswers {

    public static final String BEAN = "surveyAnswers";
    /** Camunda keeps at most 4000 characters of a task's description; the campaign's text and the score come first. */
    static final int MAX_COMMENT = 1500;

    private final CustomerEvents events;

    SurveyAnswers(CustomerEvents events) {
        this.events = events;
    }

    public void describeTask(DelegateTask task) {
        String description = task.getDescription() == null ? "" : task.getDescription();
        Integer score = JourneyVariables.SURVEY_SCORE.from(task.getExecution()).getOrNull();
        String scoreLine = score == null ? "No survey answer." : "Survey score: " + score + " of 10.";
        String comment = comment(task)
                .map(c -> TaskHistoryRedaction.TEAM_ONLY + "Comment: " + c)
                .orElse("");
        task.setDescription((description.isEmpty() ? "" : description + "\n\n") + scoreLine + comment);
    }

    private Optional<String> comment(DelegateTask task) {
        String eventId =
                JourneyVariables.CUSTOMER_EVENT_ID.from(task.getExecution()).getOrNull();
        String customerId =
                JourneyStartVariables.CUSTOMER_ID.from(task.getExecution()).getOrNull();
        return events.storedData(customerId, eventId, AdvocateEntry.SURVEY_ANSWERED)
                .map(data -> data.get("comment"))
                .filter(comment -> comment.isTextual() && !comment.asText().isBlank())
                .map(comment -> comment.asText().strip())
                .map(text -> text.length() > MAX_COMMENT ? text.substring(0, MAX_COMMENT) + " [...]" : text);
    }
}
