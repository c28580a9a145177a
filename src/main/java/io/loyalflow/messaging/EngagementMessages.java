package io.loyalflow.messaging;

import java.util.Set;

/** The BPMN messages Loyalflow correlates to a waiting journey (message names; the element ids are the same). */
public final class EngagementMessages {

    public static final String EMAIL_OPENED = "Msg_EmailOpened";
    public static final String EMAIL_CLICKED = "Msg_EmailClicked";
    public static final String EMAIL_BOUNCED = "Msg_EmailBounced";
    public static final String SMS_DELIVERED = "Msg_SmsDelivered";
    public static final String SMS_FAILED = "Msg_SmsFailed";

    public static final Set<String> ALL = Set.of(EMAIL_OPENED, EMAIL_CLICKED, EMAIL_BOUNCED, SMS_DELIVERED, SMS_FAILED);

    private EngagementMessages() {}
}
