package io.loyalflow.customer;

import java.util.Locale;

/**
 * What a consent is about: a channel Loyalflow sends on ({@link #EMAIL}, {@link #SMS}), or inclusion
 * in paid-ads audiences such as Meta Custom Audiences ({@link #ADS}), which nothing is sent on. Kept
 * apart from {@link Channel} so that ads can never be chosen as a channel to send a message on.
 */
public enum ConsentTopic {
    EMAIL,
    SMS,
    ADS;

    /** The name used in JSON ({@code email}, {@code sms}, {@code ads}) and in the database. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConsentTopic fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** The consent a message on this channel needs. */
    public static ConsentTopic of(Channel channel) {
        return switch (channel) {
            case EMAIL -> EMAIL;
            case SMS -> SMS;
        };
    }
}
