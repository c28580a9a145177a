package io.loyalflow.journey;

import static io.loyalflow.journey.AdvocateReferralProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_CHOOSE_REFERRAL_PATH;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_FIND_RECOMMENDATIONS;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_REFERRAL_REMINDER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SEND_VOUCHER;
import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.BestCustomerProcess.Element.END_EVENT_SERIES_DONE;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SERIES_DELAY;
import static io.loyalflow.journey.BestCustomerProcess.Element.EVENT_SMART_SEND_WAIT;
import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_SEND_SERIES_EMAIL;
import static io.loyalflow.journey.JourneyVariables.TIER_CHANGE;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.GATEWAY_ANSWER;
import static io.loyalflow.journey.SatisfactionSurveyProcess.Element.TASK_SEND_SURVEY;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_FOLLOWED_UP;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_EMAIL;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_REMINDED_BY_SMS;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.END_EVENT_WARNED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.EVENT_OPEN_WAIT_OVER;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.GATEWAY_OPENED;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_CONGRATULATION;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SEND_DOWNGRADE_WARNING;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static io.loyalflow.journey.WinBackProcess.Element.END_EVENT_LAPSED;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_ORDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.EVENT_REMINDER_WAIT_OVER;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_EMAIL;
import static io.loyalflow.journey.WinBackProcess.Element.TASK_SEND_OFFER_SMS;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.messaging.MessagingVariables.SMART_SEND_AT;
import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.messaging.MessagingIntegrationTest;
import io.loyalflow.testsupport.CampaignEntryRuns;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every send step of every shipped template, reached at 02:30 in the customer's zone (New York, Paris
 * or Tokyo; on some dates the clocks change that night): nothing goes out at night, the journey waits
 * at the send step, nothing is resumed a second before the window opens (08:00 local), and at the
 * opening the sweep resumes the step: its job sends the message once, recorded SENT at the opening,
 * and the journey goes down its normal path. Sweeping and running jobs again sends nothing more.
 * The templates are driven as their own journey tests drive them (campaign settings over REST, the
 * entry, the jobs). Runs on H2 and, as a database test, on PostgreSQL.
 */
class SendStepsAtNightTest extends MessagingIntegrationTest {

    private static final LocalTime NIGHT = LocalTime.of(2, 30);

    @Autowired
    org.camunda.bpm.engine.HistoryService historyService;

    private CampaignEntryRuns entryRuns() {
        return new CampaignEntryRuns(managementService, historyService);
    }

    @BeforeEach
    void providers() {
        senderVerified(true);
        sendGridAccepts("sg-" + UUID.randomUUID());
        twilioAccepts("SM" + UUID.randomUUID().toString().replace("-", ""));
    }

    // ---- value-segment upgrade and its satisfaction survey

