package io.loyalflow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.loyalflow.customer.CustomerService;
import io.loyalflow.messaging.DeliveryQueries;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.order.OrderIntake;
import io.loyalflow.order.OrderRequest;
import io.loyalflow.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/**
 * The simulator's rules without a running service: never under a production profile, a message's fate
 * drawn from the seed and its delivery id, the shipped rates differing between the A/B arms' steps, and
 * generated contacts that reach nobody.
 */
class DemoSimulatorRulesTest {

    private static MockEnvironment demo(String... profiles) {
        MockEnvironment environment = new MockEnvironment().withProperty("loyalflow.demo.cdnow", "true");
        environment.setActiveProfiles(profiles);
        return environment;
    }

    @Test
    void theSimulatorRunsOnlyWithTheDemoAndNeverUnderTheProductionProfile() {
        assertThat(SimulatorGuard.allowed(demo())).isTrue();
        assertThat(SimulatorGuard.allowed(demo("postgres"))).isFalse();
        assertThat(SimulatorGuard.allowed(demo("test", "postgres"))).isFalse();
        assertThat(SimulatorGuard.allowed(new MockEnvironment())).isFalse();
        assertThat(SimulatorGuard.allowed(demo().withProperty("loyalflow.demo.simulator.enabled", "false")))
                .isFalse();
        assertThat(DemoSimulator.class
                        .getAnnotation(org.springframework.context.annotation.Conditional.class)
                        .value())
                .containsExactly(SimulatorGuard.class);
    }

    @Test
    void webhookKeysAreMadeForTheDemoOnlyAndConfiguredKeysAreKept() {
        var keys = new DemoWebhookKeys();
        var production = new StandardEnvironment();
        production
                .getPropertySources()
                .addFirst(new org.springframework.core.env.MapPropertySource(
                        "test", Map.of("loyalflow.demo.cdnow", "true")));
        production.setActiveProfiles("postgres");
        keys.postProcessEnvironment(production, new SpringApplication());
        assertThat(production.getProperty(DemoWebhookKeys.SENDGRID_PUBLIC_KEY)).isNull();
        assertThat(production.getProperty(DemoWebhookKeys.TWILIO_AUTH_TOKEN)).isNull();

        var local = new StandardEnvironment();
        Map<String, Object> configured = new HashMap<>(Map.of("loyalflow.demo.cdnow", "true"));
        configured.put(DemoWebhookKeys.TWILIO_AUTH_TOKEN, "a-real-token");
        local.getPropertySources().addLast(new org.springframework.core.env.MapPropertySource("test", configured));
        keys.postProcessEnvironment(local, new SpringApplication());
        assertThat(local.getProperty(DemoWebhookKeys.SENDGRID_PUBLIC_KEY)).isNotBlank();
        assertThat(local.getProperty(DemoWebhookKeys.SENDGRID_SIGNING_KEY)).isNotBlank();
        assertThat(local.getProperty(DemoWebhookKeys.TWILIO_AUTH_TOKEN)).isEqualTo("a-real-token");
        assertThat(local.getProperty(DemoWebhookKeys.TWILIO_SIGNING_TOKEN)).isNull();
    }

    @Test
    void theDemoReviewsExperimentsEveryFiveMinutesUnlessTheOperatorChoseACycle() {
        var review = new DemoExperimentReview();
        var demo = new StandardEnvironment();
        demo.getPropertySources()
                .addLast(new org.springframework.core.env.MapPropertySource(
                        "test", Map.of("loyalflow.demo.cdnow", "true")));
        review.postProcessEnvironment(demo, new SpringApplication());
        assertThat(demo.getProperty(DemoExperimentReview.REVIEW_CYCLE)).isEqualTo("0 */5 * * * ?");

        var production = new StandardEnvironment();
        production
                .getPropertySources()
                .addLast(new org.springframework.core.env.MapPropertySource(
                        "test", Map.of("loyalflow.demo.cdnow", "true")));
        production.setActiveProfiles("postgres");
        review.postProcessEnvironment(production, new SpringApplication());
        assertThat(production.getProperty(DemoExperimentReview.REVIEW_CYCLE)).isNull();

        var chosen = new StandardEnvironment();
        chosen.getPropertySources()
                .addLast(new org.springframework.core.env.MapPropertySource(
                        "test",
                        Map.of(
                                "loyalflow.demo.cdnow",
                                "true",
                                "LOYALFLOW_EXPERIMENTS_REVIEW_CYCLE",
                                "0 0 * * * ?",
                                DemoExperimentReview.REVIEW_CYCLE,
                                "0 0 * * * ?")));
        review.postProcessEnvironment(chosen, new SpringApplication());
        assertThat(chosen.getProperty(DemoExperimentReview.REVIEW_CYCLE)).isEqualTo("0 0 * * * ?");
    }

