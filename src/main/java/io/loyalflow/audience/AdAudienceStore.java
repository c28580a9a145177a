package io.loyalflow.audience;

import io.loyalflow.platform.db.ColumnarInsert;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The ad_audience and ad_audience_member tables (portable SQL for PostgreSQL and H2). */
@Repository
class AdAudienceStore {

    static final String ACTIVE = "ACTIVE";
    static final String FLAGGED = "FLAGGED";
    static final String PAUSED = "PAUSED";

    private static final String AUDIENCE_COLUMNS = "a.audience_key, a.audience_id, a.name, a.meta_audience_id, "
            + "a.segment_id, a.status, a.created_at, a.created_by, a.diffed_event_key, a.replace_requested_at, "
            + "a.replace_session_id, a.replace_batch_seq, a.replace_after_key, a.replace_total, a.replace_started_at, "
            + "a.last_replaced_at, a.members_sent, a.removals, a.batches, a.last_batch_at, a.last_batch_kind, "
            + "a.last_batch_size, a.flagged_at, a.flagged_reason, "
            + "(select count(*) from ad_audience_error e where e.audience_key = a.audience_key) as errors, "
            + "(select max(e.occurred_at) from ad_audience_error e where e.audience_key = a.audience_key) as last_error_at, "
            + "(select e.message from ad_audience_error e where e.audience_key = a.audience_key "
            + "order by e.error_key desc fetch first 1 rows only) as last_error";

    private final JdbcTemplate jdbc;
    private final Database database;

    AdAudienceStore(JdbcTemplate jdbc, Database database) {
        this.jdbc = jdbc;
        this.database = database;
    }

    /** An audience row as stored. */
    record Row(
            long key,
            String id,
            String name,
            String metaAudienceId,
            String segmentId,
            String status,
            Instant createdAt,
            String createdBy,
            Long diffedEventKey,
            Instant replaceRequestedAt,
            Long replaceSessionId,
            Integer replaceBatchSeq,
            Long replaceAfterKey,
            Long replaceTotal,
            Instant replaceStartedAt,
            Instant lastReplacedAt,
            long membersSent,
            long removals,
            long batches,
            Instant lastBatchAt,
            String lastBatchKind,
            Integer lastBatchSize,
            long errors,
            Instant lastErrorAt,
            String lastError,
            Instant flaggedAt,
            String flaggedReason) {

        boolean active() {
            return ACTIVE.equals(status);
        }

        boolean replacing() {
            return replaceSessionId != null;
        }
    }

    /** Member counts of one audience. */
    record MemberCounts(long wanted, long onMeta, long pending) {}

    long insert(String id, String name, String metaAudienceId, String segmentId, String createdBy, Instant now) {
        long key = jdbc.queryForObject("select coalesce(max(audience_key), 0) + 1 from ad_audience", Long.class);
        jdbc.update(
                "insert into ad_audience (audience_key, audience_id, name, meta_audience_id, segment_id, status, "
                        + "created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
                key,
                id,
                name,
                metaAudienceId,
                segmentId,
                ACTIVE,
                Timestamps.utc(now),
                createdBy);
        return key;
    }

    Optional<Row> find(String id) {
        return jdbc
                .query("select " + AUDIENCE_COLUMNS + " from ad_audience a where a.audience_id = ?", this::row, id)
                .stream()
                .findFirst();
    }

    /** The audience, its row locked for the caller's transaction. */
    Optional<Row> findForUpdate(String id) {
        List<Long> locked = jdbc.queryForList(
                "select audience_key from ad_audience where audience_id = ? " + database.lockForWriting(),
                Long.class,
                id);
        return locked.isEmpty() ? Optional.empty() : find(id);
    }

    List<Row> all() {
        return jdbc.query("select " + AUDIENCE_COLUMNS + " from ad_audience a order by a.audience_id", this::row);
    }

    boolean hasPending(long audienceKey) {
        return !jdbc.queryForList(
                        "select customer_key from ad_audience_member where audience_key = ? and pending = true "
                                + "fetch first 1 rows only",
                        Long.class,
                        audienceKey)
                .isEmpty();
    }

