package io.loyalflow.recommendation;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/recommendation-refresh.bpmn}, the nightly rebuild of the recommendation model: its
 * process key and the elements code and tests name (every flow node); {@code ProcessContractsTest} checks each
 * against the model.
 */
public final class RecommendationRefreshProcess {

    public static final String KEY = "recommendation-refresh";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_REFRESH_MODEL("Task_RefreshModel"),
        GATEWAY_REFRESHED("Gateway_Refreshed"),
        END_EVENT_REFRESHED("EndEvent_Refreshed"),
        END_EVENT_NO_ORDERS("EndEvent_NoOrders"),
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

    private RecommendationRefreshProcess() {}
}