    @ParameterizedTest(name = "{0} at 02:30 in {1} on {2}")
    @CsvSource({
        // the night US clocks spring forward: 02:30 does not exist (it is 03:30 EDT); 08:00 EDT is 12:00Z, not 13:00Z
        "Task_SendCongratulation,   America/New_York, 2026-03-08, 2026-03-08T12:00:00Z",
        "Task_SendReminderEmail,    Europe/Paris,     2026-06-10, 2026-06-10T06:00:00Z",
        "Task_SendReminderSms,      Asia/Tokyo,       2026-06-17, 2026-06-16T23:00:00Z",
        "Task_SendDowngradeWarning, America/New_York, 2026-09-15, 2026-09-15T12:00:00Z",
        "Task_SendSurvey,           Asia/Tokyo,       2026-10-06, 2026-10-05T23:00:00Z"
    })
    void valueSegmentUpgrade(String task, String zone, LocalDate date, Instant opening) {
        ZoneId in = ZoneId.of(zone);
        Instant night = ZonedDateTime.of(date, NIGHT, in).toInstant();
        assertThat(opening)
                .isEqualTo(ZonedDateTime.of(date, LocalTime.of(8, 0), in).toInstant());
        Instant daytime =
                ZonedDateTime.of(date.minusDays(4), LocalTime.NOON, in).toInstant();
        String arms = task.equals(ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS.id())
                ? "A:0, B:100"
                : "A:100, B:0";
        boolean downgrade = task.equals(TASK_SEND_DOWNGRADE_WARNING.id());

        if (downgrade) {
            // Silver for 300 days; at the night of the test the orders have left the 12-month window: Bronze
            clock.set(night.minus(Duration.ofDays(70)));
            String customer = silverCustomer(in, clock.instant().minus(Duration.ofDays(300)));
            String campaign = upgradeCampaign(segmentOf(List.of(customer)), arms, true);
            clock.set(night);
            as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
            entryRuns().fire();
            ProcessInstance journey = onlyJourney(campaign, customer);
            assertThat(variable(journey.getId(), TIER_CHANGE.name())).isEqualTo("DOWNGRADE");
            int sent = sent();
            runDueJobs(journey.getId());

            waitsForTheOpeningThenSendsOnce(journey, task, sent, opening);
            assertThat(journey).isEnded().hasPassed(END_EVENT_WARNED.id());
            return;
        }

        clock.set(task.equals(TASK_SEND_CONGRATULATION.id()) ? night : daytime);
        String customer = silverCustomer(in, clock.instant().minus(Duration.ofDays(30)));
        String campaign = upgradeCampaign(segmentOf(List.of(customer)), arms, false);
        int sent = sent();
        order(customer, clock.instant().minusSeconds(60), "200.00"); // the third order makes Gold
        ProcessInstance journey = onlyJourney(campaign, customer);
        runDueJobs(journey.getId());
        if (task.equals(TASK_SEND_CONGRATULATION.id())) {
            waitsForTheOpeningThenSendsOnce(journey, task, sent, opening);
            assertThat(journey).isWaitingAt(GATEWAY_OPENED.id());
            return;
        }
        assertThat(journey).isWaitingAt(GATEWAY_OPENED.id()); // congratulated in the daytime

        if (task.equals(TASK_SEND_SURVEY.id())) {
            // the customer opens the congratulation at 02:30: the follow-up survey's e-mail waits for the morning
            clock.set(night);
            String congratulation = (String) variable(journey.getId(), DELIVERY_ID.name());
            String email =
                    jdbc.queryForObject("select email from customer where customer_id = ?", String.class, customer);
            postSendGridEvents(
                            "[" + sendGridEvent("open", congratulation, email, "ev-" + UUID.randomUUID(), null) + "]")
                    .then()
                    .statusCode(200);
            applyWebhookEvents();
            runDueJobs(journey.getId());
            assertThat(journey).isEnded().hasPassed(END_EVENT_FOLLOWED_UP.id());
            ProcessInstance survey = runtimeService
                    .createProcessInstanceQuery()
                    .processDefinitionKey(SatisfactionSurveyProcess.KEY)
                    .processInstanceBusinessKey(campaign + ":" + customer)
                    .singleResult();
            sent = sent();
            runDueJobs(survey.getId());

            waitsForTheOpeningThenSendsOnce(survey, task, sent, opening);
            assertThat(survey).isWaitingAt(GATEWAY_ANSWER.id());
            return;
        }

        // not opened within the 3-day wait; the reminder's step runs at 02:30
        clock.set(night);
        sent = sent();
        runDueJobs(journey.getId());
        assertThat(journey).hasPassed(EVENT_OPEN_WAIT_OVER.id(), TASK_SPLIT_REMINDER.id());

        waitsForTheOpeningThenSendsOnce(journey, task, sent, opening);
        assertThat(journey)
                .isEnded()
                .hasPassed(
                        task.equals(ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS.id())
                                ? END_EVENT_REMINDED_BY_SMS.id()
                                : END_EVENT_REMINDED_BY_EMAIL.id());
    }

