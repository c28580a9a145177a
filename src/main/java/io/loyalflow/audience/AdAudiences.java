package io.loyalflow.audience;

import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.segment.Audiences;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ad audiences Loyalflow keeps in step with Meta, and their members. Journeys add and remove members through
 * {@link #join} and {@link #leave} in their own transaction (an enrollment and its audience membership commit
 * together); the audience-sync process sends the changes.
 */
@Service
public class AdAudiences {

    /** What an audience id may look like: it names the audience in URLs, settings and models. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    static final int MAX_NAME = 200;
    private static final Pattern META_ID = Pattern.compile("[0-9]{1,64}|log-[a-z0-9-]{1,60}");

    private final AdAudienceStore store;
    private final AudienceProvider provider;
    private final Audiences segments;
    private final CustomerQueries customers;
    private final AudienceRounds rounds;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AudienceMeters meters;

    AdAudiences(
            AdAudienceStore store,
            AudienceProvider provider,
            Audiences segments,
            CustomerQueries customers,
            AudienceRounds rounds,
            TransactionTemplate transactions,
            Clock clock,
            AudienceMeters meters) {
        this.meters = meters;
        this.store = store;
        this.provider = provider;
        this.segments = segments;
        this.customers = customers;
        this.rounds = rounds;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Why journeys may not add members to this audience (it does not exist, or its members come from a segment),
     * empty when they may.
     */
    public Optional<String> refusalForJourneys(String audienceId) {
        return journeysAudience(audienceId).refusal();
    }

    /** Wants these customers in the audience, in the caller's transaction. */
    public void join(String audienceId, Collection<Long> customerKeys) {
        want(audienceId, customerKeys, true);
    }

    /** Wants these customers out of the audience, in the caller's transaction. */
    public void leave(String audienceId, Collection<Long> customerKeys) {
        want(audienceId, customerKeys, false);
    }

    /** The journey step's call: adds (or removes) one customer known by id. */
    void fromJourney(String audienceId, String customerId, boolean add) {
        AdAudienceStore.Row audience = journeysAudience(audienceId).orThrow("Sync to an ad audience: ");
        long customerKey = customers
                .keyOf(customerId)
                .orElseThrow(() -> new IllegalArgumentException("Sync to an ad audience: no customer " + customerId));
        store.want(audience.key(), List.of(customerKey), add, clock.instant());
    }

    private void want(String audienceId, Collection<Long> customerKeys, boolean wanted) {
        if (customerKeys.isEmpty()) {
            return;
        }
        AdAudienceStore.Row audience = journeysAudience(audienceId).orThrow("");
        store.want(audience.key(), customerKeys, wanted, clock.instant());
    }

    /** The audience journeys would fill, or why they may not. */
    private record JourneysAudience(AdAudienceStore.Row audience, String refusalReason) {

        Optional<String> refusal() {
            return Optional.ofNullable(refusalReason);
        }

        AdAudienceStore.Row orThrow(String prefix) {
            if (refusalReason != null) {
                throw new IllegalArgumentException(prefix + refusalReason);
            }
            return audience;
        }
    }

    private JourneysAudience journeysAudience(String audienceId) {
        if (audienceId == null || !ID.matcher(audienceId).matches()) {
            return new JourneysAudience(
                    null, "must be an ad audience id (lower-case letters, digits and -, at most 64)");
        }
        AdAudienceStore.Row audience = store.find(audienceId).orElse(null);
        if (audience == null) {
            return new JourneysAudience(null, "no ad audience '" + audienceId + "'");
        }
        if (audience.segmentId() != null) {
            return new JourneysAudience(
                    null,
                    "ad audience '" + audienceId + "' takes its members from segment '" + audience.segmentId()
                            + "'; journeys cannot add to it");
        }
        return new JourneysAudience(audience, null);
    }

    // Management (the API's)

