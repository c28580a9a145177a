package io.loyalflow.audience;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Meta's normalisation before SHA-256: e-mail trimmed and lower-cased; phone as digits with the country
 * code, no "+" and no leading zeros. Meta matches only what was normalised exactly so.
 */
final class AudienceHashing {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    // MessageDigest is not thread-safe and costs more to look up than to run on one short value.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(AudienceHashing::newDigest);

    private AudienceHashing() {}

    /** Trimmed and lower-cased; null for null or blank. */
    static String normaliseEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return raw.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * E.164 digits without "+" ("020 7946 0018" in GB is "442079460018"); null when libphonenumber does not
     * take it for a valid number. {@code defaultRegion} (ISO 3166 alpha-2) applies to numbers in national form.
     */
    static String normalisePhone(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank() || raw.length() > 64) {
            return null;
        }
        if (isE164(raw)) {
            // the form Loyalflow stores phones in (checked at intake): parsing it again would cost most of a batch
            return raw.substring(1);
        }
        String region = defaultRegion == null ? null : defaultRegion.strip().toUpperCase(Locale.ROOT);
        try {
            PhoneNumber number = PHONES.parse(internationalPrefixAsPlus(raw.strip()), region);
            if (!PHONES.isValidNumber(number)) {
                return null;
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** "+" and 7 to 15 digits, the first not 0: already E.164. */
    private static boolean isE164(String raw) {
        int length = raw.length();
        if (length < 8 || length > 16 || raw.charAt(0) != '+' || raw.charAt(1) == '0') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // "00 44 20 ..." is dialled from most of the world; libphonenumber reads "00" as the international prefix only
    // when the default region uses it, so a US default would otherwise refuse a number written for Europe.
    private static String internationalPrefixAsPlus(String raw) {
        return raw.startsWith("00") ? "+" + raw.substring(2) : raw;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    static String sha256Hex(String value) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] hash = digest.digest(value.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[hash.length * 2];
        for (int i = 0; i < hash.length; i++) {
            hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[hash[i] & 0xf];
        }
        return new String(hex);
    }

    /** The member as sent, or empty when neither the e-mail nor the phone is usable. */
    static Optional<HashedMember> member(String email, String phone, String defaultRegion) {
        String normalisedEmail = normaliseEmail(email);
        String normalisedPhone = normalisePhone(phone, defaultRegion);
        if (normalisedEmail == null && normalisedPhone == null) {
            return Optional.empty();
        }
        return Optional.of(new HashedMember(
                normalisedEmail == null ? null : sha256Hex(normalisedEmail),
                normalisedPhone == null ? null : sha256Hex(normalisedPhone)));
    }

    static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
