package io.loyalflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
        DemoContacts contacts = new DemoContacts(42, 0.7, 0.8, 0.5);
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
        DemoContacts contacts = new DemoContacts(42, 0.7, 0.8, 0.5);
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
}
