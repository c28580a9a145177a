package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import java.util.Locale;

/** The form in which addresses are compared and suppressed: e-mail lower-cased, phone numbers in E.164. */
final class Addresses {

    private Addresses() {}

    public static String normalise(Channel channel, String address) {
        if (address == null) {
            return null;
        }
        String trimmed = address.trim();
        return channel == Channel.EMAIL ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
    }
}
