package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/satisfaction-survey.bpmn}, the satisfaction-survey follow-up scenario: its
 * process key, the elements code and tests name (every flow node) and the messages it catches, so that none is
 * a bare string; {@code ProcessContractsTest} checks each against the model.
 */
public final class SatisfactionSurveyProcess {

    public static final String KEY = "satisfaction-survey";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SURVEY_REQUESTED("StartEvent_SurveyRequested"),
        TASK_SEND_SURVEY("Task_SendSurvey"),
        GATEWAY_SURVEY_SENT("Gateway_SurveySent"),
        GATEWAY_ANSWER("Gateway_Answer"),
        EVENT_SURVEY_ANSWERED("Event_SurveyAnswered"),
        END_EVENT_ANSWERED("EndEvent_Answered"),
        EVENT_SURVEY_WAIT_OVER("Event_SurveyWaitOver"),
        END_EVENT_NOT_ANSWERED("EndEvent_NotAnswered"),
        END_EVENT_NOT_SENT("EndEvent_NotSent");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    /** The messages the process catches, by the name they are correlated with. */
    public enum Message implements ModelMessage {
        /** The customer event {@code SurveyAnswered}, delivered by {@link CustomerEvents}. */
        SURVEY_ANSWERED(CustomerEvents.MESSAGE_PREFIX + "SurveyAnswered");

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private SatisfactionSurveyProcess() {}
}
