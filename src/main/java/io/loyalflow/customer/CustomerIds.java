package io.loyalflow.customer;

import java.util.regex.Pattern;

/** The shape of a customer id: it appears in URLs and in journey business keys {@code <campaign>:<customer>}. */
public final class CustomerIds {

    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}";
    public static final String RULE = "1 to 100 letters, digits or . _ @ + -, starting with a letter or digit";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    public static boolean isValid(String customerId) {
        return customerId != null && PATTERN.matcher(customerId).matches();
    }

    private CustomerIds() {}
}
