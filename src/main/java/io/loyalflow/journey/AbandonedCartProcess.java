package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/abandoned-cart.bpmn}, the abandoned-cart campaign template: its process key,
 * the elements code and tests name (every flow node) and the messages it catches, so that none is a bare
 * string; {@code ProcessContractsTest} checks each against the model. Journeys are entered, restarted,
 * replaced and closed by {@link CartJourneys}.
 */
public final class AbandonedCartProcess {

    public static final String KEY = "abandoned-cart";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_CART_ABANDONED("StartEvent_CartAbandoned"),
        GATEWAY_REMINDER_WAIT("Gateway_ReminderWait"),
        TIMER_CART_ABANDONED("Timer_CartAbandoned"),
        GATEWAY_REMINDER_DUE("Gateway_ReminderDue"),
        TASK_LOAD_CART("Task_LoadCart"),
        TASK_SPLIT_REMINDER("Task_SplitReminder"),
        GATEWAY_REMINDER_ARM("Gateway_ReminderArm"),
        TASK_SEND_REMINDER_A("Task_SendReminderA"),
        TASK_SEND_REMINDER_B("Task_SendReminderB"),
        GATEWAY_REMINDED("Gateway_Reminded"),
        GATEWAY_SMS_WAIT("Gateway_SmsWait"),
        TIMER_SMS_DELAY("Timer_SmsDelay"),
        GATEWAY_SMS_DUE("Gateway_SmsDue"),
        TASK_READ_CUSTOMER("Task_ReadCustomer"),
        GATEWAY_SMS_REMINDER("Gateway_SmsReminder"),
        TASK_SEND_SMS_REMINDER("Task_SendSmsReminder"),
        END_EVENT_REMINDED_BY_SMS("EndEvent_RemindedBySms"),
        END_EVENT_REMINDED_BY_EMAIL("EndEvent_RemindedByEmail"),
        END_EVENT_HELD_OUT("EndEvent_HeldOut"),
        SUB_PROCESS_CART_UPDATED("SubProcess_CartUpdated"),
        START_EVENT_CART_UPDATED("StartEvent_CartUpdated"),
        END_EVENT_UPDATE_NOTED("EndEvent_UpdateNoted"),
        SUB_PROCESS_ORDERED("SubProcess_Ordered"),
        START_EVENT_ORDER_PLACED("StartEvent_OrderPlaced"),
        END_EVENT_CONVERTED("EndEvent_Converted"),
        SUB_PROCESS_CART_CLOSED("SubProcess_CartClosed"),
        START_EVENT_CART_CLOSED("StartEvent_CartClosed"),
        GATEWAY_CART_OUTCOME("Gateway_CartOutcome"),
        END_EVENT_CHECKED_OUT("EndEvent_CheckedOut"),
        END_EVENT_CLEARED("EndEvent_Cleared");

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
        /** Sent by {@link CartJourneys} for each handled update of the cart: restarts the waits. */
        CART_UPDATED(CartJourneys.CART_UPDATED),
        /** Sent by {@link CartJourneys} when the cart was cleared or its checkout completed. */
        CART_CLOSED(CartJourneys.CART_CLOSED),
        /** Sent by {@link OrderGoal} to every journey of a customer who ordered. */
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

    private AbandonedCartProcess() {}
}
