package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/journey-consistency-check.bpmn}, the check of journeys against enrollments, at
 * start and daily: its process key, the elements code and tests name (every flow node) and the messages it
 * catches, so that none is a bare string; {@code ProcessContractsTest} checks each against the model.
 */
public final class JourneyConsistencyCheckProcess {

    public static final String KEY = "journey-consistency-check";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SERVICE_STARTED("StartEvent_ServiceStarted"),
        START_EVENT_DAILY("StartEvent_Daily"),
        TASK_CHECK_JOURNEYS("Task_CheckJourneys"),
        END_EVENT_CHECKED("EndEvent_Checked");

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
        /** Sent by {@link JourneyConsistencyAtStart} at every start of the service. */
        CHECK_JOURNEYS("Msg_CheckJourneys");

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private JourneyConsistencyCheckProcess() {}
}
