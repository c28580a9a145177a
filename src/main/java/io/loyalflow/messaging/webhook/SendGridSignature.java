package io.loyalflow.messaging.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Verifies SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64, ASN.1 DER) over
 * the {@code X-Twilio-Email-Event-Webhook-Timestamp} header's bytes followed by the raw request body.
 *
 * <p>The JDK alone does this; the SDK's own helper needs BouncyCastle, which sendgrid-java no longer brings.
 * The caller must pass the body exactly as received (not re-serialised JSON): one changed byte, even the
 * trailing CRLF, breaks the signature. Checking the timestamp's age (replays) is the caller's job too.
 *
 * <p>Thread-safe: the parsed key is immutable and every call uses its own {@link Signature}.
 */
final class SendGridSignature {

    static final String PROPERTY = "loyalflow.messaging.sendgrid.webhook-public-key";
    private static final String ALGORITHM = "SHA256withECDSA";

    private final PublicKey publicKey;

    /**
     * @param base64DerPublicKey the verification key as SendGrid shows it (base64 of the X.509 DER encoding)
     * @throws IllegalArgumentException when the key is blank or not an EC public key
     */
    public SendGridSignature(String base64DerPublicKey) {
        if (base64DerPublicKey == null || base64DerPublicKey.isBlank()) {
            throw new IllegalArgumentException(PROPERTY + " is not set: copy the verification key from SendGrid's "
                    + "Mail Settings > Event Webhook > Signature Verification");
        }
        try {
            // The MIME decoder tolerates line breaks a pasted key may carry.
            byte[] der = Base64.getMimeDecoder().decode(base64DerPublicKey.trim());
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey)) {
                throw new IllegalArgumentException(PROPERTY + " is not an EC public key");
            }
            this.publicKey = key;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    PROPERTY + " is not a valid base64 DER (X.509) EC public key: " + e.getMessage(), e);
        }
    }

    /**
     * @param signatureBase64 the {@code X-Twilio-Email-Event-Webhook-Signature} header
     * @param timestamp the {@code X-Twilio-Email-Event-Webhook-Timestamp} header, as received
     * @param rawBody the request body bytes, as received
     * @return whether the signature is valid; false (never an exception) for missing or malformed input
     */
    public boolean verify(String signatureBase64, String timestamp, byte[] rawBody) {
        if (rawBody == null) {
            return false;
        }
        Verification verification = start(signatureBase64, timestamp);
        verification.update(rawBody, 0, rawBody.length);
        return verification.verify();
    }

    /**
     * A check fed with the body as it arrives, so that nobody needs to hold a body to learn that its
     * signature is wrong.
     *
     * @param signatureBase64 the {@code X-Twilio-Email-Event-Webhook-Signature} header
     * @param timestamp the {@code X-Twilio-Email-Event-Webhook-Timestamp} header, as received
     */
    public Verification start(String signatureBase64, String timestamp) {
        if (signatureBase64 == null || signatureBase64.isBlank() || timestamp == null) {
            return new Verification(null, null);
        }
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64.trim());
            // Signature instances keep state between update() and verify(): one per check, never shared.
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return new Verification(verifier, signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Undecodable base64: no body can make it a valid signature.
            return new Verification(null, null);
        }
    }

    /** One signature check in progress; not thread-safe (one request's). */
    public static final class Verification {

        private final Signature verifier;
        private final byte[] signature;

        private Verification(Signature verifier, byte[] signature) {
            this.verifier = verifier;
            this.signature = signature;
        }

        /** Whether the headers can be valid at all; a check that cannot is decided before the body is read. */
        public boolean possible() {
            return verifier != null;
        }

        public void update(byte[] bytes, int offset, int length) {
            if (verifier == null) {
                return;
            }
            try {
                verifier.update(bytes, offset, length);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("an initialised signature refused data", e);
            }
        }

        /** @return whether the signature is valid over the timestamp and every byte fed; false for malformed input */
        public boolean verify() {
            if (verifier == null) {
                return false;
            }
            try {
                return verifier.verify(signature);
            } catch (GeneralSecurityException e) {
                // A DER structure the provider rejects: not a valid signature.
                return false;
            }
        }
    }
}
