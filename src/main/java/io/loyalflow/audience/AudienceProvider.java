package io.loyalflow.audience;

import java.util.List;

/** Where audience changes go. Implementations: {@link MetaAudienceProvider}, {@link LogAudienceProvider}. */
interface AudienceProvider {

    /** Meta accepts at most this many records a request. */
    int MAX_BATCH = 10_000;

    /** {@code meta} or {@code log}. */
    String name();

    /** Adds 1 to 10,000 members ({@code POST /{id}/users}). */
    UploadResult add(String metaAudienceId, List<HashedMember> members);

    /** Removes 1 to 10,000 members ({@code DELETE /{id}/users}). */
    UploadResult remove(String metaAudienceId, List<HashedMember> members);

    /** One batch of a replace session ({@code POST /{id}/usersreplace}): 1 to 10,000 members. */
    UploadResult replace(String metaAudienceId, ReplaceBatch batch, List<HashedMember> members);

    /** The audience's operation status ({@code GET /{id}?fields=operation_status}). */
    AudienceHealth health(String metaAudienceId);

    /** Creates a customer-file audience in the ad account; returns its id. */
    String create(String name, String description);

    /** Both providers refuse what Meta would: an empty batch, or one over 10,000 records. */
    static void requireBatch(List<HashedMember> members) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("an audience batch needs at least one member");
        }
        if (members.size() > MAX_BATCH) {
            throw new IllegalArgumentException(
                    "an audience batch holds at most " + MAX_BATCH + " members, got " + members.size());
        }
    }
}
