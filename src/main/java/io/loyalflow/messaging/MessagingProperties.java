package io.loyalflow.messaging;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Messaging settings ({@code loyalflow.messaging.*}); docs/operations.md lists each with its
 * environment variable.
 *
 * @param publicBaseUrl the address customers and providers reach this service at (unsubscribe links,
 *     Twilio status callbacks, Twilio signature validation behind proxies)
 * @param emailProvider {@code log} (records, sends nothing) or {@code sendgrid}
 * @param smsProvider {@code log} (records, sends nothing) or {@code twilio}
 * @param emailCap at most this many marketing e-mails per customer per window, across all campaigns
 * @param smsCap at most this many marketing SMS per customer per window, across all campaigns
 * @param quietHours SMS only go out inside this window of the recipient's local time
 * @param emailWindow marketing e-mails only go out inside this window of the recipient's local time
 * @param unsubscribeSecret the key unsubscribe links are signed with
 * @param staleSendAfter a send still marked in progress after this long is taken as interrupted: its
 *     outcome is recorded UNKNOWN, never resent
 */
@ConfigurationProperties("loyalflow.messaging")
public record MessagingProperties(
        URI publicBaseUrl,
        String emailProvider,
        String smsProvider,
        SendGrid sendgrid,
        Twilio twilio,
        FrequencyCap emailCap,
        FrequencyCap smsCap,
        QuietHours quietHours,
        EmailWindow emailWindow,
        Webhooks webhooks,
        String unsubscribeSecret,
        Duration staleSendAfter) {

    public static final String LOG = "log";
    public static final String SENDGRID = "sendgrid";
    public static final String TWILIO = "twilio";

    public MessagingProperties {
        publicBaseUrl = publicBaseUrl == null ? URI.create("http://localhost:8080") : publicBaseUrl;
        emailProvider = emailProvider == null || emailProvider.isBlank() ? LOG : emailProvider.trim();
        smsProvider = smsProvider == null || smsProvider.isBlank() ? LOG : smsProvider.trim();
        sendgrid = sendgrid == null ? new SendGrid(null, null, null, null, null, null, null, null) : sendgrid;
        twilio = twilio == null ? new Twilio(null, null, null, null, null, null, null) : twilio;
        emailCap = emailCap == null ? new FrequencyCap(3, Duration.ofDays(7)) : emailCap;
        smsCap = smsCap == null ? new FrequencyCap(1, Duration.ofDays(1)) : smsCap;
        quietHours = quietHours == null ? new QuietHours(null, null) : quietHours;
        emailWindow = emailWindow == null ? new EmailWindow(null, null) : emailWindow;
        webhooks = webhooks == null ? new Webhooks(null, false, null) : webhooks;
        staleSendAfter = staleSendAfter == null ? Duration.ofMinutes(2) : staleSendAfter;
    }

    /**
     * @param apiBaseUrl SendGrid's API ({@code https://api.sendgrid.com}; the EU region or a test server otherwise)
     * @param webhookPublicKey the Signed Event Webhook's verification key (base64 DER, as SendGrid shows it)
     */
    public record SendGrid(
            String apiKey,
            URI apiBaseUrl,
            String fromEmail,
            String fromName,
            Integer unsubscribeGroupId,
            String webhookPublicKey,
            Duration connectTimeout,
            Duration readTimeout) {

        public SendGrid {
            apiBaseUrl = apiBaseUrl == null ? URI.create("https://api.sendgrid.com") : apiBaseUrl;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
        }
    }

    /**
     * @param messagingServiceSid sends through this messaging service when set, else from {@code fromNumber}
     * @param apiBaseUrl Twilio's API ({@code https://api.twilio.com}; a test server otherwise)
     */
    public record Twilio(
            String accountSid,
            String authToken,
            String messagingServiceSid,
            String fromNumber,
            URI apiBaseUrl,
            Duration connectTimeout,
            Duration readTimeout) {

        public Twilio {
            apiBaseUrl = apiBaseUrl == null ? URI.create("https://api.twilio.com") : apiBaseUrl;
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
            readTimeout = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
        }
    }

    public record FrequencyCap(int max, Duration window) {

        public FrequencyCap {
            if (max < 0 || window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException(
                        "a frequency cap needs max >= 0 and a positive window, got " + max + " per " + window);
            }
        }
    }

    /** SMS may go out from {@code start} (inclusive) to {@code end} (exclusive), recipient's local time. */
    public record QuietHours(LocalTime start, LocalTime end) {

        public QuietHours {
            start = start == null ? LocalTime.of(8, 0) : start;
            end = end == null ? LocalTime.of(21, 0) : end;
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException(
                        "the SMS sending window must start before it ends: " + start + "-" + end);
            }
        }
    }

    /**
     * Marketing e-mails may go out from {@code start} (inclusive) to {@code end} (exclusive), recipient's
     * local time. {@code start} equal to {@code end} switches the window off: e-mails go out at any hour.
     */
    public record EmailWindow(LocalTime start, LocalTime end) {

        public EmailWindow {
            start = start == null ? LocalTime.of(8, 0) : start;
            end = end == null ? LocalTime.of(21, 0) : end;
            if (start.isAfter(end)) {
                throw new IllegalArgumentException(
                        "the e-mail sending window must start before it ends (or, to switch it "
                                + "off, start when it ends): " + start + "-" + end);
            }
        }

        /** Whether e-mails may go out at any hour (start equals end). */
        public boolean alwaysOpen() {
            return start.equals(end);
        }
    }

    /**
     * @param signatureTolerance SendGrid webhook requests signed longer ago than this are refused (replays)
     * @param countMachineOpens whether opens SendGrid marks as machine opens (Apple Mail Privacy
     *     Protection) count as the customer opening the e-mail
     * @param applyBatchSize how many stored events one applying pass takes
     */
    public record Webhooks(Duration signatureTolerance, boolean countMachineOpens, Integer applyBatchSize) {

        public Webhooks {
            signatureTolerance = signatureTolerance == null ? Duration.ofMinutes(10) : signatureTolerance;
            applyBatchSize = applyBatchSize == null ? 500 : applyBatchSize;
        }
    }
}
