package io.loyalflow.messaging;

/**
 * How long the parts of a message may be, wherever analysts or services give them: campaign settings,
 * test sends, send steps. Every text has a limit (a long text costs storage, rendering and provider
 * calls, and is never what anyone meant).
 */
public final class MessageLimits {

    /** An SMS text as written, tokens included: Twilio's own maximum (10 segments of 160 characters). */
    public static final int SMS_TEXT = 1_600;
    /** E-mail template data, as JSON (the same bound as customers' attributes). */
    public static final int TEMPLATE_DATA = 16_384;
    /** An e-mail address or a phone number as given (e-mail addresses have at most 254 characters). */
    public static final int ADDRESS = 254;
    /** A test send's category, the campaign name its delivery is listed under. */
    public static final int CATEGORY = 100;

    private MessageLimits() {}
}
