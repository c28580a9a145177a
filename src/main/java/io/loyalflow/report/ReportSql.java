package io.loyalflow.report;

import io.loyalflow.platform.db.Database;
import org.springframework.stereotype.Component;

/**
 * The statements of the campaign report, over the owners' views ({@code v_campaign_enrollment}, {@code v_delivery},
 * {@code v_delivery_event}, {@code v_segment_event}, {@code v_customer_order}) and the engine's activity history.
 * Named parameters: {@code campaign}, {@code from}, {@code to}, {@code label} (the segment of entries no segment
 * event caused), {@code definition} (with a template version), {@code now}, {@code emailSeconds},
 * {@code smsSeconds}.
 */
@Component
class ReportSql {

    private final boolean postgres;

    ReportSql(Database database) {
        this.postgres = database.isPostgres();
    }

    /**
     * The journeys of the report: entered in [from, to), of the template version if one is asked for; for a rollup
     * ({@code rollup}) every journey of the campaign, with its UTC day of entry and process definition.
     */
    String journeys(boolean version, boolean rollup) {
        if (rollup) {
            return "j as (select e.enrollment_key, e.customer_key, e.process_instance_id, e.entered_at, e.exited_at, "
                    + "e.exit_outcome, coalesce(s.to_tier, s.segment_id, :label) as segment, "
                    + day("e.entered_at") + " as entry_day, p.proc_def_id_ as definition_id "
                    + "from v_campaign_enrollment e left join v_segment_event s on s.event_key = e.entry_event_key "
                    + "left join act_hi_procinst p on p.proc_inst_id_ = e.process_instance_id "
                    + "where e.campaign_key = :campaign)";
        }
        return "j as (select e.enrollment_key, e.customer_key, e.process_instance_id, e.entered_at, e.exited_at, "
                + "e.exit_outcome, coalesce(s.to_tier, s.segment_id, :label) as segment "
                + "from v_campaign_enrollment e left join v_segment_event s on s.event_key = e.entry_event_key "
                + "where e.campaign_key = :campaign and e.entered_at >= :from and e.entered_at < :to"
                + (version
                        ? " and exists (select 1 from act_hi_procinst p where p.proc_inst_id_ = e.process_instance_id "
                                + "and p.proc_def_id_ = :definition)"
                        : "")
                + ")";
    }

    /** The UTC day of a timestamp with time zone. */
    String day(String column) {
        return "cast((" + column + " at time zone 'UTC') as date)";
    }

    private String plusSeconds(String column, String parameter) {
        return postgres
                ? "(" + column + " + " + parameter + " * interval '1 second')"
                : "dateadd(second, " + parameter + ", " + column + ")";
    }

    /** The rollup's extra columns (day of entry, process definition), selected and grouped by. */
    private static String per(boolean rollup) {
        return rollup ? ", j.entry_day, j.definition_id" : "";
    }

    String enrollments(boolean version, boolean rollup) {
        return "with " + journeys(version, rollup) + " select j.segment, j.exit_outcome, " + day("j.entered_at")
                + " as d, count(*) as n, sum(case when j.exited_at is null then 1 else 0 end) as active" + per(rollup)
                + " from j group by j.segment, j.exit_outcome, " + day("j.entered_at") + per(rollup);
    }

    String funnel(boolean version, boolean rollup) {
        // per journey and node first (a hash aggregate), then per node: no count(distinct) sort
        String outer = rollup ? ", f.entry_day, f.definition_id" : "";
        return "with " + journeys(version, rollup)
                + " select f.step, count(*) as entered, sum(f.open) as waiting" + outer
                + " from (select a.act_id_ as step, a.proc_inst_id_ as pid, "
                + "max(case when a.end_time_ is null then 1 else 0 end) as open" + per(rollup)
                + " from j join act_hi_actinst a on a.proc_inst_id_ = j.process_instance_id group by a.act_id_, "
                + "a.proc_inst_id_" + per(rollup) + ") f group by f.step" + outer;
    }