    // ---- win-back

    @ParameterizedTest(name = "{0} at 02:30 in {1} on {2}")
    @CsvSource({
        // the night European clocks spring forward: 08:00 CEST is 06:00Z
        "Task_SendOfferEmail,    Europe/Paris,     2026-03-29, 2026-03-29T06:00:00Z",
        "Task_SendOfferSms,      America/New_York, 2026-07-07, 2026-07-07T12:00:00Z",
        "Task_SendReminderEmail, Asia/Tokyo,       2026-08-04, 2026-08-03T23:00:00Z",
        "Task_SendReminderSms,   Europe/Paris,     2026-11-18, 2026-11-18T07:00:00Z"
    })
    void winBack(String task, String zone, LocalDate date, Instant opening) {
        ZoneId in = ZoneId.of(zone);
        Instant night = ZonedDateTime.of(date, NIGHT, in).toInstant();
        assertThat(opening)
                .isEqualTo(ZonedDateTime.of(date, LocalTime.of(8, 0), in).toInstant());
        boolean sms = task.endsWith("Sms");
        boolean offer = task.startsWith("Task_SendOffer");
        // the offer: entered at 02:30; the reminder: entered 15 days before at noon, the 14-day wait ends at night
        clock.set(
                offer
                        ? night
                        : ZonedDateTime.of(date.minusDays(15), LocalTime.NOON, in)
                                .toInstant());
        String customer = lapsingCustomer(in, !sms, sms);
        ProcessInstance journey = winBackJourney(customer);
        int sent = sent();
        runDueJobs(journey.getId());
        if (!offer) {
            assertThat(journey).isWaitingAt(EVENT_ORDER_WAIT_OVER.id());
            clock.set(night);
            sent = sent();
            runDueJobs(journey.getId());
        }

        waitsForTheOpeningThenSendsOnce(journey, task, sent, opening);
        assertThat(journey).isWaitingAt(offer ? EVENT_ORDER_WAIT_OVER.id() : EVENT_REMINDER_WAIT_OVER.id());
    }

    @Test
    void anOrderWhileTheOfferWaitsForTheMorningEndsTheJourneyAndTheOfferIsNeverSent() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        clock.set(ZonedDateTime.of(2026, 5, 5, 2, 30, 0, 0, paris).toInstant());
        String customer = lapsingCustomer(paris, true, false);
        ProcessInstance journey = winBackJourney(customer);
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt(TASK_SEND_OFFER_EMAIL.id());
        String deliveryId = deliveryAt(journey, TASK_SEND_OFFER_EMAIL.id())
                .get("delivery_id")
                .toString();

        clock.set(ZonedDateTime.of(2026, 5, 5, 6, 45, 0, 0, paris).toInstant());
        order(customer, clock.instant().minusSeconds(60), "35.00");
        assertThat(journey)
                .isEnded()
                .hasPassed(WinBackProcess.Element.END_EVENT_CONVERTED.id())
                .hasNotPassed(END_EVENT_LAPSED.id());
        assertThat(delivery(deliveryId)).containsEntry("status", "DEFERRED"); // until its window opens