    MemberCounts counts(long audienceKey) {
        return jdbc.queryForObject(
                "select coalesce(sum(case when wanted and not erased then 1 else 0 end), 0), "
                        + "coalesce(sum(case when on_meta then 1 else 0 end), 0), "
                        + "coalesce(sum(case when pending then 1 else 0 end), 0) "
                        + "from ad_audience_member where audience_key = ?",
                (rs, n) -> new MemberCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                audienceKey);
    }

    // Membership from journeys

    /** Wants the customers in (or out): inserted when new, marked pending when their wish changed. */
    void want(long audienceKey, Collection<Long> customerKeys, boolean wanted, Instant now) {
        List<Object[]> updates = new ArrayList<>();
        for (long customerKey : customerKeys) {
            updates.add(new Object[] {wanted, Timestamps.utc(now), audienceKey, customerKey, wanted});
        }
        int[] updated = jdbc.batchUpdate(
                "update ad_audience_member set wanted = ?, pending = true, revision = revision + 1, changed_at = ? "
                        + "where audience_key = ? and customer_key = ? and wanted <> ? and erased = false",
                updates);
        if (!wanted) {
            return; // a customer never wanted in needs no row
        }
        List<Object[]> inserts = new ArrayList<>();
        int i = 0;
        for (long customerKey : customerKeys) {
            if (updated[i++] == 0) {
                inserts.add(
                        database.isPostgres()
                                ? new Object[] {audienceKey, customerKey, Timestamps.utc(now)}
                                : new Object[] {audienceKey, customerKey, Timestamps.utc(now), audienceKey, customerKey
                                });
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(
                    database.isPostgres()
                            ? "insert into ad_audience_member (audience_key, customer_key, wanted, pending, revision, "
                                    + "changed_at) values (?, ?, true, true, 1, ?) on conflict do nothing"
                            : "insert into ad_audience_member (audience_key, customer_key, wanted, pending, revision, "
                                    + "changed_at) select ?, ?, true, true, 1, ? where not exists (select 1 from "
                                    + "ad_audience_member m where m.audience_key = ? and m.customer_key = ?)",
                    inserts);
        }
    }

    // Membership from a segment: a set-based diff against the segment's members

    record Diff(int joined, int left) {}

    Diff diffWithSegment(long audienceKey, String segmentId, long eventKey, Instant now) {
        var at = Timestamps.utc(now);
        boolean first = jdbc.queryForList(
                        "select customer_key from ad_audience_member where audience_key = ? fetch first 1 rows only",
                        Long.class,
                        audienceKey)
                .isEmpty();
        // PostgreSQL: an anti-join against the table being filled may be planned as a nested loop over it (it was
        // empty when planned), rescanning every row inserted so far for each new one; the unique key does it instead
        int inserted = database.isPostgres()
                ? jdbc.update(
                        "insert into ad_audience_member (audience_key, customer_key, wanted, pending, revision, "
                                + "changed_at) select ?, s.customer_key, true, true, 1, ? from v_segment_member s "
                                + "where s.segment_id = ? on conflict (audience_key, customer_key) do nothing",
                        audienceKey,
                        at,
                        segmentId)
                : jdbc.update(
                        "insert into ad_audience_member (audience_key, customer_key, wanted, pending, revision, "
                                + "changed_at) select ?, s.customer_key, true, true, 1, ? from v_segment_member s "
                                + "where s.segment_id = ? and not exists (select 1 from ad_audience_member m where "
                                + "m.audience_key = ? and m.customer_key = s.customer_key)",
                        audienceKey,
                        at,
                        segmentId,
                        audienceKey);
        if (first) {
            jdbc.update("update ad_audience set diffed_event_key = ? where audience_key = ?", eventKey, audienceKey);
            analyzeAfter(inserted);
            return new Diff(inserted, 0);
        }
        int rejoined = jdbc.update(
                "update ad_audience_member set wanted = true, pending = true, revision = revision + 1, changed_at = ? "
                        + "where audience_key = ? and wanted = false and erased = false and exists (select 1 from "
                        + "v_segment_member s where s.segment_id = ? and s.customer_key = ad_audience_member.customer_key)",
                at,
                audienceKey,
                segmentId);
        int left = jdbc.update(
                "update ad_audience_member set wanted = false, pending = true, revision = revision + 1, changed_at = ? "
                        + "where audience_key = ? and wanted = true and not exists (select 1 from v_segment_member s "
                        + "where s.segment_id = ? and s.customer_key = ad_audience_member.customer_key)",
                at,
                audienceKey,
                segmentId);
        jdbc.update("update ad_audience set diffed_event_key = ? where audience_key = ?", eventKey, audienceKey);
        analyzeAfter(inserted);
        return new Diff(inserted + rejoined, left);
    }

    private void analyzeAfter(int inserted) {
        if (database.isPostgres() && inserted > 10_000) {
            // the rounds' queries run right after; planned on the statistics of a table that just grew by this
            // much, the first batches took ten times as long
            jdbc.execute("analyze ad_audience_member");
        }
    }

    // Consent and erasure: every audience the customer is in decides again

    /** A customer's memberships, found through the primary key audience by audience (there are few audiences). */
    private static final String OF_CUSTOMER =
            "audience_key in (select a.audience_key from ad_audience a) and customer_key = ?";

    void reconsider(long customerKey, Instant now) {
        jdbc.update(
                "update ad_audience_member set pending = true, revision = revision + 1, changed_at = ? where "
                        + OF_CUSTOMER,
                Timestamps.utc(now),
                customerKey);
    }

    void erase(long customerKey, Instant now) {
        jdbc.update(
                "update ad_audience_member set wanted = false, erased = true, pending = true, revision = revision + 1, "
                        + "changed_at = ? where " + OF_CUSTOMER,
                Timestamps.utc(now),
                customerKey);
        // never sent: nothing to remove at Meta, nothing to keep
        jdbc.update("delete from ad_audience_member where " + OF_CUSTOMER + " and on_meta = false", customerKey);
    }

    // Uploads

    /** A member whose state at Meta may have to change, with what decides it. */
    record PendingMember(
            long customerKey,
            boolean wanted,
            boolean onMeta,
            boolean erased,
            int revision,
            String sentEmailHash,
            String sentPhoneHash,
            String email,
            String phone,
            String locale,
            String adsConsent) {

        boolean consented() {
            return "OPTED_IN".equals(adsConsent);
        }
    }

    private static final String MEMBER_WITH_CONTACT = "select m.customer_key, m.wanted, m.on_meta, m.erased, "
            + "m.revision, m.email_sha256, m.phone_sha256, c.email, c.phone, c.locale, s.status "
            + "from ad_audience_member m left join v_customer_contact c on c.customer_key = m.customer_key "
            + "left join v_customer_consent s on s.customer_key = m.customer_key and s.channel = 'ads' ";

    List<PendingMember> pending(long audienceKey, int limit) {
        return jdbc.query(
                MEMBER_WITH_CONTACT + "where m.audience_key = ? and m.pending = true order by m.customer_key "
                        + "fetch first ? rows only",
                AdAudienceStore::pendingMember,
                audienceKey,
                limit);
    }

    private static final String SENDABLE = "m.wanted = true and m.erased = false and s.status = 'OPTED_IN' "
            + "and (c.email is not null or c.phone is not null)";

    /**
     * Members the source wants in, with ads consent and an address, by customer key after {@code afterKey}: what a
     * full replace sends.
     */
    List<PendingMember> sendableAfter(long audienceKey, long afterKey, int limit) {
        return jdbc.query(
                MEMBER_WITH_CONTACT + "where m.audience_key = ? and m.customer_key > ? and " + SENDABLE
                        + " order by m.customer_key fetch first ? rows only",
                AdAudienceStore::pendingMember,
                audienceKey,
                afterKey,
                limit);
    }

    long countSendable(long audienceKey) {
        return jdbc.queryForObject(
                "select count(*) from ad_audience_member m left join v_customer_contact c on c.customer_key = "
                        + "m.customer_key left join v_customer_consent s on s.customer_key = m.customer_key and "
                        + "s.channel = 'ads' where m.audience_key = ? and " + SENDABLE,
                Long.class,
                audienceKey);
    }

    private static PendingMember pendingMember(ResultSet rs, int row) throws SQLException {
        return new PendingMember(
                rs.getLong(1),
                rs.getBoolean(2),
                rs.getBoolean(3),
                rs.getBoolean(4),
                rs.getInt(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11));
    }

    /** What Meta has of a member after an upload: their hashes, or nothing. */
    record Settled(long customerKey, int revision, HashedMember onMeta) {}

    /**
     * Records what Meta now has; a member changed since it was read stays pending (its revision moved on). Members
     * neither wanted nor at Meta go, with erased ones once they are off Meta.
     */
    void settle(long audienceKey, List<Settled> settled, Instant now) {
        var at = Timestamps.utc(now);
        List<Object[]> rows = new ArrayList<>(settled.size());
        for (Settled s : settled) {
            HashedMember m = s.onMeta();
            rows.add(new Object[] {
                s.customerKey(),
                s.revision(),
                m != null,
                m == null ? null : m.emailSha256(),
                m == null ? null : m.phoneSha256()
            });
        }
        if (database.isPostgres()) {
            // one statement per batch: ten thousand single-row updates take several times longer
            ColumnarInsert.write(
                    jdbc,
                    "update ad_audience_member m set on_meta = v.on_meta, email_sha256 = v.email, phone_sha256 = "
                            + "v.phone, sent_at = c.at, pending = false from (select cast(? as bigint) as audience_key, "
                            + "cast(? as timestamp with time zone) as at) c, unnest(?, ?, ?, ?, ?) as v(customer_key, "
                            + "revision, on_meta, email, phone) where m.audience_key = c.audience_key and "
                            + "m.customer_key = v.customer_key and m.revision = v.revision",
                    rows,
                    new String[] {"int8", "int4", "bool", "varchar", "varchar"},
                    audienceKey,
                    at);
        } else {
            jdbc.batchUpdate(
                    "update ad_audience_member set sent_at = ?, pending = false, on_meta = ?, email_sha256 = ?, "
                            + "phone_sha256 = ? where audience_key = ? and customer_key = ? and revision = ?",
                    rows.stream()
                            .map(r -> new Object[] {at, r[2], r[3], r[4], audienceKey, r[0], r[1]})
                            .toList());
        }
        List<Object[]> gone = rows.stream()
                .filter(r -> !(Boolean) r[2])
                .map(r -> new Object[] {audienceKey, r[0]})
                .toList();
        jdbc.batchUpdate(
                "delete from ad_audience_member where audience_key = ? and customer_key = ? and on_meta = false "
                        + "and pending = false and (wanted = false or erased = true)",
                gone);
    }

    /**
     * After a replace batch covering customer keys in {@code (fromKey, toKey]} ({@code toKey} null: to the end):
     * Meta keeps only what the replace sent, so every other member in the range is off Meta now.
     */
    void replacedRange(long audienceKey, long fromKey, Long toKey, List<Settled> sent, Instant now) {
        String range = "audience_key = ? and customer_key > ?" + (toKey == null ? "" : " and customer_key <= ?");
        List<Object> params = new ArrayList<>(List.of(audienceKey, fromKey));
        if (toKey != null) {
            params.add(toKey);
        }
        jdbc.update(
                "update ad_audience_member set on_meta = false, email_sha256 = null, phone_sha256 = null where "
                        + range,
                params.toArray());
        var at = Timestamps.utc(now);
        List<Object[]> rows = new ArrayList<>(sent.size());
        for (Settled s : sent) {
            rows.add(new Object[] {
                s.onMeta().emailSha256(), s.onMeta().phoneSha256(), at, s.revision(), audienceKey, s.customerKey()
            });
        }
        // a member changed since it was read is at Meta as sent, and stays pending for its change
        jdbc.batchUpdate(
                "update ad_audience_member set on_meta = true, email_sha256 = ?, phone_sha256 = ?, sent_at = ?, "
                        + "pending = case when revision = ? then false else pending end "
                        + "where audience_key = ? and customer_key = ?",
                rows);
        jdbc.update(
                "delete from ad_audience_member where on_meta = false and pending = false "
                        + "and (wanted = false or erased = true) and " + range,
                params.toArray());
    }

    /** Every member decides again (after a replace that could not be sent, or a resume). */
    void allPending(long audienceKey, Instant now) {
        jdbc.update(
                "update ad_audience_member set pending = true, revision = revision + 1, changed_at = ? "
                        + "where audience_key = ?",
                Timestamps.utc(now),
                audienceKey);
    }

    // The audience's bookkeeping

    void countBatch(long audienceKey, String kind, int size, int added, int removed, Instant now) {
        jdbc.update(
                "update ad_audience set batches = batches + 1, members_sent = members_sent + ?, removals = removals + ?, "
                        + "last_batch_at = ?, last_batch_kind = ?, last_batch_size = ? where audience_key = ?",
                added,
                removed,
                Timestamps.utc(now),
                kind,
                size,
                audienceKey);
    }

    void countError(long audienceKey, String message, Instant now) {
        jdbc.update(
                "insert into ad_audience_error (audience_key, occurred_at, message) values (?, ?, ?)",
                audienceKey,
                Timestamps.utc(now),
                truncate(message == null ? "(no message)" : message, 1000));
    }

    void flag(long audienceKey, String reason, Instant now) {
        jdbc.update(
                "update ad_audience set status = ?, flagged_at = ?, flagged_reason = ? where audience_key = ?",
                FLAGGED,
                Timestamps.utc(now),
                truncate(reason, 1000),
                audienceKey);
    }

    boolean resume(long audienceKey) {
        return jdbc.update(
                        "update ad_audience set status = ?, flagged_at = null, flagged_reason = null "
                                + "where audience_key = ? and status in (?, ?)",
                        ACTIVE,
                        audienceKey,
                        FLAGGED,
                        PAUSED)
                > 0;
    }

    /**
     * Pauses an active audience. A replace under way is abandoned (its session at Meta lapses unapplied, and what
     * Meta has is then unknown), so a new full replace is asked for: the first round after the resume sends it.
     */
    boolean pause(long audienceKey, Instant now) {
        return jdbc.update(
                        "update ad_audience set status = ?, replace_requested_at = case when replace_session_id is "
                                + "null then replace_requested_at else ? end, replace_session_id = null, "
                                + "replace_batch_seq = null, replace_after_key = null, replace_total = null, "
                                + "replace_started_at = null where audience_key = ? and status = ?",
                        PAUSED,
                        Timestamps.utc(now),
                        audienceKey,
                        ACTIVE)
                > 0;
    }

    void requestReplace(long audienceKey, Instant now) {
        jdbc.update(
                "update ad_audience set replace_requested_at = ? where audience_key = ?",
                Timestamps.utc(now),
                audienceKey);
    }

    void startReplace(long audienceKey, long sessionId, long total, Instant now) {
        jdbc.update(
                "update ad_audience set replace_requested_at = null, replace_session_id = ?, replace_batch_seq = 1, "
                        + "replace_after_key = 0, replace_total = ?, replace_started_at = ? where audience_key = ?",
                sessionId,
                total,
                Timestamps.utc(now),
                audienceKey);
    }

    void replaceProgressed(long audienceKey, int nextBatchSeq, long afterKey) {
        jdbc.update(
                "update ad_audience set replace_batch_seq = ?, replace_after_key = ? where audience_key = ?",
                nextBatchSeq,
                afterKey,
                audienceKey);
    }

    void replaceFinished(long audienceKey, Instant now) {
        jdbc.update(
                "update ad_audience set replace_session_id = null, replace_batch_seq = null, replace_after_key = null, "
                        + "replace_total = null, replace_started_at = null, last_replaced_at = ? where audience_key = ?",
                Timestamps.utc(now),
                audienceKey);
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        return new Row(
                rs.getLong("audience_key"),
                rs.getString("audience_id"),
                rs.getString("name"),
                rs.getString("meta_audience_id"),
                rs.getString("segment_id"),
                rs.getString("status"),
                Timestamps.instant(rs, "created_at"),
                rs.getString("created_by"),
                (Long) rs.getObject("diffed_event_key", Long.class),
                Timestamps.instant(rs, "replace_requested_at"),
                (Long) rs.getObject("replace_session_id", Long.class),
                (Integer) rs.getObject("replace_batch_seq", Integer.class),
                (Long) rs.getObject("replace_after_key", Long.class),
                (Long) rs.getObject("replace_total", Long.class),
                Timestamps.instant(rs, "replace_started_at"),
                Timestamps.instant(rs, "last_replaced_at"),
                rs.getLong("members_sent"),
                rs.getLong("removals"),
                rs.getLong("batches"),
                Timestamps.instant(rs, "last_batch_at"),
                rs.getString("last_batch_kind"),
                (Integer) rs.getObject("last_batch_size", Integer.class),
                rs.getLong("errors"),
                Timestamps.instant(rs, "last_error_at"),
                rs.getString("last_error"),
                Timestamps.instant(rs, "flagged_at"),
                rs.getString("flagged_reason"));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
