package io.loyalflow.customer;

import java.util.Locale;

/** A channel Loyalflow sends on; consent is kept per channel. */
public enum Channel {
    EMAIL,
    SMS;

    /** The name used in JSON ({@code email}, {@code sms}) and in the database. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
