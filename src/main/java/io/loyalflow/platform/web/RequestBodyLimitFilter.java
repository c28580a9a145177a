package io.loyalflow.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body before anything reads it, whoever sends it, signed or not: Loyalflow's API
 * takes JSON bodies up to {@code loyalflow.api.max-request-size}, the provider webhooks up to
 * {@code loyalflow.web.max-webhook-request-size} (SendGrid's batches are large), and everything else
 * the service answers (unsubscribe links, Camunda's login form and webapps, the engine REST API, static
 * pages) up to {@code loyalflow.web.max-request-size}. Bulk imports stream their bodies and are exempt.
 *
 * <p>A declared Content-Length over the limit is refused before a byte is read; a body without one is
 * cut off as it crosses the limit. A body still arriving {@code loyalflow.web.request-body-timeout}
 * after the request began, or stalling longer than Tomcat's connection timeout, is refused as too
 * slow. It runs ahead of every other filter, Spring Security's included, so no filter reads a body
 * this one does not bound. (Form bodies Tomcat parses itself are bounded by
 * {@code server.tomcat.max-http-form-post-size}.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private static final String IMPORTS = "/api/imports/";

    private final long apiLimit;
    private final long webhookLimit;
    private final long webLimit;
    private final Duration timeout;
    private final ObjectMapper objectMapper;

    public RequestBodyLimitFilter(
            @Value("${loyalflow.api.max-request-size:1MB}") DataSize apiLimit,
            @Value("${loyalflow.web.max-webhook-request-size:4MB}") DataSize webhookLimit,
            @Value("${loyalflow.web.max-request-size:1MB}") DataSize webLimit,
            @Value("${loyalflow.web.request-body-timeout:60s}") Duration timeout,
            ObjectMapper objectMapper) {
        this.apiLimit = apiLimit.toBytes();
        this.webhookLimit = webhookLimit.toBytes();
        this.webLimit = webLimit.toBytes();
        this.timeout = timeout;
        this.objectMapper = objectMapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return path(request).startsWith(IMPORTS);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        long limit = path.startsWith("/api/") ? apiLimit : path.startsWith("/webhooks/") ? webhookLimit : webLimit;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            answer(request, response, new PayloadTooLargeException(limit, tooLarge(path, declared, limit)));
            return;
        }
        LimitedRequest limited = new LimitedRequest(
                request, limit, tooLarge(path, -1, limit), System.nanoTime() + timeout.toNanos(), timeout);
        try {
            chain.doFilter(limited, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // Servlets outside Spring MVC (the engine REST API, the webapps) may let the refusal escape.
            RequestBodyRefusedException refused = ApiExceptionHandler.causeOf(e, RequestBodyRefusedException.class)
                            instanceof RequestBodyRefusedException r
                    ? r
                    : null;
            if (refused == null || response.isCommitted()) {
                throw e;
            }
            response.reset();
            answer(request, response, refused);
        }
    }

    /** What a client is told when its body is too large: for the API, where many orders go instead. */
    static String tooLarge(String path, long declared, long limit) {
        return "The request body" + (declared >= 0 ? " (" + declared + " bytes)" : "") + " exceeds " + limit + " bytes."
                + (path.startsWith("/api/") ? " Send many orders through POST /api/imports/orders instead." : "");
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, RequestBodyRefusedException refused)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(refused.status(), refused.getMessage());
        problem.setType(refused.type());
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(refused.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // the rest of the body is not wanted: the connection closes rather than reading it
        response.setHeader("Connection", "close");
        objectMapper.writeValue(response.getOutputStream(), problem);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private final String tooLarge;
        private final long deadline;
        private final Duration timeout;
        private ServletInputStream stream;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, long limit, String tooLarge, long deadline, Duration timeout) {
            super(request);
            this.limit = limit;
            this.tooLarge = tooLarge;
            this.deadline = deadline;
            this.timeout = timeout;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), this);
            }
            return stream;
        }

        /** The reader too reads through the limit (the container's own reader would not). */
        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final LimitedRequest request;
        private long read;

        LimitedInputStream(ServletInputStream delegate, LimitedRequest request) {
            this.delegate = delegate;
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = delegate.read();
            } catch (IOException e) {
                throw stalled(e);
            }
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = delegate.read(buffer, offset, length);
            } catch (IOException e) {
                throw stalled(e);
            }
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestBodyRefusedException {
            read += n;
            if (read > request.limit) {
                throw new PayloadTooLargeException(request.limit, request.tooLarge);
            }
            if (System.nanoTime() - request.deadline > 0) {
                throw new RequestBodyTooSlowException(
                        "The request body did not arrive within " + request.timeout.toSeconds() + " s.", null);
            }
        }

        /** A read the container gave up on because the client paused too long is a slow body, not a failure. */
        private static IOException stalled(IOException e) {
            if (e instanceof RequestBodyRefusedException
                    || !(ApiExceptionHandler.causeOf(e, SocketTimeoutException.class)
                            instanceof SocketTimeoutException)) {
                return e;
            }
            return new RequestBodyTooSlowException(
                    "The request body stalled (no data within the connection timeout).", e);
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
