package io.loyalflow.messaging;

/** Why an address may not be sent to on any campaign. */
public enum SuppressionReason {
    /** The mailbox does not exist (a permanent bounce, or SendGrid refused the address as invalid). */
    HARD_BOUNCE,
    /** The recipient marked a message as spam. */
    SPAM_REPORT,
    /** The recipient unsubscribed (link, one-click header, or SendGrid's unsubscribe group). */
    UNSUBSCRIBED,
    /** The recipient replied STOP (or an equivalent keyword), or Twilio reports the number opted out. */
    STOPPED,
    /** The phone number cannot receive SMS (not a mobile, unknown, unreachable for good). */
    INVALID_NUMBER
}
