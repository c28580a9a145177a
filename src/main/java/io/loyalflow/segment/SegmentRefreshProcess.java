package io.loyalflow.segment;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/segment-refresh.bpmn}, the scheduled refresh of the built-in segments: its
 * process key, the elements code and tests name (every flow node) and the messages it catches, so that none is
 * a bare string; {@code ProcessContractsTest} checks each against the model.
 */
public final class SegmentRefreshProcess {

    public static final String KEY = "segment-refresh";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_REFRESH_SEGMENTS("Task_RefreshSegments"),
        GATEWAY_REFRESHED("Gateway_Refreshed"),
        END_EVENT_REFRESHED("EndEvent_Refreshed"),
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

    private SegmentRefreshProcess() {}
}
