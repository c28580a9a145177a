package io.loyalflow.campaign.migration;

/**
 * What an analyst asks for: move the campaign's running journeys to one version of its template.
 *
 * @param targetVersion the version of the campaign's template (its BPMN process) to move the journeys to; required
 * @param template the campaign's template key, optional: when given it must be the campaign's, a guard against
 *     moving the journeys of the wrong campaign
 * @param dryRun true (the default): only say what would happen; false: start the migration
 * @param updateTimers false (the default): a wait whose timer the new version defines differently keeps the due
 *     date it has; true: such timers are computed anew from the new version's definition, counted from the moment
 *     the journey is migrated
 */
public record MigrationRequest(Integer targetVersion, String template, Boolean dryRun, Boolean updateTimers) {

    boolean isDryRun() {
        return dryRun == null || dryRun;
    }

    boolean isUpdateTimers() {
        return updateTimers != null && updateTimers;
    }
}
