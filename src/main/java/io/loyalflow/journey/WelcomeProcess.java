package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/welcome.bpmn}, the welcome programme: its process key, the elements code and
 * tests name (every flow node) and the messages it catches; {@code ProcessContractsTest} checks each against
 * the model. Its journeys are entered by {@link WelcomeEntry}.
 */
public final class WelcomeProcess {

    public static final String KEY = "welcome";
    /** The decision choosing the advice e-mail ({@code dmn/welcome-advice.dmn}). */
    public static final String ADVICE_DECISION = "welcome-advice";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ENTERED("StartEvent_Entered"),
        TASK_SEND_THANK_YOU("Task_SendThankYou"),
        TASK_CHOOSE_ADVICE("Task_ChooseAdvice"),
        EVENT_ADVICE_DELAY("Event_AdviceDelay"),
        TASK_SEND_ADVICE("Task_SendAdvice"),
        EVENT_SECOND_ORDER_WAIT_OVER("Event_SecondOrderWaitOver"),
        TASK_SEND_INCENTIVE("Task_SendIncentive"),
        END_EVENT_COMPLETED("EndEvent_Completed"),
        SUB_PROCESS_ORDERED("SubProcess_Ordered"),
        START_EVENT_ORDER_PLACED("StartEvent_OrderPlaced"),
        END_EVENT_CONVERTED("EndEvent_Converted"),
        SUB_PROCESS_NOT_FIRST_ORDER("SubProcess_NotFirstOrder"),
        START_EVENT_NOT_FIRST_ORDER("StartEvent_NotFirstOrder"),
        END_EVENT_NOT_FIRST_ORDER("EndEvent_NotFirstOrder");

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
        /** Sent by {@link OrderGoal} for an order placed after the first one: a second order. */
        ORDER_PLACED(OrderGoal.ORDER_PLACED),
        /** Sent by {@link WelcomeEntry} when an older order of the customer arrives late. */
        NOT_FIRST_ORDER(WelcomeEntry.NOT_FIRST_ORDER);

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private WelcomeProcess() {}
}
