package io.loyalflow.audience;

import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.Caller;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AudienceController {

    private final AdAudiences audiences;
    private final AudienceProvider provider;

    AudienceController(AdAudiences audiences, AudienceProvider provider) {
        this.audiences = audiences;
        this.provider = provider;
    }

    @Operation(
            summary = "Ad audiences and their sync status",
            description = "Counts and times only: members wanted, at Meta and pending, members sent, removals, "
                    + "batches, the last batch, errors and the last error, flagged, full replace.")
    @GetMapping("/api/audiences")
    List<AudienceStatus> list() {
        return audiences.all().stream().map(this::status).toList();
    }

    @Operation(summary = "An ad audience's sync status")
    @GetMapping("/api/audiences/{id}")
    AudienceStatus get(@PathVariable String id) {
        return status(audiences.find(checkedId(id)).orElseThrow(() -> AdAudiences.notFound(id)));
    }

    @Operation(
            summary = "Sync customers to a Meta Custom Audience",
            description = "Body {\"id\": \"lapsed-buyers\", \"name\": \"Lapsed buyers\", \"metaAudienceId\": "
                    + "\"23851234567890\", \"segment\": \"churn-risk\"}. Without metaAudienceId a custom audience is "
                    + "created in the configured ad account. With segment the audience follows that segment's "
                    + "members; without, journeys fill it (a campaign's setting adAudience, the step \"Sync to an ad "
                    + "audience\"). Only customers with ads consent are sent, hashed.")
    @PostMapping("/api/audiences")
    ResponseEntity<AudienceStatus> create(@RequestBody AudienceRequests.Create request) {
        if (request == null) {
            throw Refusal.invalid("id", "is required");
        }
        AdAudienceStore.Row created;
        try {
            created = audiences.create(request, Caller.current().userId());
        } catch (AudienceProviderUnavailableException e) {
            throw providerFailed(HttpStatus.SERVICE_UNAVAILABLE, "Meta did not answer", e);
        } catch (AudienceRequestRejectedException e) {
            throw providerFailed(HttpStatus.BAD_GATEWAY, "Meta refused", e);
        }
        return ResponseEntity.created(URI.create("/api/audiences/" + created.id()))
                .body(status(created));
    }

    @Operation(
            summary = "Replace the audience's members at Meta with the current ones",
            description = "A full replace through Meta's replace session, at the next sync round (within a minute): "
                    + "everyone Meta has that the source no longer wants goes. 409 while one is running.")
    @PostMapping("/api/audiences/{id}/replace")
    ResponseEntity<AudienceStatus> replace(@PathVariable String id) {
        return ResponseEntity.accepted().body(status(audiences.requestReplace(checkedId(id))));
    }

    @Operation(
            summary = "Pause an audience's sync",
            description = "Nothing more is sent to Meta (a round under way stops at its next batch); members keep "
                    + "joining and leaving, and go out when an administrator resumes the audience.")
    @PostMapping("/api/audiences/{id}/pause")
    AudienceStatus pause(@PathVariable String id) {
        return status(audiences.pause(checkedId(id)));
    }

    @Operation(
            summary = "Resume a paused or flagged audience (administrators)",
            description = "After a pause, or after Meta flagged the audience (operation_status 471) and the cause "
                    + "was resolved in Ads Manager: the sync may send again, every member is decided again at the next "
                    + "round; for a flagged one, retry the incident's job in Cockpit.")
    @PostMapping("/api/audiences/{id}/resume")
    AudienceStatus resume(@PathVariable String id) {
        return status(audiences.resume(checkedId(id)));
    }

    /** Creating the custom audience at Meta failed: nothing was stored, the request may be repeated. */
    private static ApiProblemException providerFailed(HttpStatus status, String what, RuntimeException e) {
        return new ApiProblemException(
                status,
                ProblemTypes.PROVIDER_FAILED,
                what + " when asked to create the custom audience; nothing was stored. Try again later, or name an "
                        + "existing custom audience (metaAudienceId). " + e.getMessage(),
                List.of());
    }

    private AudienceStatus status(AdAudienceStore.Row audience) {
        return AudienceStatus.of(
                audience, audiences.counts(audience), provider.name(), audiences.roundRunning(audience.id()));
    }

    private static String checkedId(String id) {
        if (!AdAudiences.ID.matcher(id).matches()) {
            Violations violations = new Violations();
            violations.add("id", "must be 1 to 64 lower-case letters, digits or -");
            violations.throwIfAny();
        }
        return id;
    }
}
