package io.loyalflow.campaign.migration;

import io.loyalflow.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "Template migrations",
        description = "Moving a campaign's running journeys to another version of its template (engine batches)")
class TemplateMigrationController {

    private final TemplateMigrations migrations;

    TemplateMigrationController(TemplateMigrations migrations) {
        this.migrations = migrations;
    }

    @Operation(
            summary =
                    "Moves the campaign's running journeys to another version of its template. A dry run (the default) "
                            + "lists per version and waiting step how many journeys would move, which steps the target lacks (those "
                            + "journeys stay), and what becomes of timers and message waits; with dryRun false, 202 with one engine "
                            + "batch per source version (Cockpit's batch view) and a Location to its report. 422 naming the field "
                            + "for a target that is not the campaign's template, an unknown version, the version every journey is on, "
                            + "or a plan the engine refuses; 409 while a migration of the campaign runs")
    @PostMapping("/api/campaigns/{id}/migrations")
    ResponseEntity<MigrationPlanView> migrate(@PathVariable String id, @RequestBody MigrationRequest request) {
        MigrationPlanView view =
                migrations.migrate(id, request, Caller.current().userId());
        if (view.dryRun()) {
            return ResponseEntity.ok(view);
        }
        URI location = URI.create(
                view.batches().size() == 1 ? view.batches().get(0).report() : "/api/campaigns/" + id + "/migrations");
        return ResponseEntity.accepted().location(location).body(view);
    }

    @Operation(summary = "The campaign's migrations, newest first, each with its report")
    @GetMapping("/api/campaigns/{id}/migrations")
    List<MigrationReport> all(@PathVariable String id) {
        return migrations.reports(id);
    }

    @Operation(
            summary =
                    "One migration's report from the engine's batch: journeys in total, migrated so far, failed (with "
                            + "the failing journeys and the engine's messages), remaining; 404 when the batch is not the campaign's")
    @GetMapping("/api/campaigns/{id}/migrations/{batchId}")
    MigrationReport report(@PathVariable String id, @PathVariable String batchId) {
        return migrations.report(id, batchId);
    }
}
