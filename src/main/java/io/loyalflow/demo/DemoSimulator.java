package io.loyalflow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.messaging.DeliveryQueries;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.order.OrderIntake;
import io.loyalflow.order.OrderItemRequest;
import io.loyalflow.order.OrderRequest;
import io.loyalflow.platform.problem.Refusal;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The demo's engagement simulator (never under a production profile: {@link SimulatorGuard}). It follows
 * the demo campaigns' messages as a provider would and answers them through the paths real providers and
 * shops use: SendGrid's signed event webhook (delivered, bounce, open, click), Twilio's signed status
 * callback (delivered, undelivered) and the order intake of {@code POST /api/orders}. What happens to a
 * message is drawn from the rates of its campaign's step ({@code loyalflow.demo.simulator.*}), by a random
 * generator seeded with the seed and the message's delivery id: the same seed gives a message the same fate.
 * It also places orders of random demo customers (which move some up a value tier), and runs the demo shop
 * ({@link DemoShop}) CDNOW lacks: carts of random demo customers begun, updated, cleared, checked out and ordered or
 * abandoned through the cart module, and new customers (a profile and a first order) through the customer API and
 * the order intake.
 */
@Component
@Conditional(SimulatorGuard.class)
class DemoSimulator {

    private static final Logger log = LoggerFactory.getLogger(DemoSimulator.class);
    /** Messages sent longer ago than this when first seen (the service was down) are left alone. */
    static final Duration LOOKBACK = Duration.ofMinutes(30);

    private static final int BATCH = 5_000;
    /** Rates times seconds add up in binary fractions: 8 a minute over twelve 5-second ticks is 7.999... */
    private static final double CARRY_ROUNDING = 1e-9;

    private final DemoProperties.Simulator settings;
    private final DemoState state;
    private final DeliveryQueries deliveries;
    private final OrderIntake orders;
    private final CustomerService customers;
    private final DemoCartCalls carts;
    private final DemoShop shop;
    private final DemoContacts contacts;
    private final ObjectMapper json;
    private final Environment environment;
    private final Clock clock;
    private final String publicBase;
    private final String currency;
    private final PrivateKey sendGridKey;
    private final String twilioToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Instant> done = new ConcurrentHashMap<>();
    private final ReentrantLock ticking = new ReentrantLock();
    private final PriorityQueue<Due> due =
            new PriorityQueue<>(Comparator.comparing(Due::at).thenComparingLong(Due::sequence));
    private long dueSequence;
    private double orderCarry;
    private double cartCarry;
    private double newcomerCarry;
    private Instant lastTick;
    private Instant watermark;
    private long ticks;

    DemoSimulator(
            DemoProperties properties,
            DemoState state,
            DeliveryQueries deliveries,
            OrderIntake orders,
            CustomerService customers,
            DemoCartCalls carts,
            ObjectMapper json,
            MessagingProperties messaging,
            Environment environment,
            Clock clock,
            @Value("${loyalflow.orders.currency:USD}") String currency) {
        this.settings = properties.simulator();
        this.state = state;
        this.deliveries = deliveries;
        this.orders = orders;
        this.customers = customers;
        this.carts = carts;
        this.shop = new DemoShop(settings.seed(), settings.carts());
        this.contacts = new DemoContacts(
                settings.seed(),
                properties.emailConsentShare(),
                properties.phoneShare(),
                properties.smsConsentShare(),
                properties.adsConsentShare());
        this.json = json;
        this.environment = environment;
        this.clock = clock;
        this.currency = currency;
        String base = messaging.publicBaseUrl().toString();
        this.publicBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.sendGridKey = privateKey(environment.getProperty(DemoWebhookKeys.SENDGRID_SIGNING_KEY));
        this.twilioToken = environment.getProperty(DemoWebhookKeys.TWILIO_SIGNING_TOKEN);
        if (sendGridKey == null) {
            log.warn("Demo simulator: a SendGrid webhook key is configured, so it cannot sign e-mail events; "
                    + "it simulates no e-mail engagement");
        }
        if (twilioToken == null) {
            log.warn("Demo simulator: a Twilio auth token is configured, so it cannot sign SMS status callbacks; "
                    + "it simulates no SMS delivery");
        }
    }

