package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/best-customer.bpmn}, the best-customer campaign template: its process key, the
 * elements code and tests name (every flow node) and the messages it catches, so that none is a bare string;
 * {@code ProcessContractsTest} checks each against the model.
 */
public final class BestCustomerProcess {

    public static final String KEY = "best-customer";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_BEST_CUSTOMER("StartEvent_BestCustomer"),
        SUB_PROCESS_SERIES("SubProcess_Series"),
        START_EVENT_SERIES_EMAIL("StartEvent_SeriesEmail"),
        EVENT_SERIES_DELAY("Event_SeriesDelay"),
        GATEWAY_SMART_SEND("Gateway_SmartSend"),
        TASK_COMPUTE_SMART_SEND_TIME("Task_ComputeSmartSendTime"),
        EVENT_SMART_SEND_WAIT("Event_SmartSendWait"),
        GATEWAY_READY_TO_SEND("Gateway_ReadyToSend"),
        TASK_SEND_SERIES_EMAIL("Task_SendSeriesEmail"),
        END_EVENT_EMAIL_DONE("EndEvent_EmailDone"),
        GATEWAY_TEAM_TASK("Gateway_TeamTask"),
        TASK_TEAM_FOLLOW_UP("Task_TeamFollowUp"),
        END_EVENT_TEAM_FOLLOWED_UP("EndEvent_TeamFollowedUp"),
        END_EVENT_SERIES_DONE("EndEvent_SeriesDone");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private BestCustomerProcess() {}
}
