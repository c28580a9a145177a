package io.loyalflow.audience;

import java.time.Instant;

/**
 * An ad audience's sync status: counts and times, never people. What GET /api/audiences/{id} answers and the
 * dashboard shows.
 *
 * @param source SEGMENT (follows {@code segment}) or JOURNEYS (campaigns' adAudience setting and steps)
 * @param status ACTIVE, PAUSED (nothing is sent until an administrator resumes it) or FLAGGED (Meta flagged the
 *     audience; the same)
 * @param provider meta, or log (nothing leaves: the log shows what would be sent)
 * @param membersSent members added (incremental adds and the members of full replaces), since the audience began
 * @param removals members removed, since the audience began
 * @param batches requests sent to the provider
 * @param roundRunning whether an audience-sync round is running (or waiting on an incident)
 */
record AudienceStatus(
        String id,
        String name,
        String metaAudienceId,
        String source,
        String segment,
        String status,
        String provider,
        Members members,
        long membersSent,
        long removals,
        long batches,
        LastBatch lastBatch,
        long errors,
        LastError lastError,
        Flagged flagged,
        Replace replace,
        boolean roundRunning,
        Instant createdAt) {

    /**
     * @param wanted customers the source wants in
     * @param onMeta customers Meta has, as far as Loyalflow sent (without ads consent or an address a wanted
     *     customer is not sent)
     * @param pending customers whose state at Meta the next round decides
     */
    record Members(long wanted, long onMeta, long pending) {}

    /** @param kind ADD, REMOVE or REPLACE */
    record LastBatch(Instant at, String kind, Integer size) {}

    record LastError(Instant at, String message) {}

    record Flagged(Instant at, String reason) {}

    /**
     * @param requestedAt a full replace asked for and not started yet
     * @param startedAt the full replace running, its next batch number and the members it is sending
     * @param lastReplacedAt when the last full replace completed
     */
    record Replace(Instant requestedAt, Instant startedAt, Integer nextBatch, Long total, Instant lastReplacedAt) {}

    static AudienceStatus of(
            AdAudienceStore.Row a, AdAudienceStore.MemberCounts counts, String provider, boolean running) {
        return new AudienceStatus(
                a.id(),
                a.name(),
                a.metaAudienceId(),
                a.segmentId() == null ? "JOURNEYS" : "SEGMENT",
                a.segmentId(),
                a.status(),
                provider,
                new Members(counts.wanted(), counts.onMeta(), counts.pending()),
                a.membersSent(),
                a.removals(),
                a.batches(),
                a.lastBatchAt() == null ? null : new LastBatch(a.lastBatchAt(), a.lastBatchKind(), a.lastBatchSize()),
                a.errors(),
                a.lastErrorAt() == null ? null : new LastError(a.lastErrorAt(), a.lastError()),
                a.flaggedAt() == null ? null : new Flagged(a.flaggedAt(), a.flaggedReason()),
                new Replace(
                        a.replaceRequestedAt(),
                        a.replaceStartedAt(),
                        a.replaceBatchSeq(),
                        a.replaceTotal(),
                        a.lastReplacedAt()),
                running,
                a.createdAt());
    }
}
