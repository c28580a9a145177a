package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/cross-sell.bpmn}, the cross-sell offer after an order: its process key, the elements
 * code and tests name (every flow node) and the messages it catches; {@code ProcessContractsTest} checks each
 * against the model. Its journeys are entered by {@link CrossSellEntry}.
 */
public final class CrossSellProcess {

    public static final String KEY = "cross-sell";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ENTERED("StartEvent_Entered"),
        TASK_TIME_OFFER("Task_TimeOffer"),
        TIMER_OFFER_DUE("Timer_OfferDue"),
        TASK_READ_CUSTOMER("Task_ReadCustomer"),
        TASK_CHOOSE_CHANNEL("Task_ChooseChannel"),
        GATEWAY_CHANNEL("Gateway_Channel"),
        END_EVENT_UNREACHABLE("EndEvent_Unreachable"),
        TASK_RECOMMEND_PRODUCTS("Task_RecommendProducts"),
        TASK_SPLIT_OFFER("Task_SplitOffer"),
        GATEWAY_OFFER_ARM("Gateway_OfferArm"),
        TASK_SEND_OFFER_A("Task_SendOfferA"),
        TASK_SEND_OFFER_B("Task_SendOfferB"),
        TIMER_HOLDOUT_WAIT("Timer_HoldoutWait"),
        END_EVENT_HELD_OUT("EndEvent_HeldOut"),
        TASK_RECOMMEND_PRODUCT("Task_RecommendProduct"),
        TASK_SEND_OFFER_SMS("Task_SendOfferSms"),
        GATEWAY_OFFERED("Gateway_Offered"),
        TIMER_OFFER_WAIT("Timer_OfferWait"),
        END_EVENT_NO_ORDER("EndEvent_NoOrder"),
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
        /** Sent by {@link OrderGoal} for an order placed after the one the journey follows. */
        ORDER_PLACED(OrderGoal.ORDER_PLACED);

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private CrossSellProcess() {}
}
