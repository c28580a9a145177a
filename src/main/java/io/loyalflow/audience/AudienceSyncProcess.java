package io.loyalflow.audience;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/audience-sync.bpmn}, one round of one ad audience: its pending changes in batches,
 * or a full replace; a flagged audience stops with an incident. {@code ProcessContractsTest} checks each element
 * against the model.
 */
public final class AudienceSyncProcess {

    public static final String KEY = "audience-sync";

    /** The BPMN error the upload steps throw when Meta flagged the audience. */
    public static final String ERROR_FLAGGED = "AUDIENCE_FLAGGED";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_ROUND_DUE("StartEvent_RoundDue"),
        GATEWAY_REPLACE("Gateway_Replace"),
        TASK_UPLOAD_CHANGES("Task_UploadChanges"),
        GATEWAY_MORE_CHANGES("Gateway_MoreChanges"),
        TASK_REPLACE_MEMBERS("Task_ReplaceMembers"),
        GATEWAY_MORE_MEMBERS("Gateway_MoreMembers"),
        BOUNDARY_FLAGGED_UPLOAD("BoundaryEvent_FlaggedUpload"),
        BOUNDARY_FLAGGED_REPLACE("BoundaryEvent_FlaggedReplace"),
        TASK_HOLD_FLAGGED("Task_HoldFlaggedAudience"),
        END_EVENT_SYNCED("EndEvent_Synced"),
        END_EVENT_REPLACED("EndEvent_Replaced"),
        END_EVENT_NOT_ACTIVE("EndEvent_NotActive"),
        END_EVENT_RESUMED("EndEvent_Resumed");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private AudienceSyncProcess() {}
}
