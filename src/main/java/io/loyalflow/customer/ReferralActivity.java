package io.loyalflow.customer;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The referral program's activity segment of a customer (Mention Me's ECR time period segment): a
 * purchase or a referral within the program's period makes them Active, else Dormant. Stored
 * upper-case, shown and accepted as the program names it.
 */
public enum ReferralActivity {
    ACTIVE("Active"),
    DORMANT("Dormant");

    private final String label;

    ReferralActivity(String label) {
        this.label = label;
    }

    /** "Active" or "Dormant", as the API shows it and DMN tables and conditions compare it. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The activity named by {@code value} in any case ("active", "Active", "ACTIVE"). */
    public static Optional<ReferralActivity> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (ReferralActivity activity : values()) {
            if (activity.name().equals(name)) {
                return Optional.of(activity);
            }
        }
        return Optional.empty();
    }
}
