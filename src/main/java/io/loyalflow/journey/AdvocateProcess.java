package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/advocate.bpmn}, the advocate campaign template (happy customers): its process
 * key, the elements code and tests name (every flow node) and the messages it catches, so that none is a bare
 * string; {@code ProcessContractsTest} checks each against the model.
 */
public final class AdvocateProcess {

    public static final String KEY = "advocate";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ENTERED("StartEvent_Entered"),
        TASK_CLASSIFY_ANSWER("Task_ClassifyAnswer"),
        GATEWAY_NPS_GROUP("Gateway_NpsGroup"),
        END_EVENT_NOT_ADVOCATE("EndEvent_NotAdvocate"),
        TASK_READ_CUSTOMER("Task_ReadCustomer"),
        GATEWAY_REACHABLE("Gateway_Reachable"),
        END_EVENT_UNREACHABLE("EndEvent_Unreachable"),
        TASK_SPLIT_ASK("Task_SplitAsk"),
        GATEWAY_ASK("Gateway_Ask"),
        TASK_ASK_REVIEW("Task_AskReview"),
        TASK_ASK_REFERRAL("Task_AskReferral"),
        GATEWAY_ASKED("Gateway_Asked"),
        GATEWAY_RESPONSE("Gateway_Response"),
        EVENT_REVIEW_WRITTEN("Event_ReviewWritten"),
        END_EVENT_REVIEWED("EndEvent_Reviewed"),
        EVENT_REFERRAL_MADE("Event_ReferralMade"),
        END_EVENT_REFERRED("EndEvent_Referred"),
        EVENT_RESPONSE_WAIT_OVER("Event_ResponseWaitOver"),
        END_EVENT_NO_RESPONSE("EndEvent_NoResponse"),
        GATEWAY_THANK_PASSIVE("Gateway_ThankPassive"),
        TASK_SEND_THANK_YOU("Task_SendThankYou"),
        END_EVENT_THANKED("EndEvent_Thanked"),
        END_EVENT_PASSIVE("EndEvent_Passive"),
        TASK_SERVICE_FOLLOW_UP("Task_ServiceFollowUp"),
        END_EVENT_SERVICE_FOLLOWED_UP("EndEvent_ServiceFollowedUp");

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
        /** Sent by {@link ReferralGoal} when the customer referred a friend. */
        REFERRAL_MADE(ReferralGoal.REFERRAL_MADE),
        /** The customer event {@code ReviewWritten}, delivered by {@link CustomerEvents}. */
        REVIEW_WRITTEN(CustomerEvents.MESSAGE_PREFIX + "ReviewWritten");

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private AdvocateProcess() {}
}
