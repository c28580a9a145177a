package io.loyalflow.report;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Reports", description = "Campaign results: counts and sums, no personal data")
class ReportController {

    static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private final Campaigns campaigns;
    private final CampaignReports reports;

    ReportController(Campaigns campaigns, CampaignReports reports) {
        this.campaigns = campaigns;
        this.reports = reports;
    }

    @Operation(
            summary =
                    "The campaign's results for the journeys that entered it in [from, to) (ISO instants or dates, UTC; "
                            + "default: the campaign's creation until now), optionally of one template version: funnel per "
                            + "step, messages per step and channel, exits, attributed conversions and revenue, by segment at "
                            + "entry, daily series. format=csv answers the same figures as CSV. 404 for an unknown campaign, "
                            + "400 naming the parameter at fault")
    @GetMapping("/api/campaigns/{id}/report")
    ResponseEntity<?> report(
            @PathVariable String id,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String templateVersion,
            @RequestParam(required = false) String format) {
        Instant start = instant("from", from, false);
        Instant end = instant("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw bad("to", "must be after from");
        }
        Integer version = null;
        if (templateVersion != null) {
            try {
                version = Integer.valueOf(templateVersion.trim());
            } catch (NumberFormatException e) {
                version = -1;
            }
            if (version < 1) {
                throw bad("templateVersion", "must be a process definition version (a whole number from 1)");
            }
        }
        boolean csv = false;
        if (format != null) {
            if (format.equals("csv")) {
                csv = true;
            } else if (!format.equals("json")) {
                throw bad("format", "must be csv or json");
            }
        }
        Campaign campaign = campaigns.get(id);
        if (version != null && reports.definition(campaign, version) == null) {
            throw bad("templateVersion", "template " + campaign.template() + " has no version " + version);
        }
        CampaignReport report = reports.report(campaign, new CampaignReports.Query(start, end, version));
        if (csv) {
            return ResponseEntity.ok()
                    .contentType(CSV)
                    .header(
                            HttpHeaders.CONTENT_DISPOSITION,
                            "attachment; filename=\"campaign-report-" + id.replaceAll("[^A-Za-z0-9._-]", "_")
                                    + ".csv\"")
                    .body(ReportCsv.of(report));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
    }

    /** An instant, or a date (UTC): from its start; as {@code to}, to the end of that day. */
    private static Instant instant(String name, String text, boolean end) {
        if (text == null) {
            return null;
        }
        if (text.length() > 40) {
            throw bad(name, "must be an ISO-8601 instant (2026-12-01T00:00:00Z) or date (2026-12-01)");
        }
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return (end ? date.plusDays(1) : date)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw bad(name, "must be an ISO-8601 instant (2026-12-01T00:00:00Z) or date (2026-12-01)");
        }
    }

    private static ApiProblemException bad(String parameter, String message) {
        return new ApiProblemException(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_REQUEST,
                parameter + ": " + message,
                List.of(new FieldViolation(parameter, message)));
    }
}
