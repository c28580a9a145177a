package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import io.loyalflow.customer.ConsentStatus;
import io.loyalflow.customer.CustomerService;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Loyalflow's own unsubscribe link, signed per customer and channel. {@code POST} opts out: the
 * RFC 8058 one-click request mail providers send ({@code List-Unsubscribe=One-Click}) and the
 * confirmation button alike. {@code GET} only shows that button: mail security scanners open links,
 * and a scanner must not unsubscribe anyone. Idempotent; a tampered token changes nothing.
 */
@RestController
class UnsubscribeController {

    private final UnsubscribeTokens tokens;
    private final CustomerService customers;
    private final Suppressions suppressions;
    private final Clock clock;

    UnsubscribeController(UnsubscribeTokens tokens, CustomerService customers, Suppressions suppressions, Clock clock) {
        this.tokens = tokens;
        this.customers = customers;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** The link test sends carry instead of a customer's: no token, so nobody to opt out. */
    static final String TEST_LINK_PATH = "/unsubscribe/test";

    @GetMapping(path = TEST_LINK_PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> testLink() {
        return ResponseEntity.ok(page(
                "This was a test message",
                "<p>This link comes from a test send, so it unsubscribes nobody. In a real message it unsubscribes "
                        + "the recipient from that channel's marketing messages.</p>"));
    }

    @PostMapping(path = TEST_LINK_PATH, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> testLinkPosted() {
        return testLink();
    }

    @GetMapping(path = "/unsubscribe/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> confirm(@PathVariable String token) {
        Optional<UnsubscribeTokens.Subject> subject = tokens.verify(token);
        if (subject.isEmpty()) {
            return invalid();
        }
        String what = what(subject.get().channel());
        return ResponseEntity.ok(page(
                "Unsubscribe from " + what + "?",
                "<form method=\"post\"><p>You will no longer receive marketing " + what + " from us.</p>"
                        + "<button type=\"submit\">Unsubscribe</button></form>"));
    }

    @PostMapping(path = "/unsubscribe/{token}", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribe(@PathVariable String token) {
        Optional<UnsubscribeTokens.Subject> subject = tokens.verify(token);
        if (subject.isEmpty()) {
            return invalid();
        }
        long customerKey = subject.get().customerKey();
        Channel channel = subject.get().channel();
        String source = "unsubscribe-link";
        customers.stateConsentByKey(customerKey, channel, ConsentStatus.OPTED_OUT, source, clock.instant());
        customers
                .addressOf(customerKey, channel)
                .ifPresent(address -> suppressions.suppress(channel, address, SuppressionReason.UNSUBSCRIBED, source));
        return ResponseEntity.ok(page(
                "You are unsubscribed", "<p>You will no longer receive marketing " + what(channel) + " from us.</p>"));
    }

    private static ResponseEntity<String> invalid() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.TEXT_HTML)
                .body(page(
                        "This link is not valid",
                        "<p>The unsubscribe link is incomplete or was changed. "
                                + "Please use the link from the message exactly as you received it.</p>"));
    }

    private static String what(Channel channel) {
        return channel == Channel.EMAIL ? "e-mails" : "text messages";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width\"><title>" + HtmlUtils.htmlEscape(title) + "</title></head><body><h1>"
                + HtmlUtils.htmlEscape(title) + "</h1>" + body + "</body></html>";
    }
}