    /**
     * What one tick posted: engagement, orders (those messages brought, background ones, first orders of newcomers
     * and orders from carts), carts begun, calls about carts (updates, clearings, checkouts), newcomers registered.
     */
    record Tick(
            int delivered, int opens, int clicks, int bounces, int orders, int carts, int cartCalls, int newcomers) {}

    /** A call of the demo shop about a cart, due at {@code at}. */
    private record Due(Instant at, long sequence, DemoShop.Script cart, DemoShop.Step step) {}

    /** What happens to one message (drawn once, from the seed and its delivery id). */
    record Fate(boolean bounced, boolean opened, boolean clicked, boolean ordered, Duration delay, BigDecimal amount) {}

    @Scheduled(
            fixedDelayString = "${loyalflow.demo.simulator.interval:5s}",
            initialDelayString = "${loyalflow.demo.simulator.interval:5s}")
    void scheduled() {
        try {
            if (state.find().map(row -> row.state() == DemoState.State.READY).orElse(false)) {
                tick();
            }
        } catch (RuntimeException e) {
            log.warn("Demo simulator: a tick failed; the next one tries again", e);
        }
    }

    /** Answers the messages due by now and places this tick's background orders. */
    Tick tick() {
        ticking.lock();
        try {
            return simulate(clock.instant());
        } finally {
            ticking.unlock();
        }
    }

