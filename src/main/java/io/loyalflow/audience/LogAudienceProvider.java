package io.loyalflow.audience;

import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local default: logs what would go to Meta (audience, operation, count, schema and one abbreviated
 * hash), never the hashes in full nor anything they were made of, and calls no one.
 */
final class LogAudienceProvider implements AudienceProvider {

    private static final Logger log = LoggerFactory.getLogger(LogAudienceProvider.class);
    private static final int MAX_SLUG = 50;

    @Override
    public String name() {
        return AudienceProperties.LOG;
    }

    @Override
    public UploadResult add(String metaAudienceId, List<HashedMember> members) {
        AudienceProvider.requireBatch(members);
        log.info("Ad audience {} (log provider): would add {}", metaAudienceId, describe(members));
        return new UploadResult(members.size(), 0);
    }

    @Override
    public UploadResult remove(String metaAudienceId, List<HashedMember> members) {
        AudienceProvider.requireBatch(members);
        log.info("Ad audience {} (log provider): would remove {}", metaAudienceId, describe(members));
        return new UploadResult(members.size(), 0);
    }

    @Override
    public UploadResult replace(String metaAudienceId, ReplaceBatch batch, List<HashedMember> members) {
        AudienceProvider.requireBatch(members);
        log.info(
                "Ad audience {} (log provider): would replace with {} as batch {} of session {}{}, about {} in all",
                metaAudienceId,
                describe(members),
                batch.batchSeq(),
                batch.sessionId(),
                batch.lastBatch() ? " (the last)" : "",
                batch.estimatedTotal());
        return new UploadResult(members.size(), 0);
    }

    @Override
    public AudienceHealth health(String metaAudienceId) {
        return new AudienceHealth(200, "Normal (log provider)");
    }

    @Override
    public String create(String name, String description) {
        MetaAudienceProvider.requireName(name);
        String id = "log-" + slug(name);
        log.info("Ad audience {} (log provider): would create customer-file audience \"{}\"", id, name.strip());
        return id;
    }

    private static String describe(List<HashedMember> members) {
        HashedMember first = members.get(0);
        String sample = first.emailSha256() != null
                ? "first e-mail hash " + first.emailSha256().substring(0, 4) + "…"
                : "first phone hash " + first.phoneSha256().substring(0, 4) + "…";
        return members.size() + (members.size() == 1 ? " member" : " members") + " ("
                + String.join(", ", MetaAudienceProvider.SCHEMA) + "; " + sample + ")";
    }

    private static String slug(String name) {
        String slug =
                name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "audience" : slug;
    }
}
