package io.loyalflow.report;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.experiment.ExperimentOutcomes;
import io.loyalflow.experiment.ExperimentOutcomes.ArmOutcome;
import io.loyalflow.journey.ValueSegmentUpgradeProcess;
import io.loyalflow.messaging.MessagingIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The value-segment upgrade's reminder split with one journey in each arm, through the real journeys: X (arm A,
 * the reminder e-mail) opens and clicks the reminder and orders 2 days later; Y (arm B, the reminder SMS) does
 * nothing. The arms' outcomes and the campaign report agree with that.
 */
class ExperimentOutcomesTest extends MessagingIntegrationTest {

    private static final Instant T = Instant.parse("2026-06-01T14:00:00Z");

    @Autowired
    ExperimentOutcomes outcomes;

    @Autowired
    CampaignMetrics metrics;

    @Autowired
    ReportRollups rollups;

    /** A Silver customer (two orders of 200 in the last 12 months): a third lifts them to Gold. */
    private String silverCustomer() {
        String id = newCustomer(
                "arms-" + UUID.randomUUID() + "@example.com", "+12125550123", "America/New_York", true, true);
        placeOrder(id, T.minus(Duration.ofDays(30)), "200.00");
        placeOrder(id, T.minus(Duration.ofDays(29)), "200.00");
        return id;
    }

    private Map<String, Object> campaignBody(String id, String segment, String arms) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("Task_SendCongratulation", Map.of("templateId", TEMPLATE));
        messages.put("Task_SendReminderEmail", Map.of("templateId", "d-11111111111111111111111111111111"));
        messages.put("Task_SendReminderSms", Map.of("smsText", "Welcome to your new tier"));
        messages.put("Task_SendSurvey", Map.of("templateId", "d-22222222222222222222222222222222"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of("Task_SplitReminder", arms));
        settings.put("followUp", "satisfaction-survey");
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        return Map.of(
                "id",
                id,
                "name",
                "Congratulate upgrades",
                "template",
                ValueSegmentUpgradeProcess.KEY,
                "settings",
                settings);
    }

    private String journeyOf(String campaign, String customerId) {
        return jdbc.queryForObject(
                "select e.process_instance_id from campaign_enrollment e join customer c on c.customer_key = e.customer_key "
                        + "where e.campaign_key = ? and c.customer_id = ?",
                String.class,
                campaign,
                customerId);
    }

    private void engage(String event, String deliveryId, String email, Instant at) {
        String json = "{\"email\":\"" + email + "\",\"timestamp\":" + at.getEpochSecond() + ",\"event\":\"" + event
                + "\",\"sg_event_id\":\"" + UUID.randomUUID() + "\",\"sg_message_id\":\"msg-" + deliveryId
                + ".filter0001\",\"loyalflow_delivery_id\":\"" + deliveryId + "\"}";
        postSendGridEvents("[" + json + "]").then().statusCode(200);
        applyWebhookEvents();
    }

