package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens for one-click unsubscribe links: each names one customer and one channel, and only this
 * service (holding {@code loyalflow.messaging.unsubscribe-secret}) can make one.
 *
 * <p>A token is base64url without padding (safe in a URL path or query) of 30 bytes: a version byte, the
 * customer key (8 bytes, big-endian), a channel code byte and the first 20 bytes of an HMAC-SHA256 over
 * the preceding 10 bytes. 30 bytes encode to exactly 40 characters with no spare bits, so each valid token
 * has exactly one spelling.
 *
 * <p><b>Tokens never expire.</b> An unsubscribe link in an e-mail sent years ago must still work (CAN-SPAM,
 * RFC 8058), and unsubscribing is harmless to replay, so no time is encoded. The only way to invalidate
 * issued tokens is to change the secret, which breaks every link already sent: keep the secret stable.
 *
 * <p>Thread-safe: the key is immutable and each call takes its own {@link Mac}.
 */
final class UnsubscribeTokens {

    static final String PROPERTY = "loyalflow.messaging.unsubscribe-secret";
    static final int MIN_SECRET_LENGTH = 32;

    private static final String HMAC = "HmacSHA256";
    private static final byte VERSION_1 = 1;
    private static final int MAC_BYTES = 20;
    private static final int PAYLOAD_BYTES = 1 + Long.BYTES + 1;
    private static final int TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
    /** 30 bytes are 10 groups of 3: exactly 40 base64 characters, none padding, none with spare bits. */
    private static final int TOKEN_CHARS = TOKEN_BYTES / 3 * 4;
    // Binds the MAC to this purpose, so that the same secret reused for another signature elsewhere cannot
    // turn that signature into a valid unsubscribe token.
    private static final byte[] PURPOSE = "loyalflow/unsubscribe\0".getBytes(StandardCharsets.US_ASCII);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Whom a valid token unsubscribes, from what. */
    public record Subject(long customerKey, Channel channel) {}

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the secret is missing or shorter than 32 characters */
    public UnsubscribeTokens(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(PROPERTY + " must be set to a random secret of at least "
                    + MIN_SECRET_LENGTH + " characters (for example: openssl rand -base64 48)");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** A token for the customer with this key on this channel; the same input always gives the same token. */
    public String issue(long customerKey, Channel channel) {
        if (channel == null) {
            throw new IllegalArgumentException("an unsubscribe token needs a channel");
        }
        byte[] token = ByteBuffer.allocate(TOKEN_BYTES)
                .put(VERSION_1)
                .putLong(customerKey)
                .put(code(channel))
                .array();
        System.arraycopy(mac(token), 0, token, PAYLOAD_BYTES, MAC_BYTES);
        return ENCODER.encodeToString(token);
    }

    /**
     * @return the token's subject; empty for anything not issued with this secret: malformed, altered,
     *     truncated, padded, or of an unknown version
     */
    public Optional<Subject> verify(String token) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length != TOKEN_BYTES || bytes[0] != VERSION_1) {
            return Optional.empty();
        }
        byte[] expected = Arrays.copyOf(mac(bytes), MAC_BYTES);
        byte[] actual = Arrays.copyOfRange(bytes, PAYLOAD_BYTES, TOKEN_BYTES);
        // Constant time, so response timing does not reveal how many leading MAC bytes were right.
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        ByteBuffer payload = ByteBuffer.wrap(bytes, 1, PAYLOAD_BYTES - 1);
        long customerKey = payload.getLong();
        return channel(payload.get()).map(channel -> new Subject(customerKey, channel));
    }

    /** HMAC over the purpose label and the token's payload bytes (the first {@link #PAYLOAD_BYTES}). */
    private byte[] mac(byte[] token) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(PURPOSE);
            mac.update(token, 0, PAYLOAD_BYTES);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    // Fixed codes rather than ordinals: reordering or extending the enum must not change what an issued
    // token means.
    private static byte code(Channel channel) {
        return switch (channel) {
            case EMAIL -> 'E';
            case SMS -> 'S';
        };
    }

    private static Optional<Channel> channel(byte code) {
        return switch (code) {
            case 'E' -> Optional.of(Channel.EMAIL);
            case 'S' -> Optional.of(Channel.SMS);
            default -> Optional.empty();
        };
    }
}
