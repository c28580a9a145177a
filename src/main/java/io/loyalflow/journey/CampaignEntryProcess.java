package io.loyalflow.journey;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/campaign-entry.bpmn}, the scheduled entry of customers into campaigns: its
 * process key, the elements code and tests name (every flow node) and the messages it catches, so that none is
 * a bare string; {@code ProcessContractsTest} checks each against the model.
 */
public final class CampaignEntryProcess {

    public static final String KEY = "campaign-entry";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        SUB_PROCESS_ENTER_CAMPAIGN("SubProcess_EnterCampaign"),
        START_EVENT_CAMPAIGN("StartEvent_Campaign"),
        TASK_ENTER_CHUNK("Task_EnterChunk"),
        GATEWAY_MORE_TO_ENTER("Gateway_MoreToEnter"),
        END_EVENT_CAMPAIGN_ENTERED("EndEvent_CampaignEntered"),
        END_EVENT_ENTERED("EndEvent_Entered");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private CampaignEntryProcess() {}
}
