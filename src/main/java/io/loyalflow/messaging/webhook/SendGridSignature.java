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
public final class SendGridSignature {

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
      throw new IllegalArgumentException(PROPERTY + " is not a valid base64 DER (X.509) EC public key: "
          + e.getMessage(), e);
    }
  }

  /**
   * @param signatureBase64 the {@code X-Twilio-Email-Event-Webhook-Signature} header
   * @param timestamp the {@code X-Twilio-Email-Event-Webhook-Timestamp} header, as received
   * @param rawBody the request body bytes, as received
   * @return whether the signature is valid; false (never an exception) for missing or malformed input
   */
  public boolean verify(String signatureBase64, String timestamp, byte[] rawBody) {
    if (signatureBase64 == null || signatureBase64.isBlank() || timestamp == null || rawBody == null) {
      return false;
    }
    try {
      byte[] signature = Base64.getDecoder().decode(signatureBase64.trim());
      // Signature instances keep state between update() and verify(): one per call, never shared.
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
      verifier.update(rawBody);
      return verifier.verify(signature);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // Undecodable base64 or a DER structure the provider rejects: not a valid signature.
      return false;
    }
  }
}
