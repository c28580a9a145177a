package io.loyalflow.report;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.NO_GROUP;
import static io.loyalflow.testsupport.TestUsers.OPERATOR;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static io.loyalflow.testsupport.TestUsers.TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.CampaignEntryRuns;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A win-back campaign with known outcomes, run through the real journeys, SendGrid (WireMock) and its signed
 * webhooks, and the orders API; its report equals hand computation and what the deliveries, journeys and orders
 * APIs say.
 *
 * <p>Timeline (d = days after the first entry at T): A's first journey A1 gets the offer at T, opens it at T+1d;
 * order o1 (50.00) at T+2d ends A1 as converted. A enters again (A2, by the API) at T+3d and gets the offer;
 * o2 (30.00) at T+4d is attributable to A1 (within 5 days of its open) and to A2 (running): it counts once, for
 * A2, the later touch. o3 (20.00) at T+9d is outside A1's window and after A2: not attributed. B gets the offer,
 * only a machine opens it, no order: B's journey still waits. C opens and clicks at T+1d and orders (40.00) at
 * T+7d, outside the e-mail window but while the journey runs (exit goal): attributed. Each customer's order from
 * 60 days before T predates the campaign: not attributed.
 */
class CampaignReportScenarioTest extends MessagingIntegrationTest {

    // 18:30 in New York, half an hour before the UTC day ends, the evening before the clocks go forward (DST,
    // 2026-03-08): the windows and the UTC days of the daily series cross both
    private static final Instant T = Instant.parse("2026-03-07T23:30:00Z");

    @Autowired
    HistoryService historyService;

    @BeforeEach
    void morning() {
        clock.set(T);
        senderVerified(true);
    }

    private String customer(String email) {
        String id = newCustomer(email, "+12125550123", "America/New_York", true, false);
        placeOrder(id, T.minus(Duration.ofDays(60)), "80.00");
        return id;
    }

