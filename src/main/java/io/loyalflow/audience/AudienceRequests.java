package io.loyalflow.audience;

import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.web.Texts;
import java.util.regex.Pattern;

/** The bodies of the ad-audience API, and what makes them acceptable. */
final class AudienceRequests {

    /** Audience and segment ids: lower-case letters, digits and -. */
    static final Pattern ID = AdAudiences.ID;

    private static final Pattern META_AUDIENCE_ID = Pattern.compile("[0-9]{1,64}");

    /**
     * A new ad audience.
     *
     * @param id how Loyalflow names it (campaign settings, models, URLs)
     * @param name its name at Meta and on the dashboard
     * @param metaAudienceId an existing custom audience in the ad account; absent: Loyalflow creates one
     * @param segment the segment whose members it follows; absent: journeys add and remove members
     */
    record Create(String id, String name, String metaAudienceId, String segment) {

        void validate(Violations violations) {
            if (id == null || id.isBlank()) {
                violations.add("id", "is required");
            } else if (!ID.matcher(id).matches()) {
                violations.add(
                        "id", "must be 1 to 64 lower-case letters, digits or -, starting with a letter or digit");
            }
            if (name == null || name.isBlank()) {
                violations.add("name", "is required");
            } else if (violations.withinLength("name", name, AdAudiences.MAX_NAME)) {
                Texts.requireSingleLine(name, "name", violations);
            }
            if (metaAudienceId != null
                    && !META_AUDIENCE_ID.matcher(metaAudienceId).matches()) {
                violations.add("metaAudienceId", "must be the custom audience's numeric id (up to 64 digits)");
            }
            if (segment != null && !ID.matcher(segment).matches()) {
                violations.add("segment", "must be a segment id (lower-case letters, digits and -, at most 64)");
            }
        }
    }

    private AudienceRequests() {}
}
