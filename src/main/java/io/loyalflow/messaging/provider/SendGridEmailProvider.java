package io.loyalflow.messaging.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.ASM;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.Personalization;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SuppressionReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.utils.URIBuilder;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

/**
 * Sends e-mail through SendGrid's v3 Mail Send API with a dynamic template, one attempt per call.
 * Wired by configuration ({@code loyalflow.messaging.email-provider=sendgrid}), not a component.
 */
public class SendGridEmailProvider implements EmailProvider {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_EXCERPT_CHARS = 300;
    // SendGrid names the offending part of the request; only the recipient's address may lead to a suppression
    // (an invalid from address is our configuration, not the customer's mailbox).
    private static final Pattern RECIPIENT_FIELD = Pattern.compile("personalizations\\.\\d+\\.to(\\.\\d+(\\.email)?)?");

    private final MessagingProperties.SendGrid settings;
    private final SendGrid sendGrid;

    public SendGridEmailProvider(MessagingProperties.SendGrid settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.apiKey() == null || settings.apiKey().isBlank()) {
            throw new IllegalArgumentException(
                    "the SendGrid provider needs an API key (loyalflow.messaging.sendgrid.api-key)");
        }
        this.sendGrid =
                new SendGrid(settings.apiKey(), new SendGridApiClient(httpClient(settings), settings.apiBaseUrl()));
    }

    @Override
    public String name() {
        return "sendgrid";
    }

    /** Asks SendGrid's Verified Senders API (single sender verification) whether the address is verified. */
    @Override
    public Optional<Boolean> isVerifiedSender(String fromEmail) throws IOException {
        Request request = new Request();
        request.setMethod(Method.GET);
        request.setEndpoint("verified_senders");
        request.addQueryParam("limit", "1000");
        Response response = sendGrid.api(request);
        if (response.getStatusCode() / 100 != 2) {
            throw new IOException("SendGrid's verified senders API answered " + response.getStatusCode());
        }
        for (JsonNode sender : JSON.readTree(response.getBody()).path("results")) {
            if (sender.path("from_email").asText().equalsIgnoreCase(fromEmail)) {
                return Optional.of(sender.path("verified").asBoolean(false));
            }
        }
        return Optional.of(false);
    }

    @Override
    public SendResult send(EmailMessage message) {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        request.setBody(mailJson(message));
        Response response;
        try {
            response = sendGrid.api(request);
        } catch (IOException e) {
            return classify(e);
        }
        return classify(response);
    }

    private String mailJson(EmailMessage message) {
        Mail mail = new Mail();
        // The configured sender stands in when the caller leaves it to us; its name only goes with its own address.
        if (message.fromEmail() != null) {
            mail.setFrom(email(message.fromEmail(), message.fromName()));
        } else {
            mail.setFrom(email(settings.fromEmail(), settings.fromName()));
        }
        mail.setTemplateId(message.templateId());

        Personalization personalization = new Personalization();
        personalization.addTo(email(message.to(), message.toName()));
        if (message.templateData() != null) {
            message.templateData().forEach(personalization::addDynamicTemplateData);
        }
        if (message.customArgs() != null) {
            message.customArgs().forEach(personalization::addCustomArg);
        }
        // Added last so a stray custom arg of the same name cannot break how webhook events find their delivery.
        personalization.addCustomArg(EmailMessage.DELIVERY_ID_ARG, message.deliveryId());
        mail.addPersonalization(personalization);

        if (message.category() != null) {
            mail.addCategory(message.category());
        }
        if (message.unsubscribeGroupId() != null) {
            ASM asm = new ASM();
            asm.setGroupId(message.unsubscribeGroupId());
            asm.setGroupsToDisplay(new int[] {message.unsubscribeGroupId()});
            mail.setASM(asm);
        }
        if (message.unsubscribeUrl() != null) {
            // RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders.
            mail.addHeader("List-Unsubscribe", "<" + message.unsubscribeUrl() + ">");
            mail.addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        try {
            return mail.build();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "template data of delivery " + message.deliveryId() + " cannot be written as JSON", e);
        }
    }

    private static Email email(String address, String name) {
        return name == null ? new Email(address) : new Email(address, name);
    }

    private static SendResult classify(Response response) {
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return new SendResult.Accepted(header(response, "X-Message-Id"));
        }
        String reason = "SendGrid answered " + status + ": " + excerpt(response.getBody());
        if (status == 429) {
            Duration retryAfter = retryAfterSeconds(header(response, "Retry-After"));
            return new SendResult.Retryable(
                    reason, retryAfter != null ? retryAfter : retryAfter(header(response, "X-RateLimit-Reset")));
        }
        if (status == 500 || status == 502 || status == 503) {
            return new SendResult.Retryable(reason, null);
        }
        if (status >= 400 && status < 500) {
            SuppressionReason suppress =
                    status == 400 && recipientAddressInvalid(response.getBody()) ? SuppressionReason.HARD_BOUNCE : null;
            return new SendResult.Rejected(reason, String.valueOf(status), suppress);
        }
        // 504 and any other answer: the mail may have been taken on, so it must not be sent again.
        return new SendResult.Unknown(reason);
    }

    private static SendResult classify(IOException e) {
        String reason = "SendGrid unreachable: " + e;
        int depth = 0;
        for (Throwable cause = e; cause != null && depth < 10; cause = cause.getCause(), depth++) {
            if (cause instanceof ConnectException
                    || cause instanceof ConnectTimeoutException
                    || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException) {
                return new SendResult.Retryable(reason, null);
            }
        }
        // A read timeout or a connection lost after the request went out: SendGrid may have taken the mail.
        return new SendResult.Unknown("no answer from SendGrid: " + e);
    }

    // The SDK keeps response headers in a plain HashMap under the name the server sent.
    private static String header(Response response, String name) {
        Map<String, String> headers = response.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }

    /** An HTTP Retry-After in seconds; null when absent or not a number of seconds. */
    private static Duration retryAfterSeconds(String seconds) {
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

    /** SendGrid's X-RateLimit-Reset (epoch seconds, SendGrid's clock): the wait until then, or null. */
    private static Duration retryAfter(String rateLimitReset) {
        if (rateLimitReset == null) {
            return null;
        }
        try {
            Duration wait =
                    Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(rateLimitReset.trim())));
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    private static boolean recipientAddressInvalid(String body) {
        for (JsonNode error : errors(body)) {
            String field = error.path("field").asText("");
            if (RECIPIENT_FIELD.matcher(field).matches()) {
                return true;
            }
            String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
            boolean aboutAnAddress =
                    message.contains("email address") || message.contains("does not contain a valid address");
            boolean aboutAnotherParty = message.contains("from") || message.contains("reply");
            if ((field.isBlank() || "null".equals(field)) && aboutAnAddress && !aboutAnotherParty) {
                return true;
            }
        }
        return false;
    }

    private static List<JsonNode> errors(String body) {
        List<JsonNode> errors = new ArrayList<>();
        if (body == null || body.isBlank()) {
            return errors;
        }
        try {
            JSON.readTree(body).path("errors").forEach(errors::add);
        } catch (IOException e) {
            // Not SendGrid's error JSON (a proxy's page, say): nothing to learn about the address.
        }
        return errors;
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= BODY_EXCERPT_CHARS ? flat : flat.substring(0, BODY_EXCERPT_CHARS) + "...";
    }

    private static CloseableHttpClient httpClient(MessagingProperties.SendGrid settings) {
        int connectMillis = Math.toIntExact(settings.connectTimeout().toMillis());
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout(connectMillis)
                // Waiting for a pooled connection counts as not connected yet: nothing has been sent.
                .setConnectionRequestTimeout(connectMillis)
                .setSocketTimeout(Math.toIntExact(settings.readTimeout().toMillis()))
                .build();
        return HttpClients.custom()
                .setDefaultRequestConfig(config)
                // A retried POST after a lost answer could send the mail twice; retrying is the caller's decision.
                .disableAutomaticRetries()
                // The default of two connections per route would queue concurrent sends.
                .setMaxConnPerRoute(20)
                .setMaxConnTotal(20)
                .build();
    }

    /** Sends to the configured API base (EU region, a test server) instead of the SDK's fixed https host. */
    private static final class SendGridApiClient extends Client {

        private final URI apiBaseUrl;

        SendGridApiClient(CloseableHttpClient httpClient, URI apiBaseUrl) {
            super(httpClient);
            this.apiBaseUrl = apiBaseUrl;
        }

        @Override
        public URI buildUri(String baseUri, String endpoint, Map<String, String> queryParams)
                throws URISyntaxException {
            String basePath = apiBaseUrl.getRawPath() == null
                    ? ""
                    : apiBaseUrl.getRawPath().replaceAll("/+$", "");
            URIBuilder uri = new URIBuilder()
                    .setScheme(apiBaseUrl.getScheme())
                    .setHost(apiBaseUrl.getHost())
                    .setPort(apiBaseUrl.getPort())
                    .setPath(basePath + endpoint);
            if (queryParams != null) {
                queryParams.forEach(uri::addParameter);
            }
            return uri.build();
        }
    }
}
