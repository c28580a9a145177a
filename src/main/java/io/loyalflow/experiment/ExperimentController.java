package io.loyalflow.experiment;

import io.loyalflow.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Experiments", description = "The A/B splits of a campaign: arms, figures, winners")
class ExperimentController {

    private final Experiments experiments;

    ExperimentController(Experiments experiments) {
        this.experiments = experiments;
    }

    @Operation(
            summary = "The campaign's experiments (one per A/B split a journey reached): per arm assigned, reached, "
                    + "outcomes and rate of the experiment's metric, revenue per journey, probability to be best and "
                    + "95 % credible interval (Beta posteriors), uplift against the control arm; the winner decision. "
                    + "Counts only, no person. 404 for an unknown campaign")
    @GetMapping("/api/campaigns/{id}/experiments")
    List<ExperimentView> experiments(@PathVariable String id) {
        return experiments.of(id);
    }

    @Operation(
            summary = "Undoes the experiment's winner decision: new entries take the campaign's weights again; who "
                    + "and when are recorded. 404 for an unknown campaign or experiment, 409 when no decision stands")
    @PostMapping("/api/campaigns/{id}/experiments/{experimentKey}/winner/undo")
    ExperimentView undo(@PathVariable String id, @PathVariable String experimentKey) {
        return experiments.undo(id, experimentKey, Caller.current().userId());
    }
}
