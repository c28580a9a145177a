package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.security.Caller;
import io.loyalflow.segment.PersonalConditions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Campaigns",
        description = "Campaigns: a BPMN template and its settings; lifecycle DRAFT, ACTIVE, PAUSED, ARCHIVED")
class CampaignController {

    private final Campaigns campaigns;
    private final CampaignTestSends testSends;
    private final PersonalConditions personal;

    CampaignController(Campaigns campaigns, CampaignTestSends testSends, PersonalConditions personal) {
        this.campaigns = campaigns;
        this.testSends = testSends;
        this.personal = personal;
    }

    /** An audience narrowed by a personal field would let journey counts answer what estimates may not. */
    private void refusePersonalAudience(CampaignRequest request) {
        if (request.settings() != null) {
            personal.refuseUnlessAllowed(
                    request.settings().path("audience").path("conditions"),
                    "settings.audience.conditions",
                    Caller.current().mayReadPersonalData());
        }
    }

    /**
     * The campaign as the caller may see it: an administrator's audience may compare personal data,
     * whose values analysts do not see.
     */
    private CampaignView view(Campaign campaign) {
        CampaignView view = CampaignView.of(campaign);
        JsonNode conditions = view.settings() == null
                ? null
                : view.settings().path("audience").get("conditions");
        if (conditions == null || Caller.current().mayReadPersonalData()) {
            return view;
        }
        ObjectNode settings = view.settings().deepCopy();
        ((ObjectNode) settings.get("audience")).set("conditions", personal.redacted(conditions));
        return new CampaignView(
                view.id(),
                view.name(),
                view.template(),
                view.state(),
                view.revision(),
                settings,
                view.createdAt(),
                view.updatedAt(),
                view.activatedAt(),
                view.lastRecurringAt());
    }

    record CampaignRequest(String id, String name, String template, JsonNode settings) {}

    record CampaignView(
            String id,
            String name,
            String template,
            String state,
            int revision,
            JsonNode settings,
            Instant createdAt,
            Instant updatedAt,
            Instant activatedAt,
            Instant lastRecurringAt) {
        static CampaignView of(Campaign c) {
            return new CampaignView(
                    c.id(),
                    c.name(),
                    c.template(),
                    c.state().name(),
                    c.revision(),
                    c.settings().toJson(),
                    c.createdAt(),
                    c.updatedAt(),
                    c.activatedAt(),
                    c.lastRecurringAt());
        }
    }

    @Operation(summary = "Creates a campaign as a DRAFT; 422 naming every setting at fault, 409 when the id is taken")
    @PostMapping("/api/campaigns")
    ResponseEntity<CampaignView> create(@RequestBody CampaignRequest request) {
        refusePersonalAudience(request);
        Campaign created = campaigns.create(request.id(), request.name(), request.template(), request.settings());
        return ResponseEntity.created(URI.create("/api/campaigns/" + created.id()))
                .body(view(created));
    }

    @GetMapping("/api/campaigns")
    List<CampaignView> all() {
        return campaigns.all().stream().map(this::view).toList();
    }

    @GetMapping("/api/campaigns/{id}")
    CampaignView get(@PathVariable String id) {
        return view(campaigns.get(id));
    }

    @Operation(
            summary = "Changes name, template and settings as a new revision: new entries use it, running journeys "
                    + "keep theirs. An active campaign's new settings must pass the activation checks")
    @PutMapping("/api/campaigns/{id}")
    CampaignView update(@PathVariable String id, @RequestBody CampaignRequest request) {
        if (request.id() != null && !request.id().equals(id)) {
            throw Refusal.invalid("id", "differs from the id in the path");
        }
        refusePersonalAudience(request);
        return view(campaigns.update(id, request.name(), request.template(), request.settings()));
    }

    @Operation(
            summary = "Activates after the checks (audience, a message for every send step, SMS tokens, a verified "
                    + "sender, the template deployed; for an e-mail series every e-mail complete and every sender verified, the "
                    + "variant a template asks for, the team task's group); 422 lists every problem")
    @PostMapping("/api/campaigns/{id}/activate")
    CampaignView activate(@PathVariable String id) {
        return view(campaigns.activate(id));
    }

    @Operation(summary = "Pauses: no new entries; running journeys go on")
    @PostMapping("/api/campaigns/{id}/pause")
    CampaignView pause(@PathVariable String id) {
        return view(campaigns.pause(id));
    }

    @Operation(summary = "Archives for good: no new entries; running journeys go on to their end")
    @PostMapping("/api/campaigns/{id}/archive")
    CampaignView archive(@PathVariable String id) {
        return view(campaigns.archive(id));
    }

    @Operation(
            summary = "Sends each message step of the campaign (or the steps named) to a tester's e-mail address "
                    + "or phone, rendered as the campaign would and marked as a test; no journey starts. Drafts may be test-sent; "
                    + "409 when archived, 422 naming each field at fault. Analysts send only to their own verified address and phone "
                    + "(403 otherwise) and see a sample customer's personal tokens as placeholders")
    @PostMapping("/api/campaigns/{id}/test-send")
    CampaignTestSends.Result testSend(@PathVariable String id, @RequestBody CampaignTestSends.Request request) {
        return testSends.send(id, request, Caller.current());
    }
}