    String deliveries(boolean version, boolean rollup) {
        return "with " + journeys(version, rollup)
                + " select d.activity_id, d.channel, d.status, d.gate_decision, j.segment, count(*) as n, "
                + "sum(case when d.opens > 0 then 1 else 0 end) as human, "
                + "sum(case when d.machine_opens > 0 then 1 else 0 end) as machine, "
                + "sum(case when d.clicks > 0 then 1 else 0 end) as clicked" + per(rollup)
                + " from j join v_delivery d on d.process_instance_id = j.process_instance_id where d.test = false "
                + "group by d.activity_id, d.channel, d.status, d.gate_decision, j.segment" + per(rollup);
    }

    /** Sends by the UTC day they went (statuses after the send), opens by the day of the first human open. */
    String dailyDeliveries(boolean version, boolean rollup, String sentStatuses) {
        return "with " + journeys(version, rollup) + " select case when d.status in (" + sentStatuses + ") then "
                + day("coalesce(d.sent_at, d.created_at)") + " end as sent_day, "
                + day("d.first_opened_at") + " as open_day, count(*) as n" + per(rollup) + " "
                + "from j join v_delivery d on d.process_instance_id = j.process_instance_id where d.test = false "
                + "and (d.status in (" + sentStatuses + ") or d.first_opened_at is not null) group by "
                + "case when d.status in (" + sentStatuses + ") then " + day("coalesce(d.sent_at, d.created_at)")
                + " end, " + day("d.first_opened_at") + per(rollup);
    }

    String unsubscribes(boolean version, boolean rollup) {
        return "with " + journeys(version, rollup)
                + " select d.activity_id, d.channel, count(distinct d.delivery_id) as n" + per(rollup) + " from j "
                + "join v_delivery d on d.process_instance_id = j.process_instance_id "
                + "join v_delivery_event ev on ev.delivery_id = d.delivery_id "
                + "where d.test = false and ev.kind in ('unsubscribe', 'group_unsubscribe') "
                + "group by d.activity_id, d.channel" + per(rollup);
    }

    /**
     * Every order of the campaign's customers attributed to at most one of the campaign's journeys (all of them,
     * whatever the report's range, so the range never moves an order from one journey to another): candidates
     * are the human opens and clicks of a journey's e-mails (window emailSeconds), its delivered SMS (from the
     * send, window smsSeconds) and, with the exit goal, the journey's run itself (entry to exit); the latest
     * touch at or before the order wins, ties to the later enrollment. {@code nth}: 1 for a journey's first
     * attributed order.
     */
    String attributed(boolean duringJourney) {
        return "je as (select enrollment_key, customer_key, process_instance_id, entered_at, exited_at "
                + "from v_campaign_enrollment where campaign_key = :campaign), "
                + "touch as (select je.enrollment_key, je.customer_key, ev.occurred_at as touch_at, "
                + plusSeconds("ev.occurred_at", ":emailSeconds") + " as until_at "
                + "from je join v_delivery d on d.process_instance_id = je.process_instance_id "
                + "join v_delivery_event ev on ev.delivery_id = d.delivery_id "
                + "where d.channel = 'email' and d.test = false and ev.kind in ('open', 'click') "
                + "union all select je.enrollment_key, je.customer_key, d.sent_at, "
                + plusSeconds("d.sent_at", ":smsSeconds") + " "
                + "from je join v_delivery d on d.process_instance_id = je.process_instance_id "
                + "where d.channel = 'sms' and d.test = false and d.status = 'DELIVERED' and d.sent_at is not null"
                + (duringJourney
                        ? " union all select enrollment_key, customer_key, entered_at, coalesce(exited_at, :now) from je"
                        : "")
                + "), candidate as (select o.order_id, o.amount, o.placed_at, t.enrollment_key, t.touch_at "
                + "from touch t join v_customer_order o on o.customer_key = t.customer_key "
                + "where o.placed_at >= t.touch_at and o.placed_at <= t.until_at), "
                + "ranked as (select order_id, amount, placed_at, enrollment_key, row_number() over "
                + "(partition by order_id order by touch_at desc, enrollment_key desc) as touch_rank from candidate), "
                + "attributed as (select order_id, amount, placed_at, enrollment_key, row_number() over "
                + "(partition by enrollment_key order by placed_at, order_id) as nth from ranked where touch_rank = 1)";
    }

