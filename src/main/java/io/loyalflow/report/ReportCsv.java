package io.loyalflow.report;

import io.loyalflow.report.CampaignReport.Day;
import io.loyalflow.report.CampaignReport.Exit;
import io.loyalflow.report.CampaignReport.FunnelStep;
import io.loyalflow.report.CampaignReport.MessageStep;
import io.loyalflow.report.CampaignReport.SegmentRow;
import io.loyalflow.report.CampaignReport.Totals;
import java.util.Map;

/**
 * A report as one CSV table (RFC 4180): {@code section,key,channel,metric,value}, one figure a line, so every
 * section fits the same columns and a spreadsheet's filter picks a section.
 */
final class ReportCsv {

    static final String HEADER = "section,key,channel,metric,value";

    private ReportCsv() {}

    static String of(CampaignReport r) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        line(out, "campaign", r.campaignId(), "", "name", r.campaignName());
        line(out, "campaign", r.campaignId(), "", "template", r.template());
        line(out, "campaign", r.campaignId(), "", "from", r.from());
        line(out, "campaign", r.campaignId(), "", "to", r.to());
        line(out, "campaign", r.campaignId(), "", "templateVersion", r.templateVersion());
        line(out, "campaign", r.campaignId(), "", "generatedAt", r.generatedAt());
        line(out, "attribution", "", "EMAIL", "window", r.attribution().emailWindow());
        line(out, "attribution", "", "SMS", "window", r.attribution().smsWindow());
        Totals t = r.totals();
        line(out, "totals", "", "", "journeys", t.journeys());
        line(out, "totals", "", "", "active", t.active());
        line(out, "totals", "", "", "exited", t.exited());
        line(out, "totals", "", "", "sent", t.sent());
        line(out, "totals", "", "", "delivered", t.delivered());
        line(out, "totals", "", "", "opened", t.opened());
        line(out, "totals", "", "", "clicked", t.clicked());
        line(out, "totals", "", "", "bounced", t.bounced());
        line(out, "totals", "", "", "unsubscribed", t.unsubscribed());
        line(out, "totals", "", "", "conversions", t.conversions());
        line(out, "totals", "", "", "revenue", t.revenue().toPlainString());
        for (FunnelStep f : r.funnel()) {
            line(out, "funnel", f.stepId(), "", "entered", f.entered());
            line(out, "funnel", f.stepId(), "", "waiting", f.waiting());
            line(out, "funnel", f.stepId(), "", "left", f.left());
        }
        for (MessageStep m : r.messages()) {
            line(out, "messages", m.stepId(), m.channel(), "sent", m.sent());
            line(out, "messages", m.stepId(), m.channel(), "delivered", m.delivered());
            line(out, "messages", m.stepId(), m.channel(), "humanOpens", m.humanOpens());
            line(out, "messages", m.stepId(), m.channel(), "machineOpens", m.machineOpens());
            line(out, "messages", m.stepId(), m.channel(), "clicked", m.clicked());
            line(out, "messages", m.stepId(), m.channel(), "bounced", m.bounced());
            line(out, "messages", m.stepId(), m.channel(), "unsubscribed", m.unsubscribed());
            line(out, "messages", m.stepId(), m.channel(), "failed", m.failed());
            line(out, "messages", m.stepId(), m.channel(), "cancelled", m.cancelled());
            for (Map.Entry<String, Long> e : m.skipped().entrySet()) {
                line(out, "messages", m.stepId(), m.channel(), "skipped:" + e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Long> e : m.deferred().entrySet()) {
                line(out, "messages", m.stepId(), m.channel(), "deferred:" + e.getKey(), e.getValue());
            }
        }
        for (Exit e : r.exits()) {
            line(out, "exits", e.outcome(), "", "journeys", e.journeys());
        }
        line(out, "conversions", "", "", "orders", r.conversions().orders());
        line(out, "conversions", "", "", "revenue", r.conversions().revenue().toPlainString());
        line(out, "conversions", "", "", "journeysConverted", r.conversions().journeysConverted());
        for (SegmentRow s : r.segments()) {
            line(out, "segments", s.segment(), "", "journeys", s.journeys());
            line(out, "segments", s.segment(), "", "sent", s.sent());
            line(out, "segments", s.segment(), "", "opened", s.opened());
            line(out, "segments", s.segment(), "", "conversions", s.conversions());
            line(out, "segments", s.segment(), "", "revenue", s.revenue().toPlainString());
        }
        for (Day d : r.daily()) {
            String day = d.date().toString();
            line(out, "daily", day, "", "entries", d.entries());
            line(out, "daily", day, "", "sends", d.sends());
            line(out, "daily", day, "", "opens", d.opens());
            line(out, "daily", day, "", "conversions", d.conversions());
            line(out, "daily", day, "", "revenue", d.revenue().toPlainString());
        }
        return out.toString();
    }

    private static void line(
            StringBuilder out, String section, String key, String channel, String metric, Object value) {
        out.append(section)
                .append(',')
                .append(cell(key))
                .append(',')
                .append(channel)
                .append(',')
                .append(cell(metric))
                .append(',')
                .append(cell(value == null ? "" : value.toString()))
                .append("\r\n");
    }

    /** Quoted when needed; a leading = + - @ is defused (a spreadsheet would run it as a formula). */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
