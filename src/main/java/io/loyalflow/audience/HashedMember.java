package io.loyalflow.audience;

/**
 * One customer as sent to an ad audience: SHA-256 hex (lower case, 64 characters) of the normalised
 * e-mail and phone; either may be null, not both.
 */
record HashedMember(String emailSha256, String phoneSha256) {

    HashedMember {
        if (emailSha256 == null && phoneSha256 == null) {
            throw new IllegalArgumentException("a member needs an e-mail or a phone hash");
        }
        requireHash(emailSha256, "emailSha256");
        requireHash(phoneSha256, "phoneSha256");
    }

    // A raw address passed here by mistake would leave the service; only a hash may.
    private static void requireHash(String value, String name) {
        if (value != null && !AudienceHashing.isSha256Hex(value)) {
            throw new IllegalArgumentException(name + " must be 64 lower-case hex digits");
        }
    }

    @Override
    public String toString() {
        return "HashedMember[" + abbreviate(emailSha256) + ", " + abbreviate(phoneSha256) + "]";
    }

    private static String abbreviate(String hash) {
        return hash == null ? "-" : hash.substring(0, 8) + "…";
    }
}
