package io.loyalflow.audience;

import io.loyalflow.segment.SegmentEventLog;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One batch of an audience-sync round, in the job's transaction: what Meta must learn (adds, removals, or the next
 * part of a full replace) is read, hashed and sent, then recorded as settled. A failed request leaves everything as
 * it was (the job is retried with backoff, then becomes an incident) except the error count, written apart so the
 * status shows it. Adds and removals are idempotent at Meta: a batch sent again after a crash does no harm.
 */
@Service
class AudienceSync {

    enum Outcome {
        /** Another batch is due. */
        MORE,
        /** Nothing more to send. */
        DONE,
        /** The audience is gone or not active (flagged earlier): the round ends. */
        NOT_ACTIVE,
        /** Meta flagged the audience just now: the sync stops until an administrator resumes it. */
        FLAGGED
    }

    /** What one batch did. */
    record Progress(Outcome outcome, int sent, int removed, int requests) {}

    static final String KIND_ADD = "ADD";
    static final String KIND_REMOVE = "REMOVE";
    static final String KIND_REPLACE = "REPLACE";

    private final AdAudienceStore store;
    private final AudienceProvider provider;
    private final AudienceProperties properties;
    private final SegmentEventLog segmentLog;
    private final TransactionTemplate separately;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AudienceSync(
            AdAudienceStore store,
            AudienceProvider provider,
            AudienceProperties properties,
            SegmentEventLog segmentLog,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.store = store;
        this.provider = provider;
        this.properties = properties;
        this.segmentLog = segmentLog;
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * Requests one job sends at most: each request is its own batch of at most 10,000 members, and one job's
     * bookkeeping (its transaction, the engine's job and history rows) is shared by five of them. A failure rolls
     * back all five; sending them again is harmless (adds and removals are idempotent at Meta).
     */
    static final int BATCHES_PER_JOB = 5;

    /** Sends the next batches of pending changes: removals first, so a changed address is replaced, not doubled. */
    Progress uploadChanges(String audienceId) {
        Optional<AdAudienceStore.Row> found = store.find(audienceId).filter(AdAudienceStore.Row::active);
        if (found.isEmpty()) {
            return new Progress(Outcome.NOT_ACTIVE, 0, 0, 0);
        }
        AdAudienceStore.Row audience = found.get();
        Instant now = clock.instant();
        followSegment(audience, now);
        int sent = 0;
        int removed = 0;
        int requests = 0;
        for (int batch = 0; batch < BATCHES_PER_JOB; batch++) {
            Progress progress = uploadBatch(audience, now, batch == 0);
            sent += progress.sent();
            removed += progress.removed();
            requests += progress.requests();
            if (progress.outcome() != Outcome.MORE) {
                return new Progress(progress.outcome(), sent, removed, requests);
            }
        }
        return new Progress(Outcome.MORE, sent, removed, requests);
    }

    /** One batch; Meta's flag on the audience is read before the job's first request. */
    private Progress uploadBatch(AdAudienceStore.Row audience, Instant now, boolean checkFlag) {
        List<AdAudienceStore.PendingMember> pending = store.pending(audience.key(), batchSize());
        if (pending.isEmpty()) {
            return new Progress(Outcome.DONE, 0, 0, 0);
        }
        List<HashedMember> adds = new ArrayList<>();
        List<HashedMember> removals = new ArrayList<>();
        List<AdAudienceStore.Settled> settled = new ArrayList<>(pending.size());
        for (AdAudienceStore.PendingMember member : pending) {
            HashedMember target = target(member).orElse(null);
            HashedMember sent =
                    member.onMeta() ? new HashedMember(member.sentEmailHash(), member.sentPhoneHash()) : null;
            if (!Objects.equals(target, sent)) {
                if (sent != null) {
                    removals.add(sent);
                }
                if (target != null) {
                    adds.add(target);
                }
            }
            settled.add(new AdAudienceStore.Settled(member.customerKey(), member.revision(), target));
        }
        int requests = 0;
        if (!adds.isEmpty() || !removals.isEmpty()) {
            if (checkFlag && flaggedNow(audience, now)) {
                return new Progress(Outcome.FLAGGED, 0, 0, 0);
            }
            if (!removals.isEmpty()) {
                send(audience, () -> provider.remove(audience.metaAudienceId(), removals));
                store.countBatch(audience.key(), KIND_REMOVE, removals.size(), 0, removals.size(), now);
                requests++;
            }
            if (!adds.isEmpty()) {
                send(audience, () -> provider.add(audience.metaAudienceId(), adds));
                store.countBatch(audience.key(), KIND_ADD, adds.size(), adds.size(), 0, now);
                requests++;
            }
        }
        store.settle(audience.key(), settled, now);
        Outcome outcome = store.hasPending(audience.key()) ? Outcome.MORE : Outcome.DONE;
        return new Progress(outcome, adds.size(), removals.size(), requests);
    }

    /**
     * Sends the next part of a full replace: Meta's replace session takes the members the source wants (with
     * consent and an address) in batches by customer key, and drops everyone else when the last batch arrives.
     */
    Progress replaceMembers(String audienceId) {
        Optional<AdAudienceStore.Row> found = store.find(audienceId).filter(AdAudienceStore.Row::active);
        if (found.isEmpty()) {
            return new Progress(Outcome.NOT_ACTIVE, 0, 0, 0);
        }
        AdAudienceStore.Row audience = found.get();
        Instant now = clock.instant();
        if (!audience.replacing()) {
            followSegment(audience, now);
            long sessionId = 1 + (random.nextLong() & Long.MAX_VALUE) % 999_999_999_999L;
            store.startReplace(audience.key(), sessionId, store.countSendable(audience.key()), now);
            audience = store.find(audienceId).orElseThrow();
        }
        long afterKey = audience.replaceAfterKey();
        int batchSeq = audience.replaceBatchSeq();
        int size = batchSize();
        List<AdAudienceStore.PendingMember> rows = store.sendableAfter(audience.key(), afterKey, size + 1);
        boolean last = rows.size() <= size;
        List<AdAudienceStore.PendingMember> batch = last ? rows : rows.subList(0, size);
        List<HashedMember> members = new ArrayList<>(batch.size());
        List<AdAudienceStore.Settled> sent = new ArrayList<>(batch.size());
        for (AdAudienceStore.PendingMember member : batch) {
            target(member).ifPresent(hashed -> {
                members.add(hashed);
                sent.add(new AdAudienceStore.Settled(member.customerKey(), member.revision(), hashed));
            });
        }
        if (members.isEmpty() && batchSeq == 1) {
            // Meta refuses an empty replace: with nobody to keep, the members at Meta are removed one by one instead
            store.allPending(audience.key(), now);
            store.replaceFinished(audience.key(), now);
            return new Progress(Outcome.DONE, 0, 0, 0);
        }
        if (flaggedNow(audience, now)) {
            return new Progress(Outcome.FLAGGED, 0, 0, 0);
        }
        ReplaceBatch part = new ReplaceBatch(audience.replaceSessionId(), batchSeq, last, audience.replaceTotal());
        String metaAudienceId = audience.metaAudienceId();
        send(audience, () -> provider.replace(metaAudienceId, part, members));
        store.countBatch(audience.key(), KIND_REPLACE, members.size(), members.size(), 0, now);
        Long toKey = last ? null : batch.get(batch.size() - 1).customerKey();
        store.replacedRange(audience.key(), afterKey, toKey, sent, now);
        if (last) {
            store.replaceFinished(audience.key(), now);
            return new Progress(Outcome.DONE, members.size(), 0, 1);
        }
        store.replaceProgressed(audience.key(), batchSeq + 1, toKey);
        return new Progress(Outcome.MORE, members.size(), 0, 1);
    }

    /** Whether a flagged audience still stops the sync (it does until an administrator resumes it). */
    Optional<String> stillFlagged(String audienceId) {
        return store.find(audienceId)
                .filter(a -> AdAudienceStore.FLAGGED.equals(a.status()))
                .map(a -> "Meta flagged ad audience '" + a.id() + "' (custom audience " + a.metaAudienceId() + "): "
                        + a.flaggedReason() + ". Nothing is sent to it until an administrator has resolved the "
                        + "cause in Meta's Ads Manager and resumed the sync (POST /api/audiences/" + a.id()
                        + "/resume); then retry this job.");
    }

    private void followSegment(AdAudienceStore.Row audience, Instant now) {
        if (audience.segmentId() == null) {
            return;
        }
        long lastEvent = segmentLog.lastEventKey();
        if (audience.diffedEventKey() == null || audience.diffedEventKey() != lastEvent) {
            store.diffWithSegment(audience.key(), audience.segmentId(), lastEvent, now);
        }
    }

    /** What Meta should have of the member: hashes when wanted, consented and reachable, else nothing. */
    private Optional<HashedMember> target(AdAudienceStore.PendingMember member) {
        if (!member.wanted() || member.erased() || !member.consented()) {
            return Optional.empty();
        }
        return AudienceHashing.member(member.email(), member.phone(), region(member.locale()));
    }

    private boolean flaggedNow(AdAudienceStore.Row audience, Instant now) {
        AudienceHealth health = send(audience, () -> provider.health(audience.metaAudienceId()));
        if (!health.flagged()) {
            return false;
        }
        store.flag(audience.key(), "operation_status " + health.code() + " " + health.description(), now);
        return true;
    }

    private <T> T send(AdAudienceStore.Row audience, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            Instant at = clock.instant();
            separately.executeWithoutResult(tx -> store.countError(audience.key(), e.getMessage(), at));
            throw e;
        }
    }

    private int batchSize() {
        return properties.batchSize();
    }

    private static String region(String locale) {
        if (locale == null) {
            return null;
        }
        String country = Locale.forLanguageTag(locale).getCountry();
        return country.isEmpty() ? null : country;
    }
}
