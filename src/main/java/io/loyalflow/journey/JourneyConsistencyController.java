package io.loyalflow.journey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Journeys")
class JourneyConsistencyController {

    private final JourneyConsistency consistency;

    JourneyConsistencyController(JourneyConsistency consistency) {
        this.consistency = consistency;
    }

    @Operation(
            summary = "Operators and administrators: checks that every open enrollment has its journey and every "
                    + "running journey its enrollment; repairs what can be repaired (exits of ended journeys, lost journeys closed "
                    + "and their customers entered again, missing enrollment rows) and reports the rest. The same check runs at "
                    + "start and daily as the process journey-consistency-check (Cockpit)")
    @PostMapping("/api/journeys/consistency-check")
    JourneyConsistency.Report check(
            @Parameter(description = "false: report only, change nothing") @RequestParam(defaultValue = "true")
                    boolean repair) {
        return consistency.check(repair);
    }
}
