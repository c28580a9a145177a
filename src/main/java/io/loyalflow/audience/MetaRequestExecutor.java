package io.loyalflow.audience;

import com.facebook.ads.sdk.APIContext;
import com.facebook.ads.sdk.APIException;
import com.facebook.ads.sdk.APIRequest;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Modifier;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Marketing API SDK's transport on the JDK HttpClient: the SDK's own executor casts to
 * HttpsURLConnection (no plain-http test server) and sets no timeouts, so a silent Graph API would hold a
 * sync job forever. Requests are written as the SDK writes them: GET with a query string, POST and DELETE
 * as multipart/form-data. Neither the URL nor the parameters are logged or put in exceptions: the access
 * token travels in both.
 */
final class MetaRequestExecutor implements APIRequest.IRequestExecutor {

    private static final Logger log = LoggerFactory.getLogger(MetaRequestExecutor.class);

    /** Meta's answers to audience calls are a few hundred bytes; a larger one is not Meta's. */
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    // As the SDK turns parameter values into text (APIRequest.convertToString): maps and lists as JSON.
    private static final Gson PARAMETER_JSON = new GsonBuilder()
            .excludeFieldsWithModifiers(Modifier.STATIC)
            .excludeFieldsWithModifiers(Modifier.PROTECTED)
            .disableHtmlEscaping()
            .create();
    private static final Gson HEADER_JSON =
            new GsonBuilder().disableHtmlEscaping().create();

    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    MetaRequestExecutor(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public APIRequest.ResponseWrapper execute(
            String method, String apiUrl, Map<String, Object> allParams, APIContext context)
            throws APIException, IOException {
        return switch (method) {
            case "GET" -> sendGet(apiUrl, allParams, context);
            case "POST" -> sendPost(apiUrl, allParams, context);
            case "DELETE" -> sendDelete(apiUrl, allParams, context);
            default ->
                throw new IllegalArgumentException("the Graph API is called with GET, POST or DELETE, not " + method);
        };
    }

    @Override
    public APIRequest.ResponseWrapper sendGet(String apiUrl, Map<String, Object> allParams, APIContext context)
            throws APIException, IOException {
        URI uri = URI.create(apiUrl + (allParams.isEmpty() ? "" : "?" + queryString(allParams)));
        return send(
                HttpRequest.newBuilder(uri)
                        .GET()
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("User-Agent", APIRequest.USER_AGENT),
                "GET",
                uri,
                allParams);
    }

    @Override
    public APIRequest.ResponseWrapper sendPost(String apiUrl, Map<String, Object> allParams, APIContext context)
            throws APIException, IOException {
        return sendMultipart("POST", apiUrl, allParams);
    }

    @Override
    public APIRequest.ResponseWrapper sendDelete(String apiUrl, Map<String, Object> allParams, APIContext context)
            throws APIException, IOException {
        return sendMultipart("DELETE", apiUrl, allParams);
    }

    private APIRequest.ResponseWrapper sendMultipart(String method, String apiUrl, Map<String, Object> allParams)
            throws APIException, IOException {
        URI uri = URI.create(apiUrl);
        String boundary =
                "--------------------------" + UUID.randomUUID().toString().replace("-", "");
        return send(
                HttpRequest.newBuilder(uri)
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, allParams)))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("User-Agent", APIRequest.USER_AGENT),
                method,
                uri,
                allParams);
    }

    private APIRequest.ResponseWrapper send(
            HttpRequest.Builder request, String method, URI uri, Map<String, Object> allParams)
            throws APIException, IOException {
        long started = System.nanoTime();
        // The request timeout ends at the answer's headers; the deadline also bounds a body that trickles in.
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request.timeout(readTimeout).build(), info -> new LimitedBody());
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(connectTimeout.plus(readTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw withoutSecrets(
                    new HttpTimeoutException("no complete answer within " + connectTimeout.plus(readTimeout)),
                    method,
                    uri,
                    allParams);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Graph API (" + method + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw withoutSecrets(
                    cause instanceof IOException io
                            ? io
                            : new IOException(cause.getClass().getSimpleName()),
                    method,
                    uri,
                    allParams);
        }
        int status = response.statusCode();
        log.debug("Graph API {} answered HTTP {} in {} ms", method, status, (System.nanoTime() - started) / 1_000_000);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String header = HEADER_JSON.toJson(response.headers().map());
        if (status >= 400) {
            // As the SDK's executor does: Meta's error JSON is the exception's message, for the SDK-level code to read.
            throw new HttpFailure(status, header, body);
        }
        return new APIRequest.ResponseWrapper(body, header);
    }

    /** Collects an answer up to {@link #MAX_RESPONSE_BYTES}; a longer one fails instead of filling the heap. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (received.size() + buffer.remaining() > MAX_RESPONSE_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(
                            new IOException("the Graph API's answer exceeds " + MAX_RESPONSE_BYTES + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                received.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(received.toByteArray());
        }
    }

    private static String queryString(Map<String, Object> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, Object> param : params.entrySet()) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(text(param.getValue()), StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static byte[] multipart(String boundary, Map<String, Object> params) {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, Object> param : params.entrySet()) {
            body.append("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"")
                    .append(param.getKey())
                    .append("\"\r\n\r\n")
                    .append(text(param.getValue()))
                    .append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return PARAMETER_JSON.toJson(value);
        }
        if (value instanceof java.io.File || value instanceof byte[]) {
            // Audience calls send JSON only; file uploads (ad images, videos) are not this executor's business.
            throw new IllegalArgumentException("files are not sent through this executor");
        }
        return value.toString();
    }

    /**
     * The JDK may put the request URI in an exception's message, and the URI of a GET carries the access
     * token: the exception that leaves here names the method, host and path, and keeps its kind (timeout,
     * refused connection) for the caller's classification.
     */
    private static IOException withoutSecrets(IOException e, String method, URI uri, Map<String, Object> params) {
        String where = method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath();
        String detail = e.getMessage() == null ? "" : scrub(e.getMessage(), uri, params);
        String message = where + ": " + (detail.isBlank() ? e.getClass().getSimpleName() : detail);
        IOException clean;
        if (e instanceof HttpConnectTimeoutException) {
            clean = new HttpConnectTimeoutException(message);
        } else if (e instanceof HttpTimeoutException) {
            clean = new HttpTimeoutException(message);
        } else if (e instanceof ConnectException) {
            clean = new ConnectException(message);
        } else {
            clean = new IOException(message);
        }
        clean.setStackTrace(e.getStackTrace());
        return clean;
    }

    private static String scrub(String message, URI uri, Map<String, Object> params) {
        String scrubbed = message;
        if (uri.getRawQuery() != null) {
            scrubbed = scrubbed.replace("?" + uri.getRawQuery(), "").replace(uri.getRawQuery(), "");
        }
        for (String secret : new String[] {"access_token", "appsecret_proof"}) {
            Object value = params.get(secret);
            if (value != null && !value.toString().isEmpty()) {
                scrubbed = scrubbed.replace(value.toString(), "***");
            }
        }
        return scrubbed;
    }

    /** An HTTP status of 400 or more, with Meta's error JSON as the message as the SDK reports it. */
    static final class HttpFailure extends APIException.FailedRequestException {

        private final int status;

        HttpFailure(int status, String header, String body) {
            super(header, body, null);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