    String conversions(boolean version, boolean rollup, boolean duringJourney) {
        return "with " + journeys(version, rollup) + ", " + attributed(duringJourney) + " select j.segment, "
                + day("a.placed_at") + " as d, count(*) as orders, sum(a.amount) as revenue, "
                + "sum(case when a.nth = 1 then 1 else 0 end) as journeys" + per(rollup)
                + " from attributed a join j on j.enrollment_key = a.enrollment_key group by j.segment, "
                + day("a.placed_at") + per(rollup);
    }

    // ---- rollups: the same groups, stored per campaign, day of entry and process definition

    /** A rollup table and its figure columns, in the order the live statement selects them. */
    enum Rollup {
        ENROLLMENTS(
                "delete from report_enrollment_day where campaign_key = :campaign",
                "segment, exit_outcome, d",
                "n, active"),
        FUNNEL("delete from report_funnel_day where campaign_key = :campaign", "step", "entered, waiting"),
        MESSAGES(
                "delete from report_message_day where campaign_key = :campaign",
                "activity_id, channel, status, gate_decision, segment",
                "n, human, machine, clicked"),
        UNSUBSCRIBES("delete from report_unsubscribe_day where campaign_key = :campaign", "activity_id, channel", "n"),
        SENDS_OPENS("delete from report_send_open_day where campaign_key = :campaign", "sent_day, open_day", "n"),
        CONVERSIONS(
                "delete from report_conversion_day where campaign_key = :campaign",
                "segment, d",
                "orders, revenue, journeys");

        /** The statement deleting a campaign's rows, which names the table. */
        final String clear;

        final String table;
        final String keys;
        final String figures;

        Rollup(String clear, String keys, String figures) {
            this.clear = clear;
            this.table = clear.split(" ")[2];
            this.keys = keys;
            this.figures = figures;
        }
    }

    String live(Rollup rollup, boolean version, boolean duringJourney, String sentStatuses, boolean forRollup) {
        return switch (rollup) {
            case ENROLLMENTS -> enrollments(version, forRollup);
            case FUNNEL -> funnel(version, forRollup);
            case MESSAGES -> deliveries(version, forRollup);
            case UNSUBSCRIBES -> unsubscribes(version, forRollup);
            case SENDS_OPENS -> dailyDeliveries(version, forRollup, sentStatuses);
            case CONVERSIONS -> conversions(version, forRollup, duringJourney);
        };
    }

    /** Recomputes a campaign's rows of one rollup (after {@link #clear}). */
    String fill(Rollup rollup, boolean duringJourney, String sentStatuses) {
        String columns =
                rollup.keys.replace("segment, exit_outcome, d", "segment, exit_outcome, d") + ", " + rollup.figures;
        return "insert into " + rollup.table + " (campaign_key, entry_day, definition_id, " + columns + ") "
                + "select :campaign, q.entry_day, q.definition_id, " + prefixed("q.", columns) + " from ("
                + live(rollup, false, duringJourney, sentStatuses, true) + ") q";
    }

    String clear(Rollup rollup) {
        return rollup.clear;
    }

    /** The rollup's figures summed over the days of entry [fromDay, toDay), of one definition if asked. */
    String read(Rollup rollup, boolean version) {
        return "select " + rollup.keys + ", " + sums(rollup.figures) + " from " + rollup.table
                + " where campaign_key = :campaign and entry_day >= :fromDay and entry_day < :toDay"
                + (version ? " and definition_id = :definition" : "") + " group by " + rollup.keys;
    }

    private static String prefixed(String prefix, String columns) {
        return String.join(
                ", ",
                java.util.Arrays.stream(columns.split(",\\s*"))
                        .map(c -> prefix + c)
                        .toList());
    }

    private static String sums(String figures) {
        return String.join(
                ", ",
                java.util.Arrays.stream(figures.split(",\\s*"))
                        .map(c -> "sum(" + c + ") as " + c)
                        .toList());
    }

