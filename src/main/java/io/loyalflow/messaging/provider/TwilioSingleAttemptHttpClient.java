package io.loyalflow.messaging.provider;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK's HTTP client, made to send each request exactly once, to the configured API base,
 * within the configured timeouts; it remembers, per thread, the HTTP status of the answer it got.
 */
final class TwilioSingleAttemptHttpClient extends NetworkHttpClient {

    private static final URI DEFAULT_API_BASE_URL = URI.create("https://api.twilio.com");

    private static final Pattern SCHEME_AND_HOST = Pattern.compile("^https://[^/]+");

    /** What came back over the wire, whatever the SDK makes of the body afterwards. */
    record Answer(int status, String retryAfter) {}

    private final String apiBase;
    private final ThreadLocal<Answer> lastAnswer = new ThreadLocal<>();

    TwilioSingleAttemptHttpClient(URI apiBaseUrl, Duration connectTimeout, Duration readTimeout) {
        super(httpClientBuilder(connectTimeout, readTimeout));
        String base = apiBaseUrl.toString().replaceAll("/+$", "");
        this.apiBase = base.equals(DEFAULT_API_BASE_URL.toString()) ? null : base;
    }

    private static HttpClientBuilder httpClientBuilder(Duration connectTimeout, Duration readTimeout) {
        RequestConfig requestConfig = RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(readTimeout))
                .build();
        ConnectionConfig connectionConfig = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(readTimeout))
                .build();
        return HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connectionConfig)
                        .setMaxConnPerRoute(20)
                        .setMaxConnTotal(20)
                        .build())
                .setDefaultRequestConfig(requestConfig)
                // HttpClient 5 resends on some I/O failures and 429/503 answers by itself (5.5 only for idempotent
                // methods); a resent POST is a second SMS, so no automatic resending at all.
                .disableAutomaticRetries()
                // NetworkHttpClient.makeRequest stamps every request with the SDK's DEFAULT_REQUEST_CONFIG, whose
                // 30.5 s connect timeout would override ours: put our settings back before the connection is made.
                .addExecInterceptorFirst("loyalflow-timeouts", (request, scope, chain) -> {
                    scope.clientContext.setRequestConfig(requestConfig);
                    return chain.proceed(request, scope);
                });
    }

    // The SDK's reliableRequest retries every 5xx up to three times, including the message-creating POST:
    // after a 5xx Twilio may already have created the message, so a retry can send the SMS twice.
    @Override
    public Response reliableRequest(Request request) {
        return attemptOnce(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return attemptOnce(request);
    }

    private Response attemptOnce(Request request) {
        Response response = makeRequest(request);
        if (response != null) {
            lastAnswer.set(new Answer(response.getStatusCode(), header(response, "Retry-After")));
        }
        return response;
    }

    @Override
    public Response makeRequest(Request request) {
        return super.makeRequest(toApiBase(request));
    }

    /** Clears what an earlier call on this thread left, before a new call. */
    void forgetLastAnswer() {
        lastAnswer.remove();
    }

    /** The answer of the last request made on this thread, or null if none came back; forgets it. */
    Answer takeLastAnswer() {
        Answer answer = lastAnswer.get();
        lastAnswer.remove();
        return answer;
    }

    /** The request as the SDK built it when the API base is Twilio's own, else a copy aimed at the configured base. */
    Request toApiBase(Request original) {
        if (apiBase == null) {
            return original;
        }
        Matcher matcher = SCHEME_AND_HOST.matcher(original.getUrl());
        if (!matcher.find()) {
            return original;
        }
        Request copy = new RebasedRequest(original, apiBase + original.getUrl().substring(matcher.end()));
        copyParams(original.getQueryParams(), copy::addQueryParam);
        copyParams(original.getPostParams(), copy::addPostParam);
        copyParams(original.getHeaderParams(), copy::addHeaderParam);
        copy.setFormParameters(original.getFormParameters());
        copy.setContentType(original.getContentType());
        copy.setBody(original.getBody());
        copy.setUserAgentExtensions(original.getUserAgentExtensions());
        if (original.getAuthStrategy() != null) {
            copy.setAuth(original.getAuthStrategy());
        } else if (original.getUsername() != null) {
            copy.setAuth(original.getUsername(), original.getPassword());
        }
        return copy;
    }

    private static void copyParams(Map<String, List<String>> params, BiConsumer<String, String> sink) {
        params.forEach((name, values) -> values.forEach(value -> sink.accept(name, value)));
    }

    private static String header(Response response, String name) {
        Header[] headers = response.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Header header : headers) {
            if (name.equalsIgnoreCase(header.getName())) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * A request to a base the SDK does not know. IRequest.buildURL reads every dotted host as
     * product.[edge.][region.]domain and rewrites it (two-label hosts even get their first label
     * doubled), so the configured base is used as given.
     */
    private static final class RebasedRequest extends Request {

        RebasedRequest(Request original, String url) {
            super(original.getMethod(), url);
        }

        @Override
        protected String buildURL() {
            return url;
        }
    }
}