    @Test
    void aShareOfDemoCustomersHaveReferralStatisticsMostOfThemDormant() {
        DemoContacts contacts = new DemoContacts(42, 0.7, 0.8, 0.5, 0.6);
        int known = 0, dormant = 0;
        for (int number = 1; number <= 23_570; number++) {
            var referral = contacts.referralOf(number, 0.6);
            if (referral != null) {
                known++;
                dormant += "Dormant".equals(referral.activity()) ? 1 : 0;
                assertThat(referral.shareUrl()).startsWith("https://shop.example.com/");
                assertThat(referral.successfulReferrals()).isBetween(0, 3);
            }
        }
        assertThat(known).isBetween(13_600, 14_700); // 60 % of 23,570 = 14,142
        assertThat(dormant).isBetween(known * 60 / 100, known * 73 / 100); // two thirds
        assertThat(contacts.referralOf(17, 0.6)).isEqualTo(contacts.referralOf(17, 0.6));
    }

    @Test
    void aMessagesFateDependsOnlyOnTheSeedAndItsDeliveryId() {
        DemoProperties.Rates rates = DemoProperties.Rates.EMAIL;
        String id = UUID.randomUUID().toString();
        assertThat(DemoSimulator.fate(42, id, rates, false, Duration.ofSeconds(30)))
                .isEqualTo(DemoSimulator.fate(42, id, rates, false, Duration.ofSeconds(30)));
        long differ = IntStream.range(0, 200)
                .mapToObj(i -> "delivery-" + i)
                .filter(d -> !DemoSimulator.fate(42, d, rates, false, Duration.ofSeconds(30))
                        .equals(DemoSimulator.fate(43, d, rates, false, Duration.ofSeconds(30))))
                .count();
        assertThat(differ).as("another seed, other fates").isGreaterThan(100);
    }

    @Test
    void theShippedRatesMakeTheArmsDiffer() throws Exception {
        var yaml = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"));
        var environment = new StandardEnvironment();
        yaml.forEach(environment.getPropertySources()::addLast);
        DemoProperties properties = Binder.get(environment)
                .bind("loyalflow.demo", DemoProperties.class)
                .get();
        DemoProperties.Simulator simulator = properties.simulator();
        // value-segment upgrade: arm A's reminder e-mail against arm B's reminder SMS
        double armA = conversions(simulator, "demo-value-upgrade", "Task_SendReminderEmail", false);
        double armB = conversions(simulator, "demo-value-upgrade", "Task_SendReminderSms", true);
        assertThat(armB).isGreaterThan(armA * 1.5);
        // advocate referral: the voucher against the referral reminder
        double voucher = conversions(simulator, "demo-advocate-referral", "Task_SendVoucher", false);
        double reminder = conversions(simulator, "demo-advocate-referral", "Task_SendReferralReminder", false);
        assertThat(voucher).isGreaterThan(reminder * 2);
        // abandoned cart: arm A's plain reminder against arm B's 10 % off
        double plain = conversions(simulator, "demo-abandoned-cart", "Task_SendReminderA", false);
        double discount = conversions(simulator, "demo-abandoned-cart", "Task_SendReminderB", false);
        assertThat(discount).isGreaterThan(plain * 5).isGreaterThan(0.08);
        // a step without rates of its own takes its channel's
        assertThat(simulator.ratesOf("demo-win-back", "Task_SendReminderEmail", false))
                .isEqualTo(simulator.email().orElse(DemoProperties.Rates.EMAIL));
    }

