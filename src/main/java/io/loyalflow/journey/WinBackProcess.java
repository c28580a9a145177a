package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/win-back.bpmn}, the win-back campaign template: its process key, the elements
 * code and tests name (every flow node) and the messages it catches, so that none is a bare string; {@code
 * ProcessContractsTest} checks each against the model.
 */
public final class WinBackProcess {

    public static final String KEY = "win-back";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ENTERED("StartEvent_Entered"),
        TASK_READ_CUSTOMER("Task_ReadCustomer"),
        TASK_CHOOSE_CHANNEL("Task_ChooseChannel"),
        GATEWAY_CHANNEL("Gateway_Channel"),
        TASK_SEND_OFFER_EMAIL("Task_SendOfferEmail"),
        TASK_SEND_OFFER_SMS("Task_SendOfferSms"),
        END_EVENT_UNREACHABLE("EndEvent_Unreachable"),
        GATEWAY_OFFER_SENT("Gateway_OfferSent"),
        EVENT_ORDER_WAIT_OVER("Event_OrderWaitOver"),
        GATEWAY_SECOND_REMINDER("Gateway_SecondReminder"),
        GATEWAY_REMINDER_CHANNEL("Gateway_ReminderChannel"),
        TASK_SEND_REMINDER_EMAIL("Task_SendReminderEmail"),
        TASK_SEND_REMINDER_SMS("Task_SendReminderSms"),
        GATEWAY_REMINDER_SENT("Gateway_ReminderSent"),
        EVENT_REMINDER_WAIT_OVER("Event_ReminderWaitOver"),
        GATEWAY_LAPSED("Gateway_Lapsed"),
        END_EVENT_LAPSED("EndEvent_Lapsed"),
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

    private WinBackProcess() {}
}
