package io.loyalflow.messaging.provider;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Sends SMS through Twilio's Messages API, one attempt per call (the SDK's own 5xx retry is off).
 * Wired by configuration ({@code loyalflow.messaging.sms-provider=twilio}), not a component.
 */
public class TwilioSmsProvider implements SmsProvider {

    /** The recipient replied STOP (or an equivalent) to this sender. */
    static final int UNSUBSCRIBED_RECIPIENT = 21610;
    /** The 'To' number is not a valid phone number. */
    static final int INVALID_TO_NUMBER = 21211;
    /** The 'To' number is not a mobile number (a landline cannot receive SMS). */
    static final int NOT_A_MOBILE_NUMBER = 21614;

    private final MessagingProperties.Twilio settings;
    private final TwilioSingleAttemptHttpClient httpClient;
    private final TwilioRestClient client;

    public TwilioSmsProvider(MessagingProperties.Twilio settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (blank(settings.accountSid()) || blank(settings.authToken())) {
            throw new IllegalArgumentException("the Twilio provider needs an account SID and an auth token "
                    + "(loyalflow.messaging.twilio.account-sid, .auth-token)");
        }
        if (blank(settings.messagingServiceSid()) && blank(settings.fromNumber())) {
            throw new IllegalArgumentException("the Twilio provider needs a messaging service SID or a from number "
                    + "(loyalflow.messaging.twilio.messaging-service-sid, .from-number)");
        }
        this.httpClient = new TwilioSingleAttemptHttpClient(
                settings.apiBaseUrl(), settings.connectTimeout(), settings.readTimeout());
        this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
                .httpClient(httpClient)
                .build();
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public SendResult send(SmsMessage message) {
        MessageCreator creator = blank(settings.messagingServiceSid())
                ? Message.creator(new PhoneNumber(message.to()), new PhoneNumber(settings.fromNumber()), message.body())
                : Message.creator(new PhoneNumber(message.to()), settings.messagingServiceSid(), message.body());
        if (message.statusCallbackUrl() != null) {
            creator.setStatusCallback(URI.create(message.statusCallbackUrl()));
        }
        httpClient.forgetLastAnswer();
        try {
            return new SendResult.Accepted(creator.create(client).getSid());
        } catch (TwilioException e) {
            return classify(e, httpClient.takeLastAnswer());
        } finally {
            httpClient.forgetLastAnswer();
        }
    }

    /**
     * Classifies by the HTTP status that really came back: the SDK takes the status it reports from
     * the error JSON, and a body that is not Twilio's JSON (a proxy's 502 page, an empty 504) leaves it
     * without one.
     */
    private static SendResult classify(TwilioException e, TwilioSingleAttemptHttpClient.Answer answer) {
        if (answer == null) {
            return classifyWithoutAnswer(e);
        }
        int status = answer.status();
        Integer code = e instanceof ApiException api ? api.getCode() : null;
        String reason =
                "Twilio answered " + status + (code == null ? "" : " with error " + code) + ": " + e.getMessage();
        if (status >= 200 && status < 300) {
            return new SendResult.Unknown(
                    "Twilio took the message but its answer could not be read: " + e.getMessage());
        }
        if (status == 429) {
            return new SendResult.Retryable(reason, retryAfter(answer.retryAfter()));
        }
        if (status == 500 || status == 502 || status == 503) {
            return new SendResult.Retryable(reason, null);
        }
        if (status >= 400 && status < 500) {
            return new SendResult.Rejected(
                    reason, code == null ? String.valueOf(status) : String.valueOf(code), suppression(code));
        }
        // 504 and anything else: Twilio may have created the message, so it must not be sent again.
        return new SendResult.Unknown(reason);
    }

    private static SuppressionReason suppression(Integer code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case UNSUBSCRIBED_RECIPIENT -> SuppressionReason.STOPPED;
            case INVALID_TO_NUMBER, NOT_A_MOBILE_NUMBER -> SuppressionReason.INVALID_NUMBER;
            // 21612 (not reachable now), 21408 (region not enabled on our account) and the rest say nothing
            // permanent about the recipient's number.
            default -> null;
        };
    }

    // NetworkHttpClient wraps an IOException in an ApiException (not ApiConnectionException) with the
    // IOException as its cause; ApiConnectionException comes when there is no response at all.
    private static SendResult classifyWithoutAnswer(TwilioException e) {
        int depth = 0;
        for (Throwable cause = e.getCause(); cause != null && depth < 10; cause = cause.getCause(), depth++) {
            if (cause instanceof ConnectException
                    || cause instanceof ConnectTimeoutException
                    || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException
                    // No pooled connection came free in time: nothing was sent.
                    || cause instanceof ConnectionRequestTimeoutException) {
                return new SendResult.Retryable("Twilio unreachable: " + cause, null);
            }
        }
        // A read timeout or a connection lost after the request went out: Twilio may have created the message.
        return new SendResult.Unknown(
                "no answer from Twilio: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
    }

    private static Duration retryAfter(String seconds) {
        if (seconds == null) {
            return null;
        }
        try {
            long value = Long.parseLong(seconds.trim());
            return value < 0 ? Duration.ZERO : Duration.ofSeconds(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