    /** A new audience: an existing Meta custom audience, or one created in the ad account when none is named. */
    AdAudienceStore.Row create(AudienceRequests.Create request, String createdBy) {
        Violations violations = new Violations();
        request.validate(violations);
        if (request.segment() != null
                && AudienceRequests.ID.matcher(request.segment()).matches()
                && !segments.segmentExists(request.segment())) {
            violations.add("segment", "no segment '" + request.segment() + "'");
        }
        violations.throwIfAny();
        if (store.find(request.id()).isPresent()) {
            throw Refusal.conflict("An ad audience '" + request.id() + "' exists already.", List.of());
        }
        String metaAudienceId = request.metaAudienceId() != null
                ? request.metaAudienceId()
                : provider.create(request.name(), "Loyalflow ad audience " + request.id());
        if (!META_ID.matcher(metaAudienceId).matches()) {
            throw new IllegalStateException("The provider answered an unexpected audience id");
        }
        Instant now = clock.instant();
        try {
            transactions.executeWithoutResult(tx -> store.insert(
                    request.id(), request.name().trim(), metaAudienceId, request.segment(), createdBy, now));
        } catch (DuplicateKeyException e) {
            throw Refusal.conflict("An ad audience '" + request.id() + "' exists already.", List.of());
        }
        meters.track(request.id());
        return store.find(request.id()).orElseThrow();
    }

    /**
     * Creates the audience unless one with this id exists (whatever its name or source then): for setups that run
     * again at every start, such as the demo's. The custom audience is created at the provider (with the log
     * provider, a {@code log-...} id and nothing sent).
     *
     * @param segmentId the segment it follows; null: journeys fill it
     * @return whether it was created now
     */
    public boolean ensure(String id, String name, String segmentId, String createdBy) {
        if (store.find(id).isPresent()) {
            return false;
        }
        try {
            create(new AudienceRequests.Create(id, name, null, segmentId), createdBy);
            return true;
        } catch (Refusal e) {
            // another node created it meanwhile; anything else (a bad id, no such segment) is the caller's mistake
            if (store.find(id).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    Optional<AdAudienceStore.Row> find(String audienceId) {
        return store.find(audienceId);
    }

    List<AdAudienceStore.Row> all() {
        return store.all();
    }

    AdAudienceStore.MemberCounts counts(AdAudienceStore.Row audience) {
        return store.counts(audience.key());
    }

    boolean roundRunning(String audienceId) {
        return rounds.running(audienceId);
    }

    /** Asks for a full replace at the next dispatch; refused while one is running. */
    AdAudienceStore.Row requestReplace(String audienceId) {
        return transactions.execute(tx -> {
            AdAudienceStore.Row audience = store.findForUpdate(audienceId).orElseThrow(() -> notFound(audienceId));
            if (!audience.active()) {
                throw Refusal.conflict(
                        "Ad audience '" + audienceId + "' is " + audience.status()
                                + ": resume it before replacing its members.",
                        List.of());
            }
            if (audience.replacing()) {
                throw Refusal.conflict(
                        "A full replace of ad audience '" + audienceId + "' is running (started "
                                + audience.replaceStartedAt() + ").",
                        List.of());
            }
            store.requestReplace(audience.key(), clock.instant());
            return store.find(audienceId).orElseThrow();
        });
    }

    /**
     * Stops sending to the audience: a round under way ends at its next batch, no new one starts; members keep
     * joining and leaving here, and go out once it is resumed.
     */
    AdAudienceStore.Row pause(String audienceId) {
        return transactions.execute(tx -> {
            AdAudienceStore.Row audience = store.findForUpdate(audienceId).orElseThrow(() -> notFound(audienceId));
            if (AdAudienceStore.FLAGGED.equals(audience.status())) {
                throw Refusal.conflict(
                        "Ad audience '" + audienceId + "' is FLAGGED by Meta; an administrator resumes it.", List.of());
            }
            store.pause(audience.key(), clock.instant());
            return store.find(audienceId).orElseThrow();
        });
    }

    /** Lets a flagged or paused audience sync again; every member is decided again at the next round. */
    AdAudienceStore.Row resume(String audienceId) {
        return transactions.execute(tx -> {
            AdAudienceStore.Row audience = store.findForUpdate(audienceId).orElseThrow(() -> notFound(audienceId));
            if (store.resume(audience.key())) {
                store.allPending(audience.key(), clock.instant());
            }
            return store.find(audienceId).orElseThrow();
        });
    }

    static RuntimeException notFound(String audienceId) {
        return Refusal.notFound("No ad audience '" + audienceId + "'.");
    }
}