    /**
     * Per arm of one split step ({@code step}, writing {@code armVariable}): journeys assigned (the step completed),
     * reached (a flow node other than a gateway started after the split), opened and clicked (a human open / a
     * click of a message of a step started after the split), converted and revenue (attributed orders).
     */
    String armOutcomes(boolean duringJourney) {
        return "with " + attributed(duringJourney)
                + ", split as (select a.proc_inst_id_ as pid, min(a.end_time_) as split_at from act_hi_actinst a "
                + "join je on je.process_instance_id = a.proc_inst_id_ where a.act_id_ = :step and a.end_time_ is not null "
                + "group by a.proc_inst_id_), "
                + "arm as (select v.proc_inst_id_ as pid, max(v.text_) as arm from act_hi_varinst v "
                + "join split s on s.pid = v.proc_inst_id_ where v.name_ = :armVariable group by v.proc_inst_id_), "
                + "won as (select enrollment_key, count(*) as n, sum(amount) as revenue from attributed group by enrollment_key) "
                + "select arm.arm, count(*) as assigned, "
                + "sum(case when exists (select 1 from act_hi_actinst b where b.proc_inst_id_ = s.pid "
                + "and b.start_time_ >= s.split_at and b.act_id_ <> :step and b.act_type_ not like '%Gateway') "
                + "then 1 else 0 end) as reached, "
                + "sum(case when exists (select 1 from v_delivery d join act_hi_actinst b on b.proc_inst_id_ = s.pid "
                + "and b.act_id_ = d.activity_id and b.start_time_ >= s.split_at where d.process_instance_id = s.pid "
                + "and d.test = false and d.opens > 0) then 1 else 0 end) as opened, "
                + "sum(case when exists (select 1 from v_delivery d join act_hi_actinst b on b.proc_inst_id_ = s.pid "
                + "and b.act_id_ = d.activity_id and b.start_time_ >= s.split_at where d.process_instance_id = s.pid "
                + "and d.test = false and d.clicks > 0) then 1 else 0 end) as clicked, "
                + "sum(case when won.n > 0 then 1 else 0 end) as converted, sum(won.revenue) as revenue "
                + "from split s join arm on arm.pid = s.pid join je on je.process_instance_id = s.pid "
                + "left join won on won.enrollment_key = je.enrollment_key group by arm.arm order by arm.arm";
    }

    /** Per arm of the campaign's first split ({@code armVariable}; {@code none} without): sends, opens, clicks, conversions. */
    String campaignMetrics(boolean duringJourney) {
        return "with " + attributed(duringJourney)
                + ", arm as (select v.proc_inst_id_ as pid, max(v.text_) as arm from act_hi_varinst v "
                + "join je on je.process_instance_id = v.proc_inst_id_ where v.name_ = :armVariable group by v.proc_inst_id_), "
                + "msg as (select coalesce(arm.arm, 'none') as arm, "
                + "sum(case when d.status in (" + CampaignReports.SENT_STATUSES + ") then 1 else 0 end) as sends, "
                + "sum(case when d.opens > 0 then 1 else 0 end) as opens, "
                + "sum(case when d.clicks > 0 then 1 else 0 end) as clicks from je "
                + "join v_delivery d on d.process_instance_id = je.process_instance_id and d.test = false "
                + "left join arm on arm.pid = je.process_instance_id group by coalesce(arm.arm, 'none')), "
                + "conv as (select coalesce(arm.arm, 'none') as arm, count(*) as conversions from attributed a "
                + "join je on je.enrollment_key = a.enrollment_key left join arm on arm.pid = je.process_instance_id "
                + "group by coalesce(arm.arm, 'none')) "
                + "select arm, sum(sends) as sends, sum(opens) as opens, sum(clicks) as clicks, "
                + "sum(conversions) as conversions from (select arm, sends, opens, clicks, 0 as conversions from msg "
                + "union all select arm, 0, 0, 0, conversions from conv) x group by arm";
    }
}
