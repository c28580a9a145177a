package io.loyalflow.audience;

import java.util.List;

/** The Meta provider was chosen without the settings it cannot work without; the application does not start. */
public class MissingAudienceSettingsException extends RuntimeException {

    private final List<String> missing;

    MissingAudienceSettingsException(List<String> missing) {
        super("loyalflow.audiences.provider is 'meta' but " + String.join(" and ", missing)
                + (missing.size() == 1 ? " is" : " are") + " not set");
        this.missing = List.copyOf(missing);
    }

    /** Each missing setting as "property (ENVIRONMENT_VARIABLE)". */
    public List<String> missing() {
        return missing;
    }
}
