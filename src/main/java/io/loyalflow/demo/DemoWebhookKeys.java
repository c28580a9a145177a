package io.loyalflow.demo;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keys for the engagement simulator, made at each start when it may run ({@link SimulatorGuard}): a fresh
 * ECDSA P-256 key pair whose public half becomes SendGrid's webhook verification key, and a random Twilio
 * auth token, so the simulator's events pass the same signature checks a provider's do. A key or token
 * configured already is kept (the simulator then cannot sign for that provider and leaves its channel alone).
 */
class DemoWebhookKeys implements EnvironmentPostProcessor, Ordered {

    static final String SENDGRID_PUBLIC_KEY = "loyalflow.messaging.sendgrid.webhook-public-key";
    static final String TWILIO_AUTH_TOKEN = "loyalflow.messaging.twilio.auth-token";
    /** The private half, only in this process's environment (never in a file or the log). */
    static final String SENDGRID_SIGNING_KEY = "loyalflow.demo.simulator.sendgrid-signing-key";

    static final String TWILIO_SIGNING_TOKEN = "loyalflow.demo.simulator.twilio-signing-token";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!SimulatorGuard.allowed(environment)) {
            return;
        }
        Map<String, Object> keys = new HashMap<>();
        if (blank(environment.getProperty(SENDGRID_PUBLIC_KEY))) {
            KeyPair pair = ecKeyPair();
            keys.put(
                    SENDGRID_PUBLIC_KEY,
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            keys.put(
                    SENDGRID_SIGNING_KEY,
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        }
        if (blank(environment.getProperty(TWILIO_AUTH_TOKEN))) {
            byte[] token = new byte[16];
            new SecureRandom().nextBytes(token);
            String hex = HexFormat.of().formatHex(token);
            keys.put(TWILIO_AUTH_TOKEN, hex);
            keys.put(TWILIO_SIGNING_TOKEN, hex);
        }
        if (!keys.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("loyalflowDemoWebhookKeys", keys));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key pair for the demo's webhooks", e);
        }
    }

    @Override
    public int getOrder() {
        // after the configuration files are read, so profiles and the keys configured there are known
        return Ordered.LOWEST_PRECEDENCE;
    }
}
