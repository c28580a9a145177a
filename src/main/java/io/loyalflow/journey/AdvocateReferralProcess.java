package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/advocate-referral.bpmn}, the advocate-referral campaign template: its process
 * key, the elements code and tests name (every flow node) and the messages it catches, so that none is a bare
 * string; {@code ProcessContractsTest} checks each against the model.
 */
public final class AdvocateReferralProcess {

    public static final String KEY = "advocate-referral";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ENTERED("StartEvent_Entered"),
        TASK_READ_CUSTOMER("Task_ReadCustomer"),
        GATEWAY_REACHABLE("Gateway_Reachable"),
        END_EVENT_UNREACHABLE("EndEvent_Unreachable"),
        TASK_CHOOSE_REFERRAL_PATH("Task_ChooseReferralPath"),
        GATEWAY_REFERRAL_PATH("Gateway_ReferralPath"),
        TASK_SPLIT_INCENTIVE("Task_SplitIncentive"),
        GATEWAY_INCENTIVE("Gateway_Incentive"),
        GATEWAY_TO_REMINDER("Gateway_ToReminder"),
        GATEWAY_TO_VOUCHER("Gateway_ToVoucher"),
        TASK_SEND_REFERRAL_REMINDER("Task_SendReferralReminder"),
        TASK_FIND_RECOMMENDATIONS("Task_FindRecommendations"),
        TASK_SEND_VOUCHER("Task_SendVoucher"),
        GATEWAY_SENT("Gateway_Sent"),
        GATEWAY_RESPONSE("Gateway_Response"),
        EVENT_REFERRAL_MADE("Event_ReferralMade"),
        EVENT_RESPONSE_WAIT_OVER("Event_ResponseWaitOver"),
        END_EVENT_REFERRED("EndEvent_Referred"),
        END_EVENT_NO_RESPONSE("EndEvent_NoResponse"),
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
        /** Sent by {@link OrderGoal} to every journey of a customer who ordered. */
        ORDER_PLACED(OrderGoal.ORDER_PLACED),
        /** Sent by {@link ReferralGoal} when the customer referred a friend. */
        REFERRAL_MADE(ReferralGoal.REFERRAL_MADE);

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private AdvocateReferralProcess() {}
}
