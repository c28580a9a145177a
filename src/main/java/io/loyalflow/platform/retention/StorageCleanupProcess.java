package io.loyalflow.platform.retention;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/storage-cleanup.bpmn}, the scheduled deletion of expired rows: its process key and
 * its flow nodes by id; {@code ProcessContractsTest} checks each against the model.
 */
public final class StorageCleanupProcess {

    public static final String KEY = "storage-cleanup";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_DELETE_EXPIRED_ROWS("Task_DeleteExpiredRows"),
        GATEWAY_MORE("Gateway_More"),
        END_EVENT_CLEANED_UP("EndEvent_CleanedUp"),
        END_EVENT_WINDOW_CLOSED("EndEvent_WindowClosed");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private StorageCleanupProcess() {}
}