    static Fate fate(long seed, String deliveryId, DemoProperties.Rates rates, boolean sms, Duration maxDelay) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + deliveryId.hashCode());
        boolean bounced = random.nextDouble() < rates.bounceRate();
        boolean opened = !sms && !bounced && random.nextDouble() < rates.openRate();
        boolean clicked = opened && random.nextDouble() < rates.clickRate();
        boolean ordered = !bounced && (sms || clicked) && random.nextDouble() < rates.orderRate();
        Duration delay = Duration.ofMillis(random.nextLong(Math.max(1, maxDelay.toMillis()) + 1));
        return new Fate(bounced, opened, clicked, ordered, delay, amount(random));
    }

    private static BigDecimal amount(SplittableRandom random) {
        // CDNOW's orders: mostly one to three CDs of $12-16, now and then a big basket
        int cds = random.nextDouble() < 0.15 ? 4 + random.nextInt(8) : 1 + random.nextInt(3);
        return BigDecimal.valueOf(cds * (1200 + random.nextInt(400)), 2);
    }

    private Tick simulate(Instant now) {
        Instant since = watermark == null || watermark.isBefore(now.minus(LOOKBACK)) ? now.minus(LOOKBACK) : watermark;
        List<DeliveryQueries.Sent> sent = deliveries.sentSince(DemoCampaigns.IDS, since, BATCH);
        Instant firstWaiting = null;
        List<Map<String, Object>> delivered = new ArrayList<>();
        List<Map<String, Object>> opens = new ArrayList<>();
        List<Map<String, Object>> clicks = new ArrayList<>();
        List<Map<String, Object>> bounces = new ArrayList<>();
        List<OrderRequest> placed = new ArrayList<>();
        int smsDelivered = 0;
        int smsFailed = 0;
        for (DeliveryQueries.Sent message : sent) {
            boolean sms = "SMS".equals(message.channel());
            if (done.containsKey(message.deliveryId())
                    || message.address() == null
                    || (sms ? twilioToken == null : sendGridKey == null)) {
                continue;
            }
            Fate fate = fate(
                    settings.seed(),
                    message.deliveryId(),
                    settings.ratesOf(message.campaign(), message.activityId(), sms),
                    sms,
                    settings.delay());
            Instant at = message.sentAt().plus(fate.delay());
            if (at.isAfter(now)) {
                firstWaiting = firstWaiting == null ? message.sentAt() : firstWaiting;
                continue;
            }
            done.put(message.deliveryId(), message.sentAt());
            if (sms) {
                if (twilioStatus(message, fate.bounced() ? "undelivered" : "delivered")) {
                    if (fate.bounced()) {
                        smsFailed++;
                    } else {
                        smsDelivered++;
                    }
                }
            } else if (fate.bounced()) {
                bounces.add(sendGridEvent(message, "bounce", at));
            } else {
                delivered.add(sendGridEvent(message, "delivered", at));
                if (fate.opened()) {
                    opens.add(sendGridEvent(message, "open", at));
                }
                if (fate.clicked()) {
                    clicks.add(sendGridEvent(message, "click", at));
                }
            }
            if (fate.ordered() && message.customerId() != null) {
                placed.add(order("demo-sim-" + message.deliveryId(), message.customerId(), now, fate.amount()));
            }
        }
        // the next look starts at the first message still waiting for its delay, else after this batch (a full
        // batch must not hold back the messages sent after it); the messages answered are remembered meanwhile
        if (firstWaiting != null) {
            watermark = firstWaiting;
        } else if (!sent.isEmpty()) {
            watermark = sent.get(sent.size() - 1).sentAt();
        }
        done.values().removeIf(sentAt -> sentAt.isBefore(now.minus(LOOKBACK)));
        int deliveredStored = postSendGrid(delivered) + smsDelivered;
        int opened = postSendGrid(opens);
        int clicked = postSendGrid(clicks);
        int bounced = postSendGrid(bounces) + smsFailed;
        int demoCustomers = state.find().map(DemoState.Row::customers).orElse(0);
        // the time since the last tick (at most a minute: a long pause does not bring a burst of orders or carts)
        Duration elapsed =
                lastTick == null || lastTick.isAfter(now) ? settings.interval() : Duration.between(lastTick, now);
        lastTick = now;
        double minutes = Math.min(elapsed.toMillis(), 60_000) / 60_000.0;
        placed.addAll(backgroundOrders(now, minutes, demoCustomers));
        int ordered = 0;
        for (OrderRequest order : placed) {
            ordered += place(order) ? 1 : 0;
        }
        Shopped shopped = shop(now, minutes, demoCustomers);
        ordered += shopped.orders();
        if (opened + clicked + bounced + ordered > 0) {
            state.simulated(opened, clicked, bounced, ordered);
        }
        if (shopped.carts() + shopped.newcomers() > 0) {
            state.shopped(shopped.carts(), shopped.newcomers());
        }
        Tick tick = new Tick(
                deliveredStored,
                opened,
                clicked,
                bounced,
                ordered,
                shopped.carts(),
                shopped.calls(),
                shopped.newcomers());
        if (deliveredStored + opened + clicked + bounced + ordered + shopped.carts() + shopped.calls() > 0) {
            log.info("Demo simulator: {}", tick);
        }
        return tick;
    }

    private record Shopped(int carts, int calls, int orders, int newcomers) {}

    /**
     * The demo shop's tick: the carts begun in the time since the last tick (each one's life drawn from the seed and
     * its id {@code demo-cart-<epoch second>-<n>}), the calls of every cart due by now, in order, and the newcomers
     * of that time ({@code demo-new-<epoch second × 100 + n>}), each a profile and a first order. A cart's calls
     * not made when the service stops are not made (the cart stays as it was, abandoned).
     */
    private Shopped shop(Instant now, double minutes, int demoCustomers) {
        int begun = 0;
        if (demoCustomers > 0 && settings.carts().perMinute() > 0) {
            cartCarry += settings.carts().perMinute() * minutes;
            for (int i = 0; cartCarry >= 1 - CARRY_ROUNDING; i++, cartCarry--) {
                DemoShop.Script cart = shop.cart(DemoShop.CART_PREFIX + now.getEpochSecond() + "-" + i, demoCustomers);
                for (DemoShop.Step step : cart.steps()) {
                    due.add(new Due(now.plus(step.after()), dueSequence++, cart, step));
                }
                begun++;
            }
        }
        int calls = 0;
        int ordered = 0;
        while (!due.isEmpty() && !due.peek().at().isAfter(now)) {
            Due next = due.poll();
            DemoShop.Script cart = next.cart();
            DemoShop.Step step = next.step();
            try {
                switch (step.kind()) {
                    case UPDATE ->
                        carts.put(cart.cartId(), step.customerId(), step.lines(), currency, next.at(), cart.cartUrl());
                    case CLEAR -> carts.cleared(cart.cartId(), next.at());
                    case CHECKOUT -> carts.checkoutStarted(cart.cartId(), next.at());
                    case ORDER ->
                        ordered += place(shopOrder(
                                        "demo-sim-" + cart.cartId(),
                                        cart.customerId(),
                                        next.at(),
                                        step.lines(),
                                        cart.cartId()))
                                ? 1
                                : 0;
                }
                calls += step.kind() == DemoShop.Kind.ORDER ? 0 : 1;
            } catch (RuntimeException e) {
                log.warn("Demo simulator: {} of cart {} refused: {}", step.kind(), cart.cartId(), e.getMessage());
            }
        }
        int newcomers = 0;
        if (settings.newcomersPerMinute() > 0) {
            newcomerCarry += settings.newcomersPerMinute() * minutes;
            for (int i = 0; newcomerCarry >= 1 - CARRY_ROUNDING && i < 100; i++, newcomerCarry--) {
                DemoShop.Newcomer newcomer = shop.newcomer(now.getEpochSecond() * 100 + i, contacts);
                try {
                    customers.upsert(newcomer.customerId(), newcomer.contact().profile(), null);
                } catch (RuntimeException e) {
                    log.warn("Demo simulator: newcomer {} refused: {}", newcomer.customerId(), e.getMessage());
                    continue;
                }
                newcomers++;
                ordered += place(shopOrder(
                                "demo-sim-first-" + newcomer.customerId(),
                                newcomer.customerId(),
                                now,
                                newcomer.firstOrder(),
                                null))
                        ? 1
                        : 0;
            }
            newcomerCarry = Math.min(newcomerCarry, 1);
        }
        return new Shopped(begun, calls, ordered, newcomers);
    }

    /** An order of the demo shop's CDs, naming the cart it was placed from (or none). */
    private OrderRequest shopOrder(
            String orderId, String customerId, Instant at, List<DemoShop.Line> lines, String cartId) {
        return new OrderRequest(
                orderId,
                customerId,
                at.atOffset(ZoneOffset.UTC).withNano(0),
                DemoShop.amount(lines),
                currency,
                lines.stream()
                        .map(line -> new OrderItemRequest(
                                line.product().sku(),
                                line.quantity(),
                                line.product().unitPrice(),
                                line.product().category()))
                        .toList(),
                cartId);
    }

    /** Orders of random demo customers at {@code ordersPerMinute}, drawn from the seed and the tick's number. */
    private List<OrderRequest> backgroundOrders(Instant now, double minutes, int customers) {
        if (customers == 0 || settings.ordersPerMinute() <= 0) {
            return List.of();
        }
        SplittableRandom random = new SplittableRandom(settings.seed() * 31 + ++ticks);
        orderCarry += settings.ordersPerMinute() * minutes;
        List<OrderRequest> placed = new ArrayList<>();
        for (int i = 0; orderCarry >= 1 - CARRY_ROUNDING; i++, orderCarry--) {
            String customerId =
                    String.format("%s%05d", CdnowOrderSource.CUSTOMER_PREFIX, 1 + random.nextInt(customers));
            placed.add(order("demo-sim-" + now.getEpochSecond() + "-" + i, customerId, now, amount(random)));
        }
        return placed;
    }

    private OrderRequest order(String orderId, String customerId, Instant now, BigDecimal amount) {
        int cds = Math.max(
                1,
                amount.divide(BigDecimal.valueOf(14), 0, RoundingMode.HALF_UP).intValue());
        return new OrderRequest(
                orderId,
                customerId,
                now.atOffset(ZoneOffset.UTC).withNano(0),
                amount,
                currency,
                List.of(new OrderItemRequest(
                        "CD", cds, amount.divide(BigDecimal.valueOf(cds), 4, RoundingMode.HALF_UP), null)));
    }

    /** As a shop's {@code POST /api/orders}: a repeated order (after a restart) is refused and not counted. */
    private boolean place(OrderRequest order) {
        try {
            return orders.record(order).created();
        } catch (Refusal e) {
            log.debug("Demo simulator: order {} refused: {}", order.orderId(), e.getMessage());
            return false;
        }
    }

    private Map<String, Object> sendGridEvent(DeliveryQueries.Sent message, String kind, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("email", message.address());
        event.put("timestamp", at.getEpochSecond());
        event.put("event", kind);
        event.put("sg_event_id", "demo-" + kind + "-" + message.deliveryId());
        event.put(
                "sg_message_id",
                (message.providerMessageId() == null ? message.deliveryId() : message.providerMessageId()) + ".demo");
        event.put("loyalflow_delivery_id", message.deliveryId());
        switch (kind) {
            case "open" -> event.put("sg_machine_open", false);
            case "click" -> event.put("url", "https://shop.example.com/offers");
            case "bounce" -> {
                event.put("type", "bounce");
                event.put("reason", "550 5.1.1 demo: this example.com mailbox does not exist");
            }
            default -> {}
        }
        return event;
    }

    /** One signed SendGrid webhook request; answers how many of its events were stored (not duplicates). */
    private int postSendGrid(List<Map<String, Object>> events) {
        if (events.isEmpty()) {
            return 0;
        }
        try {
            byte[] body = json.writeValueAsBytes(events);
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(sendGridKey);
            signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
            signer.update(body);
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(local("/webhooks/sendgrid"))
                            .header("Content-Type", "application/json")
                            .header(
                                    "X-Twilio-Email-Event-Webhook-Signature",
                                    Base64.getEncoder().encodeToString(signer.sign()))
                            .header("X-Twilio-Email-Event-Webhook-Timestamp", timestamp)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn(
                        "Demo simulator: the SendGrid webhook answered {}: {}", response.statusCode(), response.body());
                return 0;
            }
            JsonNode accepted = json.readTree(response.body());
            return accepted.path("stored").asInt();
        } catch (IOException | java.security.GeneralSecurityException e) {
            log.warn("Demo simulator: posting SendGrid events failed: {}", e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** One signed Twilio status callback, as Twilio calls the URL the SMS was sent with. */
    private boolean twilioStatus(DeliveryQueries.Sent message, String status) {
        String path =
                "/webhooks/twilio/status?delivery=" + URLEncoder.encode(message.deliveryId(), StandardCharsets.UTF_8);
        Map<String, String> form = new TreeMap<>();
        form.put(
                "MessageSid", message.providerMessageId() == null ? message.deliveryId() : message.providerMessageId());
        form.put("MessageStatus", status);
        form.put("To", message.address());
        form.put("AccountSid", "ACdemo");
        if ("undelivered".equals(status)) {
            form.put("ErrorCode", "30003");
        }
        StringBuilder signed = new StringBuilder(publicBase + path);
        form.forEach((name, value) -> signed.append(name).append(value));
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(twilioToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String signature = Base64.getEncoder()
                    .encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(local(path))
                            .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                            .header("X-Twilio-Signature", signature)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.warn("Demo simulator: the Twilio webhook answered {}: {}", response.statusCode(), response.body());
                return false;
            }
            return true;
        } catch (IOException | java.security.GeneralSecurityException e) {
            log.warn("Demo simulator: posting a Twilio status failed: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private URI local(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port", "8080") + pathAndQuery);
    }

    private static PrivateKey privateKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            return null;
        }
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the demo's SendGrid signing key is not an EC private key", e);
        }
    }
}
