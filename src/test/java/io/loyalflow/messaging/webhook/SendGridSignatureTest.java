package io.loyalflow.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SendGridSignatureTest {

    // The sendgrid-java SDK's own EventWebhookTest vector (see /work/shared/reference/providers.md).
    private static final String PUBLIC_KEY =
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9m"
                    + "N1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
    private static final String SIGNATURE =
            "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQ" + "AbPIqHh89M15TluLtEZtM=";
    private static final String TIMESTAMP = "1600112502";
    private static final String PAYLOAD_JSON = "[{\"email\":\"hello@world.com\",\"event\":\"dropped\","
            + "\"reason\":\"Bounced Address\",\"sg_event_id\":\"ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA\","
            + "\"sg_message_id\":\"LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\","
            + "\"smtp-id\":\"<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>\",\"timestamp\":1600112492}]";
    // SendGrid signed the body including its trailing CRLF: the bytes must be exactly these.
    private static final byte[] PAYLOAD = (PAYLOAD_JSON + "\r\n").getBytes(StandardCharsets.UTF_8);

    private final SendGridSignature verifier = new SendGridSignature(PUBLIC_KEY);

    @Test
    void acceptsSendGridsOfficialVector() {
        assertThat(PAYLOAD[PAYLOAD.length - 2]).isEqualTo((byte) '\r');
        assertThat(PAYLOAD[PAYLOAD.length - 1]).isEqualTo((byte) '\n');

        assertThat(verifier.verify(SIGNATURE, TIMESTAMP, PAYLOAD)).isTrue();
    }

    @Test
    void refusesABodyChangedByOneCharacter() {
        byte[] changed = PAYLOAD.clone();
        int at = PAYLOAD_JSON.indexOf("dropped");
        changed[at] = 'D';

        assertThat(verifier.verify(SIGNATURE, TIMESTAMP, changed)).isFalse();
    }

    @Test
    void refusesTheBodyWithoutItsTrailingCrlf() {
        assertThat(verifier.verify(SIGNATURE, TIMESTAMP, PAYLOAD_JSON.getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(verifier.verify(SIGNATURE, TIMESTAMP, (PAYLOAD_JSON + "\n").getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void refusesAChangedTimestamp() {
        assertThat(verifier.verify(SIGNATURE, "1600112503", PAYLOAD)).isFalse();
        assertThat(verifier.verify(SIGNATURE, "", PAYLOAD)).isFalse();
    }

    @Test
    void refusesAnAlteredSignatureThatIsStillValidBase64() {
        // Flip one character inside the r value (after the DER header "MEUCIG"), keeping the base64 valid.
        char[] chars = SIGNATURE.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        String altered = new String(chars);
        assertThat(Base64.getDecoder().decode(altered))
                .hasSize(Base64.getDecoder().decode(SIGNATURE).length);

        assertThat(verifier.verify(altered, TIMESTAMP, PAYLOAD)).isFalse();
    }

    @Test
    void refusesTheVectorUnderAnotherValidP256Key() throws Exception {
        KeyPair other = p256KeyPair();
        SendGridSignature otherVerifier = new SendGridSignature(
                Base64.getEncoder().encodeToString(other.getPublic().getEncoded()));

        assertThat(otherVerifier.verify(SIGNATURE, TIMESTAMP, PAYLOAD)).isFalse();
    }

    @Test
    void refusesGarbageBlankAndMissingSignaturesWithoutThrowing() {
        assertThat(verifier.verify(null, TIMESTAMP, PAYLOAD)).isFalse();
        assertThat(verifier.verify("", TIMESTAMP, PAYLOAD)).isFalse();
        assertThat(verifier.verify("   ", TIMESTAMP, PAYLOAD)).isFalse();
        assertThat(verifier.verify("not base64 at all!", TIMESTAMP, PAYLOAD)).isFalse();
        // Valid base64, but not a DER ECDSA signature.
        assertThat(verifier.verify(
                        Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)),
                        TIMESTAMP,
                        PAYLOAD))
                .isFalse();
        assertThat(verifier.verify(SIGNATURE, null, PAYLOAD)).isFalse();
        assertThat(verifier.verify(SIGNATURE, TIMESTAMP, null)).isFalse();
    }

    @Test
    void roundTripsAPayloadSignedWithAGeneratedKey() throws Exception {
        KeyPair keys = p256KeyPair();
        String timestamp = "1700000000";
        byte[] body = "[{\"event\":\"open\",\"sg_event_id\":\"e1\"}]\r\n".getBytes(StandardCharsets.UTF_8);
        String signature = sign(keys, timestamp, body);
        SendGridSignature ours = new SendGridSignature(
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));

        assertThat(ours.verify(signature, timestamp, body)).isTrue();
        assertThat(ours.verify(signature, "1700000001", body)).isFalse();
        assertThat(verifier.verify(signature, timestamp, body)).isFalse();
    }

    @Test
    void verifiesFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean valid = i % 2 == 0;
                results.add(pool.submit(() -> verifier.verify(SIGNATURE, valid ? TIMESTAMP : "0", PAYLOAD) == valid));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAnInvalidConfiguredKeyNamingTheProperty() throws Exception {
        assertThatThrownBy(() -> new SendGridSignature(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.sendgrid.webhook-public-key");
        assertThatThrownBy(() -> new SendGridSignature("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.sendgrid.webhook-public-key");
        assertThatThrownBy(() -> new SendGridSignature("not-a-key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.sendgrid.webhook-public-key");
        assertThatThrownBy(() -> new SendGridSignature(PUBLIC_KEY.substring(0, 40)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.sendgrid.webhook-public-key");
        // A valid key of the wrong algorithm is refused as well.
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaKey = Base64.getEncoder()
                .encodeToString(rsa.generateKeyPair().getPublic().getEncoded());
        assertThatThrownBy(() -> new SendGridSignature(rsaKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.sendgrid.webhook-public-key");
    }

    private static KeyPair p256KeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String sign(KeyPair keys, String timestamp, byte[] body) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
        signer.update(body);
        return Base64.getEncoder().encodeToString(signer.sign());
    }
}