        clock.set(ZonedDateTime.of(2026, 5, 5, 8, 0, 0, 0, paris).toInstant());
        deferredSends.resumeDue();
        assertThat(delivery(deliveryId))
                .containsEntry("status", "CANCELLED")
                .containsEntry("error", "the journey ended before the message could go")
                .containsEntry("waiting_execution_id", null);
        assertThat(sendGridRequests()).isZero();
        deferredSends.resumeDue();
        assertThat(delivery(deliveryId)).containsEntry("status", "CANCELLED");
        as(SERVICE)
                .get("/api/customers/{id}/deliveries", customer)
                .then()
                .statusCode(200)
                .body("items[0].status", equalTo("CANCELLED"));
    }

    // ---- advocate referral

    @ParameterizedTest(name = "{0} at 02:30 in {1} on {2}")
    @CsvSource({
        "Task_SendReferralReminder, America/New_York, 2030-01-15, 2030-01-15T13:00:00Z",
        "Task_SendVoucher,          Europe/Paris,     2030-02-12, 2030-02-12T07:00:00Z"
    })
    void advocateReferral(String task, String zone, LocalDate date, Instant opening) {
        ZoneId in = ZoneId.of(zone);
        Instant night = ZonedDateTime.of(date, NIGHT, in).toInstant();
        clock.set(night);
        boolean voucher = task.equals(TASK_SEND_VOUCHER.id());
        String customer = newCustomer("ar-" + UUID.randomUUID() + "@example.com", null, zone, true, false);
        order(customer, night.minus(Duration.ofDays(200)), "40.00"); // a defecting buyer
        as(SERVICE)
                .body(Map.of(
                        "activity",
                        voucher ? "Dormant" : "Active",
                        "successfulReferrals",
                        2,
                        "shareUrl",
                        "https://mention-me.example/m/ole/cj6qx-ann-lee",
                        "extendedRevenue",
                        new BigDecimal("250.00")))
                .put("/api/customers/{id}/referral", customer)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                TASK_SEND_REFERRAL_REMINDER.id(),
                Map.of("templateId", TEMPLATE, "templateData", Map.of("shareLink", "{{referralShareUrl}}")));
        messages.put(
                TASK_SEND_VOUCHER.id(),
                Map.of(
                        "templateId",
                        TEMPLATE,
                        "templateData",
                        Map.of("code", "COMEBACK10", "products", "{{var.recommendations}}")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "defecting-buyers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(customer))));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "P30D"));
        settings.put("arms", Map.of(TASK_SPLIT_INCENTIVE.id(), "VOUCHER:100, REFERRAL_REMINDER:0"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        String campaign = activate(AdvocateReferralProcess.KEY, settings);
        entryRuns().fire();
        ProcessInstance journey = journeyOf(campaign, customer);
        int sent = sent();
        runDueJobs(journey.getId());
        assertThat(journey).hasPassed(voucher ? TASK_FIND_RECOMMENDATIONS.id() : TASK_CHOOSE_REFERRAL_PATH.id());

        waitsForTheOpeningThenSendsOnce(journey, task, sent, opening);
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
    }

    // ---- best customer: an e-mail series with smart send

    @Test
    void bestCustomerSeriesSmartSendIsMovedIntoTheWindowAndAnEmailDueAtNightWaitsForTheMorning() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        clock.set(ZonedDateTime.of(2026, 11, 30, 15, 0, 0, 0, tokyo).toInstant());
        // a night owl: both orders around 02:00 in Tokyo, so the usual purchase hour is 2
        String customer = newCustomer("owl-" + UUID.randomUUID() + "@example.com", null, "Asia/Tokyo", true, false);
        order(customer, ZonedDateTime.of(2026, 11, 10, 2, 10, 0, 0, tokyo).toInstant(), "300.00");
        order(customer, ZonedDateTime.of(2026, 11, 20, 2, 40, 0, 0, tokyo).toInstant(), "300.00");
        Instant eight = ZonedDateTime.of(2026, 12, 1, 8, 0, 0, 0, tokyo).toInstant();
        Instant night = ZonedDateTime.of(2026, 12, 2, 2, 30, 0, 0, tokyo).toInstant();
        Instant opening = Instant.parse("2026-12-01T23:00:00Z"); // 08:00 on 2 December in Tokyo
        Map<String, Object> first =
                new LinkedHashMap<>(Map.of("templateId", TEMPLATE, "after", "P0D", "smartSend", true));
        // e-mail 2 is not smart-sent: its delay ends at 02:30 in Tokyo
        Map<String, Object> second = new LinkedHashMap<>(
                Map.of("templateId", "d-" + "b2".repeat(16), "after", "PT18H30M", "smartSend", false));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("variant", "PREDICTIVE");
        settings.put(
                "audience",
                Map.of("conditions", Map.of("field", "customerId", "op", "in", "value", List.of(customer))));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("series", List.of(first, second));
        settings.put("smartSend", Map.of("fallbackHour", 10));
        String campaign = activate(BestCustomerProcess.KEY, settings);
        predictedBest(customer);
        entryRuns().fire();
        ProcessInstance journey = journeyOf(campaign, customer);

        runDueJobs(journey.getId());
        // smart send: the usual hour 02:00 is moved to the window's start, 08:00 local; the e-mail goes then, not
        // deferred
        assertThat(journey).isWaitingAt(EVENT_SMART_SEND_WAIT.id());
        assertThat(variable(journey.getId(), SMART_SEND_AT.name())).isEqualTo(java.util.Date.from(eight));
        clock.set(eight);
        runDueJobs(journey.getId());
        assertThat(sendGridRequests()).isEqualTo(1);
        assertThat(deliveryAt(journey, TASK_SEND_SERIES_EMAIL.id()))
                .containsEntry("gate_decision", "PASSED")
                .containsEntry("step_key", "Task_SendSeriesEmail[0]#1");
        assertThat(journey).isWaitingAt(EVENT_SERIES_DELAY.id());

        // e-mail 2: the delay ends at 02:30; inside the series' multi-instance subprocess, the step waits for 08:00
        clock.set(night);
        int sent = sent();
        runDueJobs(journey.getId());
        waitsForTheOpeningThenSendsOnce(journey, TASK_SEND_SERIES_EMAIL.id(), sent, opening);
        assertThat(journey).isEnded().hasPassed(END_EVENT_SERIES_DONE.id());
        assertThat(deliveriesOf(journey.getId()))
                .extracting(d -> d.get("step_key") + " " + d.get("status"))
                .containsExactly("Task_SendSeriesEmail[0]#1 SENT", "Task_SendSeriesEmail[1]#1 SENT");
    }

    // ---- the check every step goes through

    /**
     * The step's job has run at 02:30 local time. Nothing went out; the journey waits at the step; one
     * second before the opening the sweep resumes nothing; at the opening it resumes the step, whose job
     * sends the message once, recorded SENT at the opening by the step's one delivery; another sweep and
     * the jobs after it send nothing more.
     */
    private void waitsForTheOpeningThenSendsOnce(
            ProcessInstance journey, String task, int sentBefore, Instant opening) {
        assertThat(journey).isWaitingAt(task);
        assertThat(jobsAt(journey, task)).as("no job: the step waits").isZero();
        assertThat(sent()).as("nothing goes out at night").isEqualTo(sentBefore);
        Map<String, Object> deferred = deliveryAt(journey, task);
        assertThat(deferred)
                .containsEntry("status", "DEFERRED")
                .containsEntry("gate_decision", "QUIET_HOURS")
                .containsEntry("counted", false);
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(opening);
        assertThat(deferred.get("waiting_execution_id")).isNotNull();

        clock.set(opening.minusSeconds(1));
        deferredSends.resumeDue();
        assertThat(jobsAt(journey, task)).as("not resumed before the opening").isZero();
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(journey).isWaitingAt(task);

        clock.set(opening);
        assertThat(deferredSends.resumeDue().resumed()).isPositive();
        assertThat(jobsAt(journey, task)).as("the step's job again").isEqualTo(1);
        assertThat(journey).isWaitingAt(task); // a new instance of the step, before its job
        runDueJobs(journey.getId());

        assertThat(sent()).as("one message at the opening").isEqualTo(sentBefore + 1);
        Map<String, Object> sent = delivery(deferred.get("delivery_id").toString());
        assertThat(sent)
                .containsEntry("status", "SENT")
                .containsEntry("gate_decision", "PASSED")
                .containsEntry("step_key", deferred.get("step_key"))
                .containsEntry("attempts", 1)
                .containsEntry("counted", true);
        assertThat(instant(sent.get("sent_at"))).isEqualTo(opening);
        assertThat(deliveriesOf(journey.getId()))
                .filteredOn(d -> deferred.get("step_key").equals(d.get("step_key")))
                .as("one delivery for the step")
                .hasSize(1);

        deferredSends.resumeDue();
        runDueJobs(journey.getId());
        assertThat(sent()).as("nothing more").isEqualTo(sentBefore + 1);
    }

    private long jobsAt(ProcessInstance journey, String task) {
        return managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .activityId(task)
                .count();
    }

    private int sent() {
        return sendGridRequests() + twilioRequests();
    }

    /** The journey's latest delivery of the step. */
    private Map<String, Object> deliveryAt(ProcessInstance journey, String task) {
        List<Map<String, Object>> rows = deliveriesOf(journey.getId()).stream()
                .filter(d -> task.equals(d.get("activity_id")))
                .toList();
        assertThat(rows).as("deliveries of %s", task).isNotEmpty();
        return rows.get(rows.size() - 1);
    }

    /** A timestamp column as the driver hands it over (H2: OffsetDateTime, PostgreSQL: Timestamp). */
    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime time ? time.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }

    // ---- customers, campaigns, journeys

    private void order(String customerId, Instant placedAt, String amount) {
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        customerId,
                        "placedAt",
                        placedAt.toString(),
                        "amount",
                        new BigDecimal(amount),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal(amount)))))
                .post("/api/orders")
                .then()
                .statusCode(201);
    }

    private static String phoneIn(ZoneId zone) {
        return switch (zone.getId()) {
            case "Europe/Paris" -> "+33612345678";
            case "Asia/Tokyo" -> "+819012345678";
            default -> "+12125550123";
        };
    }

    /** A Silver customer: two orders of 200 (Gold needs 500 and 3 orders). */
    private String silverCustomer(ZoneId zone, Instant firstOrder) {
        String id = newCustomer("night-" + UUID.randomUUID() + "@example.com", phoneIn(zone), zone.getId(), true, true);
        order(id, firstOrder, "200.00");
        order(id, firstOrder.plus(Duration.ofDays(1)), "200.00");
        return id;
    }

    private String segmentOf(List<String> customers) {
        String segment = "night-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of(
                        "id",
                        segment,
                        "name",
                        "Night test customers",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", customers)))
                .post("/api/segments")
                .then()
                .statusCode(201);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        return segment;
    }

    private String upgradeCampaign(String segment, String arms, boolean downgradeWarning) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(TASK_SEND_CONGRATULATION.id(), Map.of("templateId", TEMPLATE));
        messages.put(
                ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_EMAIL.id(),
                Map.of("templateId", "d-11111111111111111111111111111111"));
        messages.put(
                ValueSegmentUpgradeProcess.Element.TASK_SEND_REMINDER_SMS.id(),
                Map.of("smsText", "{{firstName}}, see your new benefits in the app"));
        messages.put(TASK_SEND_SURVEY.id(), Map.of("templateId", "d-22222222222222222222222222222222"));
        messages.put(TASK_SEND_DOWNGRADE_WARNING.id(), Map.of("templateId", "d-33333333333333333333333333333333"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", segment));
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop Club"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "P3D", "surveyWait", "P7D"));
        settings.put("arms", Map.of(TASK_SPLIT_REMINDER.id(), arms));
        settings.put("followUp", SatisfactionSurveyProcess.KEY);
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("options", Map.of("downgradeWarning", downgradeWarning));
        return activate(ValueSegmentUpgradeProcess.KEY, settings);
    }

    /** A customer whose only order was 60 days ago, in the win-back segment after a refresh. */
    private String lapsingCustomer(ZoneId zone, boolean emailConsent, boolean smsConsent) {
        String id = newCustomer(
                "wb-" + UUID.randomUUID() + "@example.com", phoneIn(zone), zone.getId(), emailConsent, smsConsent);
        order(id, clock.instant().minus(Duration.ofDays(60)), "80.00");
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
        return id;
    }

    /** A win-back campaign for the customer (offer and second reminder by the channel consent allows), entered now. */
    private ProcessInstance winBackJourney(String customer) {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(TASK_SEND_OFFER_EMAIL.id(), Map.of("templateId", TEMPLATE));
        messages.put(TASK_SEND_OFFER_SMS.id(), Map.of("smsText", "{{firstName}}, 15% off your next order: BACK15"));
        messages.put(WinBackProcess.Element.TASK_SEND_REMINDER_EMAIL.id(), Map.of("templateId", TEMPLATE));
        messages.put(
                WinBackProcess.Element.TASK_SEND_REMINDER_SMS.id(),
                Map.of("smsText", "Last days for BACK15, {{firstName}}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "win-back",
                        "conditions",
                        Map.of("field", "customerId", "op", "in", "value", List.of(customer))));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", Map.of("email", "offers@shop.example", "name", "The Shop"));
        settings.put("messages", messages);
        settings.put("waits", Map.of("orderWait", "P14D", "reminderWait", "P7D"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        settings.put("options", Map.of("secondReminder", true));
        String campaign = activate(WinBackProcess.KEY, settings);
        entryRuns().fire();
        return journeyOf(campaign, customer);
    }

    /** The customer-value model predicts this customer, and only this one, in the top quarter (as a fit would). */
    private void predictedBest(String customerId) {
        long version = jdbc.queryForObject("select coalesce(max(fit_version), 0) + 1 from clv_fit", Long.class);
        jdbc.update(
                "insert into clv_fit (fit_version, status, calibration_end, horizon_weeks, started_at, duration_ms, "
                        + "customers, repeat_buyers, scored) values (?, 'FITTED', ?, 52, ?, 0, 1, 0, 1)",
                version,
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                clock.instant().atOffset(ZoneOffset.UTC));
        jdbc.update("delete from customer_value");
        jdbc.update(
                "insert into customer_value (customer_key, fit_version, expected_purchases, probability_alive, "
                        + "expected_order_value, predicted_value, value_percentile) select customer_key, ?, 3.2, 0.9, 80, 256, 0.95 "
                        + "from customer where customer_id = ?",
                version,
                customerId);
        as(SERVICE).post("/api/segments/refresh").then().statusCode(200);
    }

    private String activate(String template, Map<String, Object> settings) {
        String id = "night-" + UUID.randomUUID().toString().substring(0, 8);
        as(ADMIN)
                .body(Map.of("id", id, "name", "At night", "template", template, "settings", settings))
                .post("/api/campaigns")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(201);
        as(ANALYST)
                .post("/api/campaigns/{id}/activate", id)
                .then()
                .log()
                .ifValidationFails()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));
        return id;
    }

    private ProcessInstance journeyOf(String campaign, String customerId) {
        List<String> started = jdbc.queryForList(
                "select e.process_instance_id from campaign_enrollment e join customer c "
                        + "on c.customer_key = e.customer_key where e.campaign_key = ? and c.customer_id = ? "
                        + "order by e.enrollment_key",
                String.class,
                campaign,
                customerId);
        assertThat(started).as("journeys of %s in %s", customerId, campaign).hasSize(1);
        ProcessInstance running = runtimeService
                .createProcessInstanceQuery()
                .processInstanceId(started.get(0))
                .singleResult();
        assertThat(running).as("journey is running").isNotNull();
        return running;
    }

    private ProcessInstance onlyJourney(String campaign, String customerId) {
        return journeyOf(campaign, customerId);
    }
}
