package io.loyalflow.campaign.migration;

import java.util.List;

/**
 * What a migration of a campaign's running journeys does (a dry run) or has started (with its batches).
 *
 * @param journeys running journeys of the campaign that move (all sources)
 * @param staying running journeys that wait at a step the target version lacks: they stay on their version
 * @param batches the engine's batches started, one per source version; empty for a dry run
 */
public record MigrationPlanView(
        String campaign,
        String template,
        int targetVersion,
        String targetDefinitionId,
        boolean dryRun,
        boolean updateTimers,
        long journeys,
        long staying,
        List<Source> sources,
        List<Started> batches) {

    /**
     * The journeys on one version of the template.
     *
     * @param journeys the campaign's running journeys on this version
     * @param migrating those that move (their every waiting step has a counterpart in the target)
     * @param staying those at a step without counterpart
     */
    public record Source(
            int version, String definitionId, long journeys, long migrating, long staying, List<Step> steps) {}

    /**
     * A step where journeys of the source version wait, and what becomes of them.
     *
     * @param journeys how many of the campaign's journeys on the source version are at this step
     * @param targetActivityId the step in the target version they move to, or null when there is none
     * @param mapped whether they move; unmapped journeys stay on their version (the engine refuses to migrate a
     *     journey from a step the target lacks)
     * @param events the timers and message waits the journeys have at this step, and what the migration does to
     *     each
     */
    public record Step(
            String activityId,
            String name,
            long journeys,
            String targetActivityId,
            String targetName,
            boolean mapped,
            List<Event> events,
            String note) {}

    /**
     * A timer or message wait of a step (the step's own event, the events after an event-based gateway, boundary
     * events, the start events of event sub-processes around it).
     *
     * @param kind TIMER, MESSAGE or SIGNAL
     * @param definition the timer's expression or the message's name in the source version
     * @param targetDefinition the same in the target version (null when the target lacks the event)
     * @param outcome KEEPS_DUE_DATE, RECOMPUTED, MOVES, UPDATED, REPLACED, REMOVED or ADDED
     */
    public record Event(
            String activityId,
            String kind,
            String definition,
            String targetDefinition,
            boolean changed,
            String outcome,
            String note) {}

    /** One batch started: its id, the version it moves journeys from, how many, and where its report is. */
    public record Started(String batchId, int sourceVersion, long journeys, String report) {}
}