    @Test
    void eachArmCountsItsJourneysEngagementAndAttributedOrders() {
        clock.set(T);
        senderVerified(true);
        sendGridAccepts("sg-arms");
        twilioAccepts("SM" + "c".repeat(32));
        String x = silverCustomer();
        String y = silverCustomer();
        String segment = "arms-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Arms test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(x, y))))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        String campaign = "arms-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(campaignBody(campaign, segment, "A:100, B:0"))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        assertThat(as(ANALYST).post("/api/campaigns/{id}/activate", campaign).asString())
                .contains("\"ACTIVE\"");

        placeOrder(x, T.minusSeconds(60), "200.00"); // Gold: X enters with arms A:100
        as(ANALYST)
                .body(campaignBody(campaign, segment, "A:0, B:100"))
                .put("/api/campaigns/{id}", campaign)
                .then()
                .statusCode(200);
        placeOrder(y, T.minusSeconds(30), "200.00"); // Gold: Y enters with arms B:100
        String jx = journeyOf(campaign, x);
        String jy = journeyOf(campaign, y);
        runDueJobs(jx);
        runDueJobs(jy);

        clock.set(T.plus(Duration.ofDays(3)).plusSeconds(1)); // nobody opened the congratulation: the split
        runDueJobs(jx);
        runDueJobs(jy);
        assertThat(ended(jx)).isTrue();
        assertThat(ended(jy)).isTrue();
        String reminder = (String) deliveriesOf(jx).get(1).get("delivery_id");
        assertThat(deliveriesOf(jx).get(1).get("activity_id")).isEqualTo("Task_SendReminderEmail");
        assertThat(deliveriesOf(jy).get(1).get("activity_id")).isEqualTo("Task_SendReminderSms");
        String email = jdbc.queryForObject("select email from customer where customer_id = ?", String.class, x);
        engage("open", reminder, email, T.plus(Duration.ofDays(4)));
        engage("click", reminder, email, T.plus(Duration.ofDays(4)).plusSeconds(10));
        clock.set(T.plus(Duration.ofDays(6)));
        placeOrder(x, clock.instant(), "75.50"); // 2 days after the open: within the e-mail window
        placeOrder(y, clock.instant(), "60.00"); // Y's SMS was never reported delivered: no touch

        Map<String, ArmOutcome> arms = outcomes.outcomes(campaign, campaign + ":reminder-channel");
        assertThat(arms).containsOnlyKeys("A", "B");
        assertThat(arms.get("A")).isEqualTo(new ArmOutcome(1, 1, 1, 1, 1, new BigDecimal("75.50")));
        assertThat(arms.get("B")).isEqualTo(new ArmOutcome(1, 1, 0, 0, 0, new BigDecimal("0.00")));
        assertThat(outcomes.outcomes(campaign, campaign + ":no-such-experiment"))
                .isEmpty();

        JsonPath report = as(ANALYST)
                .get("/api/campaigns/{id}/report", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getMap("totals"))
                .containsEntry("journeys", 2)
                .containsEntry("conversions", 1)
                .containsEntry("opened", 1);
        assertThat(new BigDecimal(report.getString("totals.revenue"))).isEqualByComparingTo("75.50");
        assertThat(report.getMap("funnel.find { it.stepId == 'Task_SplitReminder' }"))
                .containsEntry("entered", 2);
        assertThat(report.getMap("funnel.find { it.stepId == 'Task_SendReminderSms' }"))
                .containsEntry("entered", 1);
        assertThat(report.getList("segments.segment")).containsExactly("Gold");
        rollups.refresh(campaign);
        JsonPath version = as(ANALYST)
                .get("/api/campaigns/{id}/report?templateVersion=1", campaign)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(version.getString("source")).isEqualTo("rollup");
        assertThat(version.getMap("funnel.find { it.stepId == 'Task_SplitReminder' }"))
                .containsEntry("entered", 2);
        assertThat(version.getMap("totals")).isEqualTo(report.getMap("totals"));

        // the Prometheus counters per campaign and arm: each journey's messages count in its arm
        metrics.count(campaignsOf(campaign));
        String scrape = as(MONITORING)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(scrape.lines().filter(line -> line.contains("campaign=\"" + campaign + "\"")))
                .contains(
                        "loyalflow_campaign_sends_total{application=\"loyalflow\",arm=\"A\",campaign=\"" + campaign
                                + "\"} 2.0",
                        "loyalflow_campaign_opens_total{application=\"loyalflow\",arm=\"A\",campaign=\"" + campaign
                                + "\"} 1.0",
                        "loyalflow_campaign_clicks_total{application=\"loyalflow\",arm=\"A\",campaign=\"" + campaign
                                + "\"} 1.0",
                        "loyalflow_campaign_conversions_total{application=\"loyalflow\",arm=\"A\",campaign=\""
                                + campaign + "\"} 1.0",
                        "loyalflow_campaign_sends_total{application=\"loyalflow\",arm=\"B\",campaign=\"" + campaign
                                + "\"} 2.0",
                        "loyalflow_campaign_opens_total{application=\"loyalflow\",arm=\"B\",campaign=\"" + campaign
                                + "\"} 0.0",
                        "loyalflow_campaign_conversions_total{application=\"loyalflow\",arm=\"B\",campaign=\""
                                + campaign + "\"} 0.0");
        assertThat(scrape).contains("# HELP loyalflow_campaign_conversions_total Orders attributed");
    }

    @Autowired
    io.loyalflow.campaign.Campaigns campaigns;

    private io.loyalflow.campaign.Campaign campaignsOf(String id) {
        return campaigns.get(id);
    }
}