    /** The share of 20,000 messages of a step that bring an order, as the simulator draws them. */
    private static double conversions(DemoProperties.Simulator simulator, String campaign, String step, boolean sms) {
        DemoProperties.Rates rates = simulator.ratesOf(campaign, step, sms);
        return IntStream.range(0, 20_000)
                        .filter(i -> DemoSimulator.fate(
                                        simulator.seed(), campaign + step + i, rates, sms, Duration.ZERO)
                                .ordered())
                        .count()
                / 20_000.0;
    }

    @Test
    void everyGeneratedContactIsFictional() {
        DemoContacts contacts = new DemoContacts(42, 0.7, 0.8, 0.5, 0.6);
        int phones = 0;
        for (int number = 1; number <= 23_570; number++) {
            DemoContacts.Contact contact = contacts.of(number);
            assertThat(contact.email()).endsWith("@example.com");
            if (contact.phone() != null) {
                phones++;
                assertThat(DemoContacts.fictionalPhone(contact.phone()))
                        .as(contact.phone())
                        .isTrue();
            }
            assertThat(contact).isEqualTo(contacts.of(number));
        }
        assertThat(phones).isBetween(18_000, 19_700);
        assertThat(DemoContacts.fictionalPhone("+12125550123")).isTrue();
        assertThat(DemoContacts.fictionalPhone("+12125550200")).isFalse();
        assertThat(DemoContacts.fictionalPhone("+442079460999")).isTrue();
        assertThat(DemoContacts.fictionalPhone("+442079461000")).isFalse();
    }

    private static final DemoProperties.Carts CART_RATES =
            new DemoProperties.Carts(6, 4, Duration.ofSeconds(60), 0.2, 0.15, 0.25);

    @Test
    void aCartsLifeDependsOnlyOnTheSeedAndItsId() {
        DemoShop shop = new DemoShop(42, CART_RATES);
        assertThat(shop.cart("demo-cart-1-0", 500)).isEqualTo(shop.cart("demo-cart-1-0", 500));
        assertThat(new DemoShop(42, CART_RATES).cart("demo-cart-1-0", 500)).isEqualTo(shop.cart("demo-cart-1-0", 500));
        DemoShop other = new DemoShop(43, CART_RATES);
        long differ = IntStream.range(0, 200)
                .mapToObj(i -> "demo-cart-1765-" + i)
                .filter(id -> !shop.cart(id, 500).equals(other.cart(id, 500)))
                .count();
        assertThat(differ).as("another seed, other carts").isGreaterThan(180);
        assertThat(shop.newcomer(17, new DemoContacts(42, 0.7, 0.8, 0.5, 0.6)))
                .isEqualTo(shop.newcomer(17, new DemoContacts(42, 0.7, 0.8, 0.5, 0.6)));
    }

