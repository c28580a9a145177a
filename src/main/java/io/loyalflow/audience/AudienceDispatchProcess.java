package io.loyalflow.audience;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/audience-dispatch.bpmn}: on its schedule, starts a round of audience-sync for every
 * active ad audience with work to do and no round running. {@code ProcessContractsTest} checks it.
 */
public final class AudienceDispatchProcess {

    public static final String KEY = "audience-dispatch";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_START_ROUNDS("Task_StartRounds"),
        END_EVENT_DISPATCHED("EndEvent_Dispatched");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private AudienceDispatchProcess() {}
}
