package io.loyalflow.campaign.migration;

import java.time.Instant;
import java.util.List;

/**
 * How far one migration batch of a campaign has come, read from the engine: its batch (running) or historic
 * batch (ended), the batch jobs' job log and the failed batch jobs.
 *
 * @param state RUNNING, SUSPENDED (suspended in Cockpit), COMPLETED, or CANCELLED (deleted before every journey
 *     moved)
 * @param journeys the journeys of the batch: total, migrated so far, failed (no retries left: an incident in
 *     Cockpit's batch view), retrying (failed, retries left), remaining (not migrated yet, including retrying)
 * @param failures the failing journeys with the engine's message, newest first
 */
public record MigrationReport(
        String batchId,
        String campaign,
        String template,
        int sourceVersion,
        int targetVersion,
        boolean updateTimers,
        String requestedBy,
        Instant requestedAt,
        String state,
        Instant endedAt,
        Journeys journeys,
        List<Failure> failures) {

    public record Journeys(long total, long migrated, long failed, long retrying, long remaining) {}

    /**
     * @param journeyId the process instance the batch job could not migrate (null when the message names none)
     * @param retriesLeft the job's retries left; 0 means an incident, retried from Cockpit's batch view
     */
    public record Failure(String journeyId, String message, int retriesLeft) {}
}
