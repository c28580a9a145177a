package io.loyalflow.audience;

import java.util.Locale;

/** What the "Sync to an ad audience" step does with the journey's customer. */
enum AudienceStepAction {
    ADD,
    REMOVE;

    boolean adds() {
        return this == ADD;
    }

    /** ADD when not given; anything else than ADD or REMOVE is a modelling error the step names. */
    static AudienceStepAction parse(String action) {
        if (action == null || action.isBlank()) {
            return ADD;
        }
        try {
            return valueOf(action.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Sync to an ad audience: adAudienceAction must be ADD or REMOVE, not '" + action + "'");
        }
    }
}
