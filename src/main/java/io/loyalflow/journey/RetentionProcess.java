package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/retention.bpmn}, the retention template: its process key, the elements code and
 * tests name (every flow node) and the messages it catches; {@code ProcessContractsTest} checks each against the
 * model. Its journeys are entered by the segment churn-risk (trigger SEGMENT_ENTERED).
 */
public final class RetentionProcess {

    public static final String KEY = "retention";
    /** The customer event answering the feedback request. */
    public static final String FEEDBACK_GIVEN = "FeedbackGiven";
    /** The decision whether the shop can act on the reason given ({@code dmn/leave-reason.dmn}). */
    public static final String LEAVE_REASON_DECISION = "leave-reason";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_CHURN_RISK("StartEvent_ChurnRisk"),
        TASK_FIND_RECOMMENDATIONS("Task_FindRecommendations"),
        TASK_SEND_RE_ENGAGEMENT("Task_SendReEngagement"),
        EVENT_FEEDBACK_DELAY("Event_FeedbackDelay"),
        TASK_SEND_FEEDBACK_REQUEST("Task_SendFeedbackRequest"),
        GATEWAY_FEEDBACK_REQUEST_SENT("Gateway_FeedbackRequestSent"),
        END_EVENT_NOT_ASKED("EndEvent_NotAsked"),
        GATEWAY_FEEDBACK("Gateway_Feedback"),
        EVENT_FEEDBACK_GIVEN("Event_FeedbackGiven"),
        EVENT_FEEDBACK_WAIT_OVER("Event_FeedbackWaitOver"),
        END_EVENT_NO_FEEDBACK("EndEvent_NoFeedback"),
        TASK_READ_FEEDBACK("Task_ReadFeedback"),
        TASK_CLASSIFY_REASON("Task_ClassifyReason"),
        GATEWAY_TEAM_TASK("Gateway_TeamTask"),
        TASK_TEAM_FOLLOW_UP("Task_TeamFollowUp"),
        END_EVENT_TEAM_FOLLOWED_UP("EndEvent_TeamFollowedUp"),
        TASK_SEND_THANKS("Task_SendThanks"),
        END_EVENT_THANKED("EndEvent_Thanked"),
        SUB_PROCESS_ORDERED("SubProcess_Ordered"),
        START_EVENT_ORDER_PLACED("StartEvent_OrderPlaced"),
        END_EVENT_CONVERTED("EndEvent_Converted");

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
        /** Sent by {@link OrderGoal} for any order placed while the journey runs. */
        ORDER_PLACED(OrderGoal.ORDER_PLACED),
        /** The customer event {@code FeedbackGiven}, delivered by {@link CustomerEvents}. */
        FEEDBACK_GIVEN(CustomerEvents.MESSAGE_PREFIX + RetentionProcess.FEEDBACK_GIVEN);

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private RetentionProcess() {}
}