    @Test
    void cartsEndAtTheConfiguredSharesAndFollowTheShopsRules() {
        DemoShop shop = new DemoShop(42, CART_RATES);
        Map<DemoShop.Outcome, Integer> outcomes = new java.util.EnumMap<>(DemoShop.Outcome.class);
        int anonymous = 0, updates = 0;
        int carts = 20_000;
        for (int i = 0; i < carts; i++) {
            DemoShop.Script cart = shop.cart("demo-cart-1765000000-" + i, 500);
            outcomes.merge(cart.outcome(), 1, Integer::sum);
            assertThat(cart.customerId()).matches("cdnow-\\d{5}");
            assertThat(Integer.parseInt(cart.customerId().substring(6))).isBetween(1, 500);
            assertThat(cart.cartUrl()).isEqualTo("https://shop.example.com/cart/" + cart.cartId());
            List<DemoShop.Step> steps = cart.steps();
            // in time order, the first an update with items at once, updates within the span
            assertThat(steps.get(0).after()).isEqualTo(Duration.ZERO);
            assertThat(steps.get(0).kind()).isEqualTo(DemoShop.Kind.UPDATE);
            for (int s = 1; s < steps.size(); s++) {
                assertThat(steps.get(s).after())
                        .isGreaterThanOrEqualTo(steps.get(s - 1).after());
            }
            List<DemoShop.Step> puts = steps.stream()
                    .filter(s -> s.kind() == DemoShop.Kind.UPDATE && !s.lines().isEmpty())
                    .toList();
            updates += puts.size();
            assertThat(puts).hasSizeBetween(1, 4);
            assertThat(puts).allSatisfy(s -> assertThat(s.after()).isLessThanOrEqualTo(Duration.ofSeconds(60)));
            // an anonymous visitor names the customer at a later update, and every call after names them too
            if (cart.anonymousFirst()) {
                anonymous++;
                assertThat(steps.get(0).customerId()).isNull();
                assertThat(steps.get(steps.size() - 1).customerId()).isEqualTo(cart.customerId());
                int named = 0;
                while (steps.get(named).customerId() == null) {
                    named++;
                }
                assertThat(steps.subList(named, steps.size()))
                        .allSatisfy(s -> assertThat(s.customerId()).isEqualTo(cart.customerId()));
            } else {
                assertThat(steps).allSatisfy(s -> assertThat(s.customerId()).isEqualTo(cart.customerId()));
            }
            DemoShop.Step last = steps.get(steps.size() - 1);
            switch (cart.outcome()) {
                case ABANDONED -> {
                    assertThat(last.kind()).isEqualTo(DemoShop.Kind.UPDATE);
                    assertThat(last.lines()).isNotEmpty();
                }
                case CLEARED -> {
                    assertThat(last.kind()).isIn(DemoShop.Kind.UPDATE, DemoShop.Kind.CLEAR);
                    assertThat(last.lines()).isEmpty();
                }
                case ORDERED -> {
                    DemoShop.Step checkout = steps.get(steps.size() - 2);
                    assertThat(checkout.kind()).isEqualTo(DemoShop.Kind.CHECKOUT);
                    assertThat(last.kind()).isEqualTo(DemoShop.Kind.ORDER);
                    assertThat(last.lines()).isEqualTo(puts.get(puts.size() - 1).lines());
                    assertThat(Duration.between(
                                    java.time.Instant.EPOCH.plus(checkout.after()),
                                    java.time.Instant.EPOCH.plus(last.after())))
                            .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(25));
                    assertThat(DemoShop.amount(last.lines())).isPositive();
                }
            }
            for (DemoShop.Step step : steps) {
                for (DemoShop.Line line : step.lines()) {
                    assertThat(line.quantity()).isPositive();
                    assertThat(line.product().name()).matches("CD #\\d+");
                    assertThat(line.product().category()).isIn(DemoShop.CATEGORIES);
                    assertThat(line.product().unitPrice())
                            .isBetween(new java.math.BigDecimal("9.99"), new java.math.BigDecimal("17.99"));
                    assertThat(line.product().productUrl()).startsWith("https://shop.example.com/products/");
                    assertThat(line.product().imageUrl()).startsWith("https://shop.example.com/images/");
                }
            }
        }
        assertThat(outcomes.get(DemoShop.Outcome.CLEARED)).isBetween(2_700, 3_300); // 15 %
        assertThat(outcomes.get(DemoShop.Outcome.ORDERED)).isBetween(4_600, 5_400); // 25 %
        assertThat(outcomes.get(DemoShop.Outcome.ABANDONED)).isBetween(11_500, 12_500); // the other 60 %
        assertThat(anonymous).isBetween(3_700, 4_300); // 20 %
        assertThat(updates / (double) carts).as("updates per cart").isBetween(2.3, 2.8);
    }

    @Test
    void newcomersAreFictionalOptedInToEmailAndBuyOneToThreeCds() {
        DemoShop shop = new DemoShop(42, CART_RATES);
        DemoContacts contacts = new DemoContacts(42, 0.7, 0.8, 0.5, 0.6);
        java.util.Set<String> categories = new java.util.HashSet<>();
        for (long number = 176_500_000_000L; number < 176_500_000_000L + 2_000; number++) {
            DemoShop.Newcomer newcomer = shop.newcomer(number, contacts);
            assertThat(newcomer.customerId()).isEqualTo("demo-new-" + number);
            assertThat(newcomer.contact().emailConsent()).isTrue();
            assertThat(newcomer.contact().email()).endsWith("@example.com").contains("new" + number);
            if (newcomer.contact().phone() != null) {
                assertThat(DemoContacts.fictionalPhone(newcomer.contact().phone()))
                        .as(newcomer.contact().phone())
                        .isTrue();
            }
            assertThat(newcomer.firstOrder()).hasSizeBetween(1, 3);
            newcomer.firstOrder().forEach(line -> categories.add(line.product().category()));
        }
        assertThat(categories).containsExactlyInAnyOrderElementsOf(DemoShop.CATEGORIES);
    }

    @Test
    void theShippedCartRatesAreTheDocumentedOnes() throws Exception {
        DemoProperties.Simulator simulator = shipped().simulator();
        assertThat(simulator.carts())
                .isEqualTo(new DemoProperties.Carts(8, 4, Duration.ofSeconds(60), 0.2, 0.15, 0.25));
        assertThat(simulator.newcomersPerMinute()).isEqualTo(3);
    }

    private static DemoProperties shipped() throws Exception {
        var yaml = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"));
        var environment = new StandardEnvironment();
        yaml.forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment)
                .bind("loyalflow.demo", DemoProperties.class)
                .get();
    }

    /** What the demo shop told the cart module, and when (the simulator's clock at the call). */
    record Call(String cartId, String kind, String customerId, List<DemoShop.Line> lines, Instant at, Instant madeAt) {}

    /** Three minutes of ticks every 5 s, as the schedule runs them; what the shop did. */
    private static List<Object> threeMinutesOfTicks(Instant start) throws Exception {
        DemoProperties properties = shipped();
        DemoState state = mock(DemoState.class);
        when(state.find())
                .thenReturn(Optional.of(new DemoState.Row(
                        100,
                        500,
                        DemoState.State.READY,
                        null,
                        0,
                        500,
                        350,
                        200,
                        start,
                        start,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0)));
        DeliveryQueries deliveries = mock(DeliveryQueries.class);
        when(deliveries.sentSince(any(), any(), anyInt())).thenReturn(List.of());
        OrderIntake orders = mock(OrderIntake.class);
        List<Object> made = new ArrayList<>();
        when(orders.record(any())).thenAnswer(invocation -> {
            made.add(invocation.getArgument(0));
            return new OrderIntake.Recorded(true, null);
        });
        CustomerService customers = mock(CustomerService.class);
        when(customers.upsert(any(), any(), any())).thenAnswer(invocation -> {
            made.add(invocation.getArgument(0) + " " + invocation.getArgument(1));
            return null;
        });
        MutableClock clock = new MutableClock();
        clock.set(start);
        DemoCartCalls carts = new DemoCartCalls() {
            @Override
            public void put(
                    String cartId,
                    String customerId,
                    List<DemoShop.Line> lines,
                    String currency,
                    Instant at,
                    String cartUrl) {
                assertThat(cartUrl).isEqualTo("https://shop.example.com/cart/" + cartId);
                assertThat(currency).isEqualTo("USD");
                made.add(new Call(cartId, "UPDATE", customerId, lines, at, clock.instant()));
            }

            @Override
            public void cleared(String cartId, Instant at) {
                made.add(new Call(cartId, "CLEAR", null, List.of(), at, clock.instant()));
            }

            @Override
            public void checkoutStarted(String cartId, Instant at) {
                made.add(new Call(cartId, "CHECKOUT", null, List.of(), at, clock.instant()));
            }
        };
        DemoSimulator simulator = new DemoSimulator(
                properties,
                state,
                deliveries,
                orders,
                customers,
                carts,
                new com.fasterxml.jackson.databind.ObjectMapper(),
                new MessagingProperties(null, null, null, null, null, null, null, null, null, null, null, null),
                new MockEnvironment(),
                clock,
                "USD");
        int begun = 0, newcomers = 0;
        for (int tick = 0; tick < 36; tick++) {
            clock.advance(Duration.ofSeconds(5));
            DemoSimulator.Tick answer = simulator.tick();
            begun += answer.carts();
            newcomers += answer.newcomers();
        }
        made.add("begun " + begun);
        made.add("newcomers " + newcomers);
        return made;
    }

    @Test
    void theSimulatorMakesEachCartsCallsWhenDueInOrderAndItsOrderNamesTheCart() throws Exception {
        Instant start = Instant.parse("2026-03-28T23:59:58.250Z"); // the night before Europe's clocks go forward
        List<Object> made = threeMinutesOfTicks(start);
        // 8 carts and 3 newcomers a minute, the first tick taking the interval's share
        assertThat(made).contains("begun 24", "newcomers 9");
        assertThat(threeMinutesOfTicks(start))
                .as("the same seed, the same shop")
                .isEqualTo(made);

        DemoShop shop = new DemoShop(42, shipped().simulator().carts());
        Map<String, List<Call>> byCart = new java.util.LinkedHashMap<>();
        made.stream()
                .filter(Call.class::isInstance)
                .map(Call.class::cast)
                .forEach(call -> byCart.computeIfAbsent(call.cartId(), id -> new ArrayList<>())
                        .add(call));
        List<OrderRequest> orders = made.stream()
                .filter(OrderRequest.class::isInstance)
                .map(OrderRequest.class::cast)
                .toList();
        assertThat(byCart).hasSize(24);
        Instant end = start.plusSeconds(180);
        int ordered = 0;
        for (var entry : byCart.entrySet()) {
            String cartId = entry.getKey();
            // demo-cart-<second it was begun>-<n>: its script, its calls at their due times
            String[] parts = cartId.split("-");
            Instant begunAt = Instant.ofEpochSecond(Long.parseLong(parts[2]), start.getNano());
            DemoShop.Script script = shop.cart(cartId, 500);
            List<DemoShop.Step> due = script.steps().stream()
                    .filter(step -> step.kind() != DemoShop.Kind.ORDER
                            && !begunAt.plus(step.after()).isAfter(end))
                    .toList();
            List<Call> calls = entry.getValue();
            assertThat(calls)
                    .extracting(Call::kind)
                    .containsExactlyElementsOf(
                            due.stream().map(step -> step.kind().name()).toList());
            for (int n = 0; n < calls.size(); n++) {
                Call call = calls.get(n);
                assertThat(call.at()).isEqualTo(begunAt.plus(due.get(n).after()));
                // made at the first tick at or after the time it was due
                assertThat(call.madeAt()).isBetween(call.at(), call.at().plusSeconds(5));
                if (call.kind().equals("UPDATE")) {
                    assertThat(call.customerId()).isEqualTo(due.get(n).customerId());
                    assertThat(call.lines()).isEqualTo(due.get(n).lines());
                }
            }
            DemoShop.Step last = script.steps().get(script.steps().size() - 1);
            if (last.kind() == DemoShop.Kind.ORDER
                    && !begunAt.plus(last.after()).isAfter(end)) {
                ordered++;
                OrderRequest order = orders.stream()
                        .filter(o -> cartId.equals(o.cartId()))
                        .findFirst()
                        .orElseThrow();
                assertThat(order.orderId()).isEqualTo("demo-sim-" + cartId);
                assertThat(order.customerId()).isEqualTo(script.customerId());
                assertThat(order.amount()).isEqualByComparingTo(DemoShop.amount(last.lines()));
                assertThat(order.items())
                        .extracting(item -> item.sku() + " " + item.quantity() + " " + item.category())
                        .containsExactlyElementsOf(last.lines().stream()
                                .map(line -> line.product().sku() + " " + line.quantity() + " "
                                        + line.product().category())
                                .toList());
                assertThat(order.placedAt().toInstant())
                        .isAfter(calls.get(calls.size() - 1).at());
            }
        }
        assertThat(ordered).as("carts ordered within the three minutes").isPositive();
        assertThat(orders.stream().filter(o -> o.cartId() != null)).hasSize(ordered);
        // every newcomer registers (a profile opted in to e-mail) before the first order naming no cart
        List<OrderRequest> firsts = orders.stream()
                .filter(o -> o.orderId().startsWith("demo-sim-first-demo-new-"))
                .toList();
        assertThat(firsts).hasSize(9).allSatisfy(o -> assertThat(o.cartId()).isNull());
        for (OrderRequest first : firsts) {
            int registered = -1;
            for (int n = 0; n < made.size(); n++) {
                if (made.get(n) instanceof String text && text.startsWith(first.customerId() + " ")) {
                    registered = n;
                    assertThat(text).contains("OPTED_IN").contains("@example.com");
                }
            }
            assertThat(registered).isNotNegative().isLessThan(made.indexOf(first));
            assertThat(first.items())
                    .allSatisfy(item -> assertThat(item.category()).isIn(DemoShop.CATEGORIES));
        }
    }
}
