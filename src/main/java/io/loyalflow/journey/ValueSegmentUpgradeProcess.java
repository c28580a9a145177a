package io.loyalflow.journey;

import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;

/**
 * The contract of {@code bpmn/value-segment-upgrade.bpmn}, the value-segment upgrade campaign template: its
 * process key, the elements code and tests name (every flow node) and the messages it catches, so that none is
 * a bare string; {@code ProcessContractsTest} checks each against the model.
 */
public final class ValueSegmentUpgradeProcess {

    public static final String KEY = "value-segment-upgrade";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_TIER_CHANGED("StartEvent_TierChanged"),
        TASK_DECIDE_TIER_CHANGE("Task_DecideTierChange"),
        GATEWAY_TIER_CHANGE("Gateway_TierChange"),
        TASK_SEND_CONGRATULATION("Task_SendCongratulation"),
        GATEWAY_CONGRATULATION_SENT("Gateway_CongratulationSent"),
        GATEWAY_OPENED("Gateway_Opened"),
        EVENT_EMAIL_OPENED("Event_EmailOpened"),
        TASK_START_FOLLOW_UP("Task_StartFollowUp"),
        END_EVENT_FOLLOWED_UP("EndEvent_FollowedUp"),
        EVENT_OPEN_WAIT_OVER("Event_OpenWaitOver"),
        GATEWAY_REMIND("Gateway_Remind"),
        TASK_SPLIT_REMINDER("Task_SplitReminder"),
        GATEWAY_REMINDER_ARM("Gateway_ReminderArm"),
        TASK_SEND_REMINDER_EMAIL("Task_SendReminderEmail"),
        END_EVENT_REMINDED_BY_EMAIL("EndEvent_RemindedByEmail"),
        TASK_SEND_REMINDER_SMS("Task_SendReminderSms"),
        END_EVENT_REMINDED_BY_SMS("EndEvent_RemindedBySms"),
        END_EVENT_HELD_OUT("EndEvent_HeldOut"),
        GATEWAY_DOWNGRADE_WARNING("Gateway_DowngradeWarning"),
        TASK_SEND_DOWNGRADE_WARNING("Task_SendDowngradeWarning"),
        END_EVENT_WARNED("EndEvent_Warned"),
        END_EVENT_NOT_UPGRADED("EndEvent_NotUpgraded");

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
        /** Sent by messaging's engagement correlation when the customer opened the e-mail. */
        EMAIL_OPENED(EngagementMessages.EMAIL_OPENED);

        private final String messageName;

        Message(String messageName) {
            this.messageName = messageName;
        }

        @Override
        public String messageName() {
            return messageName;
        }
    }

    private ValueSegmentUpgradeProcess() {}
}