    private String campaign(List<String> customers) {
        String id = "report-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put(
                "messages",
                Map.of(
                        "Task_SendOfferEmail",
                        Map.of("templateId", TEMPLATE),
                        "Task_SendOfferSms",
                        Map.of("smsText", "15% off your next order: BACK15")));
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        settings.put("attribution", Map.of("emailWindow", "P5D", "smsWindow", "P1D"));
        as(ADMIN)
                .body(Map.of("id", id, "name", "Win them back", "template", WinBackProcess.KEY, "settings", settings))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        String answer = as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .extract()
                .asString();
        assertThat(answer).contains("\"ACTIVE\"");
        return id;
    }

    private String journeyOf(String campaign, String customerId) {
        return jdbc.queryForObject(
                "select e.process_instance_id from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                        + "where e.campaign_key = ? and c.customer_id = ? order by e.enrollment_key desc fetch first 1 rows only",
                String.class,
                campaign,
                customerId);
    }

    private String offerDelivery(String journey) {
        runDueJobs(journey);
        List<Map<String, Object>> deliveries = deliveriesOf(journey);
        assertThat(deliveries).hasSize(1);
        return (String) deliveries.get(0).get("delivery_id");
    }

    private void engage(String event, String deliveryId, String email, Instant at, String extra) {
        String json = "{\"email\":\"" + email + "\",\"timestamp\":" + at.getEpochSecond() + ",\"event\":\"" + event
                + "\",\"sg_event_id\":\"" + UUID.randomUUID() + "\",\"sg_message_id\":\"msg-" + deliveryId
                + ".filter0001\",\"loyalflow_delivery_id\":\"" + deliveryId + "\"" + (extra == null ? "" : "," + extra)
                + "}";
        postSendGridEvents("[" + json + "]").then().statusCode(200);
        applyWebhookEvents();
    }

    private JsonPath report(String campaign, String query) {
        return as(ANALYST)
                .get("/api/campaigns/{id}/report" + query, campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void theReportOfAScenarioWithKnownOutcomesEqualsHandComputationAndTheOtherApis() {
        String a = customer("report-a-" + UUID.randomUUID() + "@example.com");
        String b = customer("report-b-" + UUID.randomUUID() + "@example.com");
        String c = customer("report-c-" + UUID.randomUUID() + "@example.com");
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String campaign = campaign(List.of(a, b, c));
        CampaignEntryRuns entryRuns = new CampaignEntryRuns(managementService, historyService);
        assertThat(entryRuns.fire().enrolled(campaign)).isEqualTo(3);

        sendGridAccepts("sg-offer");
        String a1 = journeyOf(campaign, a);
        String da1 = offerDelivery(a1);
        String db = offerDelivery(journeyOf(campaign, b));
        String jc = journeyOf(campaign, c);
        String dc = offerDelivery(jc);
        engage("delivered", da1, emailOf(a), T.plusSeconds(60), null);
        engage("delivered", db, emailOf(b), T.plusSeconds(60), null);
        engage("open", da1, emailOf(a), T.plus(Duration.ofDays(1)), null);
        engage("open", db, emailOf(b), T.plus(Duration.ofDays(1)), "\"sg_machine_open\":true");
        engage("open", dc, emailOf(c), T.plus(Duration.ofDays(1)), null);
        engage(
                "click",
                dc,
                emailOf(c),
                T.plus(Duration.ofDays(1)).plusSeconds(30),
                "\"url\":\"https://shop.example/\"");

        clock.set(T.plus(Duration.ofDays(2)));
        placeOrder(a, clock.instant(), "50.00");
        assertThat(ended(a1)).isTrue();

        clock.set(T.plus(Duration.ofDays(3)));
        as(SERVICE)
                .body(Map.of("customerId", a))
                .post("/api/campaigns/{id}/enrollments", campaign)
                .then()
                .statusCode(201);
        String a2 = journeyOf(campaign, a);
        assertThat(a2).isNotEqualTo(a1);
        offerDelivery(a2);

        clock.set(T.plus(Duration.ofDays(4)));
        placeOrder(a, clock.instant(), "30.00");
        assertThat(ended(a2)).isTrue();
        clock.set(T.plus(Duration.ofDays(7)));
        placeOrder(c, clock.instant(), "40.00");
        assertThat(ended(jc)).isTrue();
        clock.set(T.plus(Duration.ofDays(9)));
        placeOrder(a, clock.instant(), "20.00");

        JsonPath report = report(campaign, "");
        assertThat(report.getString("campaignId")).isEqualTo(campaign);
        assertThat(report.getString("template")).isEqualTo(WinBackProcess.KEY);
        assertThat(report.getString("attribution.emailWindow")).isEqualTo("P5D");
        assertThat(report.getMap("totals"))
                .containsEntry("journeys", 4)
                .containsEntry("active", 1)
                .containsEntry("exited", 3)
                .containsEntry("sent", 4)
                .containsEntry("delivered", 2)
                .containsEntry("opened", 2)
                .containsEntry("clicked", 1)
                .containsEntry("bounced", 0)
                .containsEntry("conversions", 3);
        assertThat(new BigDecimal(report.getString("totals.revenue"))).isEqualByComparingTo("120.00");
        assertThat(report.getList("exits")).containsExactly(Map.of("outcome", "CONVERTED", "journeys", 3));
        assertThat(report.getMap("conversions")).containsEntry("orders", 3).containsEntry("journeysConverted", 3);

        Map<String, Object> offer = report.getMap("messages.find { it.stepId == 'Task_SendOfferEmail' }");
        assertThat(offer)
                .containsEntry("channel", "EMAIL")
                .containsEntry("sent", 4)
                .containsEntry("delivered", 2)
                .containsEntry("humanOpens", 2)
                .containsEntry("machineOpens", 1)
                .containsEntry("clicked", 1);
        assertThat(report.getList("messages")).hasSize(1);

        // the funnel: model order, starting at the start event; every journey passed the offer
        List<Map<String, Object>> funnel = report.getList("funnel");
        assertThat(funnel.get(0)).containsEntry("type", "startEvent").containsEntry("entered", 4);
        assertThat(report.getMap("funnel.find { it.stepId == 'Task_SendOfferEmail' }"))
                .containsEntry("entered", 4)
                .containsEntry("waiting", 0)
                .containsEntry("left", 4);
        assertThat(report.getMap("funnel.find { it.stepId == 'Event_OrderWaitOver' }"))
                .containsEntry("waiting", 1);

        assertThat(report.getList("segments")).hasSize(1);
        assertThat(report.getMap("segments[0]"))
                .containsEntry("segment", "win-back")
                .containsEntry("journeys", 4)
                .containsEntry("sent", 4)
                .containsEntry("opened", 2)
                .containsEntry("conversions", 3);

        // the daily series: every UTC day from the first entry to the last conversion
        assertThat(report.getList("daily.date")).first().isEqualTo("2026-03-07");
        assertThat(report.getList("daily.date")).last().isEqualTo("2026-03-14");
        assertThat(report.getMap("daily.find { it.date == '2026-03-07' }"))
                .containsEntry("entries", 3)
                .containsEntry("sends", 3)
                .containsEntry("opens", 0)
                .containsEntry("conversions", 0);
        assertThat(report.getMap("daily.find { it.date == '2026-03-08' }")).containsEntry("opens", 2);
        assertThat(report.getMap("daily.find { it.date == '2026-03-10' }"))
                .containsEntry("entries", 1)
                .containsEntry("sends", 1);
        assertThat(report.getMap("daily.find { it.date == '2026-03-11' }")).containsEntry("conversions", 1);
        assertThat(new BigDecimal(report.getString("daily.find { it.date == '2026-03-11' }.revenue")))
                .isEqualByComparingTo("30.00");

        // the same counts as the deliveries API and the customers' journeys
        List<Map<String, Object>> deliveries = as(SERVICE)
                .get("/api/deliveries?campaign={c}&limit=500", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        assertThat(deliveries).hasSize(report.getInt("totals.sent"));
        assertThat(deliveries.stream().filter(d -> "DELIVERED".equals(d.get("status"))))
                .hasSize(report.getInt("totals.delivered"));
        assertThat(deliveries.stream().filter(d -> ((Map<?, ?>) d.get("engagement")).get("firstOpenedAt") != null))
                .hasSize(report.getInt("totals.opened"));
        assertThat(deliveries.stream().filter(d -> ((Map<?, ?>) d.get("engagement")).get("firstClickedAt") != null))
                .hasSize(report.getInt("totals.clicked"));
        long journeys = 0;
        long converted = 0;
        for (String customer : List.of(a, b, c)) {
            List<Map<String, Object>> js = as(SERVICE)
                    .get("/api/customers/{id}/journeys", customer)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("findAll { it.campaign == '" + campaign + "' }");
            journeys += js.size();
            converted += js.stream()
                    .filter(j -> "CONVERTED".equals(j.get("outcome")))
                    .count();
        }
        assertThat(journeys).isEqualTo(report.getLong("totals.journeys"));
        assertThat(converted).isEqualTo(report.getLong("exits.find { it.outcome == 'CONVERTED' }.journeys"));

        // counts, no people: neither the customers' ids nor their addresses appear, in JSON or CSV
        String json = as(ANALYST).get("/api/campaigns/{id}/report", campaign).asString();
        String csv = as(ANALYST)
                .get("/api/campaigns/{id}/report?format=csv", campaign)
                .asString();
        for (String customer : List.of(a, b, c)) {
            assertThat(json).doesNotContain(customer).doesNotContain(emailOf(customer));
            assertThat(csv).doesNotContain(customer).doesNotContain(emailOf(customer));
        }
        assertThat(csv.lines()).first().isEqualTo("section,key,channel,metric,value");
        assertThat(csv.lines())
                .contains(
                        "totals,,,journeys,4",
                        "totals,,,revenue,120.00",
                        "messages,Task_SendOfferEmail,EMAIL,humanOpens,2",
                        "exits,CONVERTED,,journeys,3",
                        "daily,2026-03-11,,revenue,30.00");

        // pre-aggregated: the same figures, summed from the rollups, and said to be
        assertThat(report.getString("source")).isEqualTo("live");
        rollups.refresh(campaign);
        JsonPath rolled = report(campaign, "");
        assertThat(rolled.getString("source")).isEqualTo("rollup");
        assertThat(withoutTimes(rolled.getMap("$"))).isEqualTo(withoutTimes(report.getMap("$")));
        assertThat(withoutTimes(
                        report(campaign, "?from=2026-03-08&to=2026-03-31").getMap("$")))
                .isEqualTo(withoutTimes(report(campaign, "?from=2026-03-08T00:00:00.000001Z&to=2026-03-31")
                        .getMap("$")));
        assertThat(report(campaign, "?from=2026-03-08T00:00:00.000001Z").getString("source"))
                .isEqualTo("live");

        // the range is of entries: from the second day on, only A2
        JsonPath later = report(campaign, "?from=2026-03-08&to=2026-03-31");
        assertThat(later.getMap("totals"))
                .containsEntry("journeys", 1)
                .containsEntry("conversions", 1)
                .containsEntry("sent", 1);
        assertThat(new BigDecimal(later.getString("totals.revenue"))).isEqualByComparingTo("30.00");
    }

    @Test
    void badParametersAreNamedUnknownCampaignsAre404AndOnlyAnalystsAndUpReadReports() {
        String campaign = campaign(List.of("nobody"));
        for (String bad : List.of(
                "from=yesterday",
                "to=2026-13-01",
                "templateVersion=x",
                "templateVersion=0",
                "templateVersion=99",
                "format=xml",
                "from=2026-03-08&to=2026-03-07")) {
            String parameter = bad.contains("&") ? "to" : bad.substring(0, bad.indexOf('='));
            as(ANALYST)
                    .get("/api/campaigns/{id}/report?" + bad, campaign)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(parameter));
        }
        as(ANALYST)
                .get("/api/campaigns/{id}/report", "no-such-campaign")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        for (var reader : List.of(ANALYST, OPERATOR, SERVICE, ADMIN)) {
            as(reader)
                    .get("/api/campaigns/{id}/report", campaign)
                    .then()
                    .statusCode(200)
                    .body("campaignId", equalTo(campaign))
                    .body("totals.journeys", equalTo(0))
                    .body("funnel[0].type", equalTo("startEvent"));
        }
        as(ANALYST)
                .get("/api/campaigns/{id}/report?format=csv&templateVersion=1", campaign)
                .then()
                .statusCode(200)
                .contentType("text/csv");
        for (var refused : List.of(TEAM, NO_GROUP)) {
            as(refused).get("/api/campaigns/{id}/report", campaign).then().statusCode(403);
        }
        anonymous().get("/api/campaigns/{id}/report", campaign).then().statusCode(401);
    }

    @Autowired
    ReportRollups rollups;

    private static Map<String, Object> withoutTimes(Map<String, Object> report) {
        Map<String, Object> rest = new LinkedHashMap<>(report);
        rest.keySet().removeAll(List.of("generatedAt", "source", "figuresAsOf", "from", "to"));
        return rest;
    }

    private String emailOf(String customerId) {
        return jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customerId);
    }
}
