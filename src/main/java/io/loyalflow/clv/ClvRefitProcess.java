package io.loyalflow.clv;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/clv-refit.bpmn}, the scheduled refit of the customer-value model: its process
 * key, the elements code and tests name (every flow node) and the messages it catches, so that none is a bare
 * string; {@code ProcessContractsTest} checks each against the model.
 */
public final class ClvRefitProcess {

    public static final String KEY = "clv-refit";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_FIT_MODEL("Task_FitModel"),
        GATEWAY_FITTED("Gateway_Fitted"),
        END_EVENT_FITTED("EndEvent_Fitted"),
        END_EVENT_TOO_LITTLE_HISTORY("EndEvent_TooLittleHistory"),
        END_EVENT_ALREADY_RUNNING("EndEvent_AlreadyRunning");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private ClvRefitProcess() {}
}
