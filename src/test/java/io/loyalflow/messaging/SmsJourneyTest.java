package io.loyalflow.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.loyalflow.customer.Channel;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reminder SMS of messaging-journey-test end to end, through the real Twilio SDK against WireMock:
 * the exact request, status callbacks waking the journey, quiet hours across zones and DST, the SMS
 * cap across journeys, STOP/START/HELP, permanent refusals, and 5xx retries ending in an incident.
 */
class SmsJourneyTest extends MessagingIntegrationTest {

    @Autowired
    private HistoryService historyService;

    @Autowired
    private Outbox outbox;

    private static final String JOURNEY = "messaging-journey-test";
    private static final String PHONE = "+12125550123";
    private static final String NEW_YORK = "America/New_York";
    private static final String TWILIO_FROM = "+15005550006";
    /** 10:00 in New York: the SMS step three days later runs inside the sending window. */
    private static final Instant MORNING_IN_NEW_YORK = Instant.parse("2026-06-01T14:00:00Z");

    // ---- a. the request, the status callbacks, signatures, unknown messages

    @Test
    void sendsTheRenderedTextThroughTheMessagingServiceWithAStatusCallback() {
        clock.set(MORNING_IN_NEW_YORK);
        String customer = newCustomer("sms-form@example.com", PHONE, NEW_YORK, true, true);
        String sid = sid();
        twilioAccepts(sid);
        ProcessInstance journey = journeyAtSmsStep(customer);

        runDueJobs(journey.getId());

        assertThat(journey).isWaitingAt("Gateway_SmsStatus");
        assertThat(variable(journey.getId(), DELIVERY_OUTCOME.name())).isEqualTo("SENT");
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());
        List<LoggedRequest> requests = twilioCalls();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Authorization"))
                .isEqualTo("Basic "
                        + Base64.getEncoder()
                                .encodeToString((TWILIO_SID + ":" + TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = form(requests.get(0));
        assertThat(form.keySet()).containsExactlyInAnyOrder("To", "Body", "MessagingServiceSid", "StatusCallback");
        assertThat(form)
                .containsEntry("To", PHONE)
                .containsEntry("MessagingServiceSid", MESSAGING_SERVICE)
                .containsEntry("StatusCallback", PUBLIC_BASE + "/webhooks/twilio/status?delivery=" + deliveryId);
        assertThat(form.get("Body"))
                .matches("Hi Ann, your code SAVE10 ends soon\\. Stop: https://loyalflow\\.example\\.com/unsubscribe/"
                        + "[A-Za-z0-9_-]{40}");
        assertThat(delivery(deliveryId))
                .containsEntry("status", "SENT")
                .containsEntry("provider", "twilio")
                .containsEntry("provider_message_id", sid)
                .containsEntry("channel", "sms")
                .containsEntry("address", PHONE)
                .containsEntry("gate_decision", "PASSED")
                .containsEntry("campaign", "reminders")
                .containsEntry("step_key", "Task_SendReminderSms#1")
                .containsEntry("content", form.get("Body"))
                .containsEntry("attempts", 1);

        postTwilio("/webhooks/twilio/status?delivery=" + deliveryId, status(sid, "delivered", null), true)
                .then()
                .statusCode(204);
        assertThat(journey).isWaitingAt("Gateway_SmsStatus"); // stored, not applied yet
        assertThat(applyWebhookEvents()).isEqualTo(1);

        assertThat(journey).isEnded().hasPassed("EndEvent_SmsDelivered");
        assertThat(delivery(deliveryId)).containsEntry("status", "DELIVERED");
        assertThat(providerEventOutcome(sid + ":delivered:")).isEqualTo("APPLIED");
    }

    @Test
    void anUndeliveredSmsToADeadNumberTakesTheFailedPathAndSuppressesTheNumber() {
        clock.set(MORNING_IN_NEW_YORK);
        String phone = "+12125550142";
        String customer = newCustomer("sms-dead@example.com", phone, NEW_YORK, true, true);
        String sid = sid();
        twilioAccepts(sid);
        ProcessInstance journey = journeyAtSmsStep(customer);
        runDueJobs(journey.getId());
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());

        Map<String, String> undelivered = new LinkedHashMap<>(status(sid, "undelivered", phone));
        undelivered.put("ErrorCode", "30005");
        postTwilio("/webhooks/twilio/status?delivery=" + deliveryId, undelivered, true)
                .then()
                .statusCode(204);
        applyWebhookEvents();

        assertThat(journey).isEnded().hasPassed("EndEvent_SmsFailed").hasNotPassed("EndEvent_SmsDelivered");
        assertThat(delivery(deliveryId)).containsEntry("status", "UNDELIVERED");
        assertThat(suppression("sms", phone)).containsEntry("reason", "INVALID_NUMBER");
    }

    @Test
    void aStatusCallbackWithABadSignatureIsRefusedAndNotStored() {
        String sid = sid();

        postTwilio("/webhooks/twilio/status?delivery=" + UUID.randomUUID(), status(sid, "delivered", PHONE), false)
                .then()
                .statusCode(403);
        Map<String, String> form = status(sid, "delivered", PHONE);
        String url = PUBLIC_BASE + "/webhooks/twilio/status";
        String signedForAnotherBody = twilioSignature(url, status(sid, "undelivered", PHONE));
        var tampered = RestAssured.given()
                .port(port)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", signedForAnotherBody);
        form.forEach(tampered::formParam);
        tampered.post("/webhooks/twilio/status").then().statusCode(403);
        var unsigned = RestAssured.given().port(port).contentType("application/x-www-form-urlencoded; charset=UTF-8");
        form.forEach(unsigned::formParam);
        unsigned.post("/webhooks/twilio/status").then().statusCode(403);

        assertThat(jdbc.queryForObject(
                        "select count(*) from provider_event where event_id like ?", Integer.class, sid + "%"))
                .isZero();
    }

    @Test
    void aStatusCallbackForAnUnknownMessageIsStoredAndReported() {
        String sid = sid();

        postTwilio("/webhooks/twilio/status", status(sid, "delivered", PHONE), true)
                .then()
                .statusCode(204);
        assertThat(providerEventOutcome(sid + ":delivered:")).isNull();
        applyWebhookEvents();

        assertThat(providerEventOutcome(sid + ":delivered:")).isEqualTo("UNKNOWN_MESSAGE");
        as(SERVICE)
                .get("/api/provider-events?outcome=UNKNOWN_MESSAGE&limit=500")
                .then()
                .statusCode(200)
                .body("eventId", hasItem(sid + ":delivered:"))
                .body("find { it.eventId == '" + sid + ":delivered:' }.source", equalTo("TWILIO_STATUS"))
                .body("find { it.eventId == '" + sid + ":delivered:' }.outcome", equalTo("UNKNOWN_MESSAGE"));
    }

    @Test
    void aStatusCallbackWithoutTheDeliveryParameterIsMatchedByTheMessageSid() {
        // e.g. the messaging service's own status callback URL, configured in Twilio's console
        clock.set(MORNING_IN_NEW_YORK);
        String customer = newCustomer("sms-by-sid@example.com", PHONE, NEW_YORK, true, true);
        String sid = sid();
        twilioAccepts(sid);
        ProcessInstance journey = journeyAtSmsStep(customer);
        runDueJobs(journey.getId());
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());

        postTwilio("/webhooks/twilio/status", status(sid, "sent", null), true)
                .then()
                .statusCode(204);
        postTwilio("/webhooks/twilio/status", status(sid, "delivered", null), true)
                .then()
                .statusCode(204);
        postTwilio("/webhooks/twilio/status", status(sid, "delivered", null), true)
                .then()
                .statusCode(204);
        assertThat(applyWebhookEvents()).isEqualTo(2);

        assertThat(journey).isEnded().hasPassed("EndEvent_SmsDelivered");
        assertThat(delivery(deliveryId)).containsEntry("status", "DELIVERED");
        assertThat(providerEventOutcome(sid + ":sent:")).isEqualTo("APPLIED");
        assertThat(providerEventOutcome(sid + ":delivered:")).isEqualTo("APPLIED");
    }

    // ---- b. quiet hours

    @Test
    void anSmsStepAtNightInNewYorkWaitsAtTheStepForEightInTheMorningThenSendsOnce() {
        clock.set(MORNING_IN_NEW_YORK);
        String customer = newCustomer("sms-night@example.com", PHONE, NEW_YORK, true, true);
        twilioAccepts(sid());
        // 22:30 in New York (EDT) three days after the start, when the SMS step runs
        ProcessInstance journey = journeyAtSmsStep(
                customer, OffsetDateTime.parse("2026-06-04T22:30:00-04:00").toInstant());

        runDueJobs(journey.getId());

        Instant opening = OffsetDateTime.parse("2026-06-05T08:00:00-04:00").toInstant();
        assertWaitingForTheWindowUntil(journey, opening, "America/New_York");

        clock.set(opening.minusSeconds(60));
        deferredSends.resumeDue();
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(twilioCalls()).isEmpty();

        clock.set(opening);
        assertThat(deferredSends.resumeDue().resumed()).isPositive();
        runDueJobs(journey.getId());

        assertSentAtTheOpening(journey, PHONE, opening);
        deferredSends.resumeDue();
        assertThat(runDueJobs(journey.getId())).isZero();
        assertThat(twilioCalls()).hasSize(1);
    }

    @Test
    void theNightOfTheSpringForwardOpensAtEightDaylightTime() {
        clock.set(OffsetDateTime.parse("2026-03-04T10:00:00-05:00").toInstant());
        String customer = newCustomer("sms-dst@example.com", PHONE, NEW_YORK, true, true);
        twilioAccepts(sid());
        // 2026-03-07 23:30 EST when the SMS step runs; clocks jump from 02:00 EST to 03:00 EDT that night
        ProcessInstance journey = journeyAtSmsStep(
                customer, OffsetDateTime.parse("2026-03-07T23:30:00-05:00").toInstant());

        runDueJobs(journey.getId());

        Instant opening = Instant.parse("2026-03-08T12:00:00Z"); // 08:00 EDT, not 08:00 EST (13:00Z)
        assertWaitingForTheWindowUntil(journey, opening, "America/New_York");
        clock.set(Instant.parse("2026-03-08T11:59:00Z"));
        deferredSends.resumeDue();
        assertThat(runDueJobs(journey.getId())).isZero();

        clock.set(opening);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());

        assertSentAtTheOpening(journey, PHONE, opening);
    }

    @Test
    void withoutAProfileZoneTheZoneOfAFrenchNumberIsParis() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("sms-paris@example.com", "+33 6 98 76 54 31", null, true, true);
        as(SERVICE)
                .get("/api/customers/{id}", customer)
                .then()
                .statusCode(200)
                .body("phone", equalTo("+33698765431"))
                .body("effectiveTimeZone", equalTo("Europe/Paris"));
        twilioAccepts(sid());
        // 20:30 UTC is inside the window in UTC (the default zone) but 22:30 in Paris (CEST)
        ProcessInstance journey = journeyAtSmsStep(customer, Instant.parse("2026-06-04T20:30:00Z"));

        runDueJobs(journey.getId());

        Instant opening = OffsetDateTime.parse("2026-06-05T08:00:00+02:00").toInstant();
        assertWaitingForTheWindowUntil(journey, opening, "Europe/Paris");

        clock.set(opening);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());

        assertSentAtTheOpening(journey, "+33698765431", opening);
    }

    // ---- c. the frequency cap across journeys

    @Test
    void aSecondJourneysSmsWithin24HoursIsDeferredUntilTheFirstLeavesTheWindow() {
        clock.set(MORNING_IN_NEW_YORK);
        String customer = newCustomer("sms-cap@example.com", PHONE, NEW_YORK, true, true);
        twilioAccepts(sid());
        sendGridAccepts("sg-cap");
        ProcessInstance first = startJourney(JOURNEY, customer, Map.of());
        ProcessInstance second = startJourney(JOURNEY, customer, Map.of());
        runDueJobs(first.getId());
        runDueJobs(second.getId());

        clock.advance(Duration.ofDays(3));
        runDueJobs(first.getId());
        assertThat(variable(first.getId(), DELIVERY_OUTCOME.name())).isEqualTo("SENT");
        Map<String, Object> firstSms = smsRows(first.getId()).get(0);
        Instant firstSentAt = instant(firstSms.get("created_at"));
        assertThat(firstSentAt).isEqualTo(MORNING_IN_NEW_YORK.plus(Duration.ofDays(3)));

        clock.advance(Duration.ofHours(5));
        runDueJobs(second.getId());

        Instant retryAt = firstSentAt.plus(Duration.ofHours(24));
        assertThat(second).isWaitingAt("Task_SendReminderSms");
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(second.getId())
                        .count())
                .isZero();
        assertThat(twilioCalls()).hasSize(1);
        Map<String, Object> deferred = smsRows(second.getId()).get(0);
        assertThat(deferred)
                .containsEntry("status", "DEFERRED")
                .containsEntry("gate_decision", "CAPPED")
                .containsEntry("step_key", "Task_SendReminderSms#1");
        assertThat((String) deferred.get("gate_detail"))
                .contains("1 sms message(s)")
                .endsWith("deferred");
        assertThat(instant(deferred.get("retry_at"))).isEqualTo(retryAt);
        assertThat(waitingVariable(second, MessagingVariables.DELIVERY_RETRY_AT.name()))
                .isEqualTo(java.util.Date.from(retryAt));

        clock.set(retryAt.minusSeconds(1));
        deferredSends.resumeDue();
        clock.set(retryAt);
        assertThat(deferredSends.resumeDue().resumed()).isPositive();
        runDueJobs(second.getId());

        assertThat(twilioCalls()).hasSize(2);
        assertThat(smsRows(second.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("status", "SENT")
                        .containsEntry("gate_decision", "PASSED")
                        .containsEntry("step_key", "Task_SendReminderSms#1")
                        .containsEntry("counted", true));
        assertThat(second).isWaitingAt("Gateway_SmsStatus");
    }

    // ---- d. inbound STOP / START / HELP

    @Test
    void anInboundStopOptsTheNumberOutAndALaterSmsStepIsSkipped() {
        clock.set(MORNING_IN_NEW_YORK);
        String phone = "+12125550177";
        String customer = newCustomer("sms-stop@example.com", phone, NEW_YORK, true, true);
        twilioAccepts(sid());
        sendGridAccepts("sg-stop");
        ProcessInstance journey = startJourney(JOURNEY, customer, Map.of());
        runDueJobs(journey.getId());

        Response answer = postTwilio("/webhooks/twilio/inbound", inbound(phone, " stop "), true);
        answer.then().statusCode(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.asString()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
        clock.advance(Duration.ofMinutes(1));
        applyWebhookEvents();

        assertThat(suppression("sms", phone)).containsEntry("reason", "STOPPED");
        assertThat(smsConsent(customer)).isEqualTo("OPTED_OUT");

        clock.advance(Duration.ofDays(3));
        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed("EndEvent_SmsNotDelivered");
        assertThat(variable(journey, DELIVERY_OUTCOME.name())).isEqualTo("SKIPPED");
        assertThat(twilioCalls()).isEmpty();
        assertThat(smsRows(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("status", "SKIPPED")
                        .containsEntry("gate_decision", "SUPPRESSED"));
    }

    @Test
    void startLiftsTheStopAndHelpChangesNothing() {
        clock.set(MORNING_IN_NEW_YORK);
        String phone = "+12125550188";
        String customer = newCustomer("sms-start@example.com", phone, NEW_YORK, true, true);
        postTwilio("/webhooks/twilio/inbound", inbound(phone, "STOP"), true)
                .then()
                .statusCode(200);
        clock.advance(Duration.ofMinutes(1));
        applyWebhookEvents();
        assertThat(smsConsent(customer)).isEqualTo("OPTED_OUT");

        clock.advance(Duration.ofMinutes(1));
        String start = sid();
        Map<String, String> startForm = new LinkedHashMap<>(inbound(phone, "Start"));
        startForm.put("MessageSid", start);
        postTwilio("/webhooks/twilio/inbound", startForm, true).then().statusCode(200);
        applyWebhookEvents();

        assertThat(jdbc.queryForList("select * from suppression where channel = 'sms' and address = ?", phone))
                .isEmpty();
        assertThat(smsConsent(customer)).isEqualTo("OPTED_IN");
        assertThat(providerEventOutcome(start)).isEqualTo("OPTED_IN");
        int consentEvents = consentEvents(customer);

        clock.advance(Duration.ofMinutes(1));
        String help = sid();
        Map<String, String> helpForm = new LinkedHashMap<>(inbound(phone, "help"));
        helpForm.put("MessageSid", help);
        postTwilio("/webhooks/twilio/inbound", helpForm, true).then().statusCode(200);
        applyWebhookEvents();

        assertThat(providerEventOutcome(help)).isEqualTo("HELP");
        assertThat(smsConsent(customer)).isEqualTo("OPTED_IN");
        assertThat(consentEvents(customer)).isEqualTo(consentEvents);
        assertThat(jdbc.queryForList("select * from suppression where channel = 'sms' and address = ?", phone))
                .isEmpty();
    }

    @Test
    void startAfterTheSmsUnsubscribeLinkResumesSms() {
        // The customer left SMS through the link in a text, then texts START to the shop's number: both are the
        // customer's own word, and the later one must win, as it does for the consent.
        clock.set(MORNING_IN_NEW_YORK);
        String phone = "+12125550166";
        String customer = newCustomer("sms-link-start@example.com", phone, NEW_YORK, true, true);
        long customerKey =
                jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, customer);
        String link = outbox.unsubscribeUrl(customerKey, Channel.SMS);
        RestAssured.given()
                .port(port)
                .contentType("application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .post(link.substring(PUBLIC_BASE.length()))
                .then()
                .statusCode(200);
        assertThat(smsConsent(customer)).isEqualTo("OPTED_OUT");

        clock.advance(Duration.ofMinutes(1));
        postTwilio("/webhooks/twilio/inbound", inbound(phone, "START"), true)
                .then()
                .statusCode(200);
        applyWebhookEvents();
        assertThat(smsConsent(customer)).isEqualTo("OPTED_IN");
        twilioAccepts(sid());
        ProcessInstance journey = journeyAtSmsStep(customer);
        runDueJobs(journey.getId());

        assertThat(smsRows(journey.getId()))
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsEntry("gate_decision", "PASSED").containsEntry("status", "SENT"));
        assertThat(jdbc.queryForList("select * from suppression where channel = 'sms' and address = ?", phone))
                .isEmpty();
    }

    // ---- e. a permanent refusal

    @Test
    void twilioRefusingAnUnsubscribedRecipientFailsTheStepAndSuppressesTheNumber() {
        clock.set(MORNING_IN_NEW_YORK);
        String phone = "+12125550199";
        String customer = newCustomer("sms-21610@example.com", phone, NEW_YORK, true, true);
        twilioAnswers(400, 21610, "Attempt to send to unsubscribed recipient");
        ProcessInstance journey = journeyAtSmsStep(customer);

        runDueJobs(journey.getId());

        assertThat(journey).isEnded().hasPassed("EndEvent_SmsNotDelivered");
        assertThat(variable(journey, DELIVERY_OUTCOME.name())).isEqualTo("FAILED");
        assertThat(twilioCalls()).hasSize(1);
        assertThat(smsRows(journey.getId())).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("status", "FAILED").containsEntry("gate_decision", "PASSED");
            assertThat((String) row.get("error")).contains("21610");
        });
        assertThat(suppression("sms", phone)).containsEntry("reason", "STOPPED");
    }

    // ---- f. 5xx: one request per attempt, retries, incident, operator retry

    @Test
    void aTwilio500IsRetriedAlongTheRetryCycleThenAnIncidentThatAnOperatorRetries() {
        clock.set(MORNING_IN_NEW_YORK);
        String customer = newCustomer("sms-500@example.com", PHONE, NEW_YORK, true, true);
        twilioAnswers(500, 20500, "Internal Server Error");
        ProcessInstance journey = journeyAtSmsStep(customer);
        Job job = onlyJob(journey.getId());
        String deliveryId = null;

        int attempts = 0;
        List<Duration> waits = new ArrayList<>();
        while (runtimeService
                        .createIncidentQuery()
                        .processInstanceId(journey.getId())
                        .count()
                == 0) {
            assertThat(attempts).as("attempts before the incident").isLessThan(10);
            Job due = managementService.createJobQuery().jobId(job.getId()).singleResult();
            if (due.getDuedate() != null && due.getDuedate().toInstant().isAfter(clock.instant())) {
                clock.set(due.getDuedate().toInstant().plusSeconds(1));
            }
            assertThat(managementService
                            .createJobQuery()
                            .jobId(job.getId())
                            .executable()
                            .count())
                    .isEqualTo(1);
            assertThatThrownBy(() -> managementService.executeJob(job.getId()))
                    .hasMessageContaining("nothing was sent, the job will try again");
            attempts++;
            assertThat(twilioCalls()).as("one request per attempt").hasSize(attempts);
            List<Map<String, Object>> rows = smsRows(journey.getId());
            assertThat(rows).singleElement().satisfies(row -> assertThat(row).containsEntry("status", "RETRYABLE"));
            deliveryId = (String) rows.get(0).get("delivery_id");
            Job failed = managementService.createJobQuery().jobId(job.getId()).singleResult();
            if (failed.getRetries() > 0) {
                waits.add(Duration.between(clock.instant(), failed.getDuedate().toInstant()));
            }
        }

        // the engine's default retry cycle PT1M,PT5M,PT20M,PT1H: the first try and four retries
        assertThat(attempts).isEqualTo(5);
        assertThat(waits)
                .containsExactly(
                        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(20), Duration.ofHours(1));
        String failedDelivery = deliveryId;
        List<Incident> incidents = runtimeService
                .createIncidentQuery()
                .processInstanceId(journey.getId())
                .list();
        assertThat(incidents).singleElement().satisfies(incident -> {
            assertThat(incident.getActivityId()).isEqualTo("Task_SendReminderSms");
            assertThat(incident.getIncidentMessage()).contains("did not take delivery " + failedDelivery);
        });
        assertThat(delivery(deliveryId)).containsEntry("status", "RETRYABLE");

        String sid = sid();
        twilioAccepts(sid);
        managementService.setJobRetries(job.getId(), 1);
        managementService.executeJob(job.getId());

        assertThat(runtimeService
                        .createIncidentQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(journey).isWaitingAt("Gateway_SmsStatus");
        assertThat(twilioCalls()).hasSize(attempts + 1);
        assertThat(delivery(deliveryId))
                .containsEntry("status", "SENT")
                .containsEntry("provider_message_id", sid)
                .containsEntry("attempts", attempts + 1)
                .containsEntry("step_key", "Task_SendReminderSms#1");
        assertThat(smsRows(journey.getId())).hasSize(1);
    }

    @Test
    void aRetryThatWouldSendDuringQuietHoursWaitsForTheMorningInstead() {
        clock.set(OffsetDateTime.parse("2026-06-01T20:59:00-04:00").toInstant());
        String customer = newCustomer("sms-retry-night@example.com", PHONE, NEW_YORK, true, true);
        twilioAnswers(503, 20503, "Service Unavailable");
        ProcessInstance journey = journeyAtSmsStep(customer);
        Job job = onlyJob(journey.getId());
        assertThatThrownBy(() -> managementService.executeJob(job.getId())).isInstanceOf(RetryableSendException.class);
        assertThat(twilioCalls()).hasSize(1);

        twilioAccepts(sid());
        clock.set(managementService
                .createJobQuery()
                .jobId(job.getId())
                .singleResult()
                .getDuedate()
                .toInstant());
        managementService.executeJob(job.getId()); // 21:00 in New York: the window has closed

        Instant opening = OffsetDateTime.parse("2026-06-05T08:00:00-04:00").toInstant();
        assertThat(twilioCalls()).hasSize(1);
        assertThat(journey).isWaitingAt("Task_SendReminderSms");
        assertThat(smsRows(journey.getId())).singleElement().satisfies(row -> {
            assertThat(row)
                    .containsEntry("status", "DEFERRED")
                    .containsEntry("gate_decision", "QUIET_HOURS")
                    .containsEntry("counted", false);
            assertThat(instant(row.get("retry_at"))).isEqualTo(opening);
        });
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();

        clock.set(opening);
        deferredSends.resumeDue();
        runDueJobs(journey.getId());

        assertThat(twilioCalls()).hasSize(2);
        assertThat(smsRows(journey.getId()))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("status", "SENT")
                        .containsEntry("step_key", "Task_SendReminderSms#1")
                        .containsEntry("attempts", 2));
    }

    // ---- helpers

    /** Starts the journey, sends its e-mail, and passes the 3-day timer: the SMS step's job is due. */
    private ProcessInstance journeyAtSmsStep(String customer) {
        return journeyAtSmsStep(customer, clock.instant().plus(Duration.ofDays(3)));
    }

    /** Starts the journey now (a daytime moment: its e-mail goes out), and reaches the SMS step at {@code smsStep}. */
    private ProcessInstance journeyAtSmsStep(String customer, Instant smsStep) {
        sendGridAccepts("sg-" + UUID.randomUUID());
        ProcessInstance journey = startJourney(JOURNEY, customer, Map.of());
        runDueJobs(journey.getId());
        assertThat(journey).isWaitingAt("Gateway_Opened");
        clock.set(smsStep);
        Job timer = managementService
                .createJobQuery()
                .processInstanceId(journey.getId())
                .timers()
                .executable()
                .singleResult();
        assertThat(timer).as("the 3-day timer is due").isNotNull();
        managementService.executeJob(timer.getId());
        assertThat(journey).isWaitingAt("Task_SendReminderSms");
        return journey;
    }

    /** The journey waits at the SMS step (no job, nothing sent), which shows when and why. */
    private void assertWaitingForTheWindowUntil(ProcessInstance journey, Instant opening, String zone) {
        assertThat(journey).isWaitingAt("Task_SendReminderSms");
        assertThat(managementService
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
        assertThat(twilioCalls()).isEmpty();
        assertThat(variable(journey, DELIVERY_OUTCOME.name()))
                .as("the e-mail's outcome, untouched")
                .isEqualTo("SENT");
        Map<String, Object> row = smsRows(journey.getId()).get(0);
        assertThat(row)
                .containsEntry("status", "DEFERRED")
                .containsEntry("gate_decision", "QUIET_HOURS")
                .containsEntry("step_key", "Task_SendReminderSms#1")
                .containsEntry("counted", false);
        assertThat((String) row.get("gate_detail")).isEqualTo("outside 08:00-21:00 in " + zone);
        assertThat(instant(row.get("retry_at"))).isEqualTo(opening);
        assertThat(waitingVariable(journey, MessagingVariables.DELIVERY_RETRY_AT.name()))
                .isEqualTo(java.util.Date.from(opening));
        assertThat(waitingVariable(journey, MessagingVariables.DELIVERY_DEFERRED_BECAUSE.name()))
                .isEqualTo("outside 08:00-21:00 in " + zone);
    }

    /** Sent once, by the step's one delivery, at the window's opening; the journey went on. */
    private void assertSentAtTheOpening(ProcessInstance journey, String phone, Instant opening) {
        assertThat(journey).isWaitingAt("Gateway_SmsStatus");
        assertThat(variable(journey, DELIVERY_OUTCOME.name())).isEqualTo("SENT");
        assertThat(twilioCalls()).hasSize(1);
        assertThat(form(twilioCalls().get(0))).containsEntry("To", phone);
        Map<String, Object> row = smsRows(journey.getId()).get(0);
        assertThat(smsRows(journey.getId())).hasSize(1);
        assertThat(row)
                .containsEntry("status", "SENT")
                .containsEntry("gate_decision", "PASSED")
                .containsEntry("step_key", "Task_SendReminderSms#1")
                .containsEntry("counted", true)
                .containsEntry("waiting_execution_id", null);
        assertThat(instant(row.get("sent_at"))).isEqualTo(opening);
        assertThat(variable(journey, DELIVERY_ID.name())).isEqualTo(row.get("delivery_id"));
    }

    /** A variable of the send task the journey waits at. */
    private Object waitingVariable(ProcessInstance journey, String name) {
        String execution = runtimeService.getActivityInstance(journey.getId())
                .getActivityInstances("Task_SendReminderSms")[0]
                .getExecutionIds()[0];
        return runtimeService.getVariableLocal(execution, name);
    }

    /** A journey's variable, also once it ended (from history). */
    private Object variable(ProcessInstance journey, String name) {
        return historyService
                .createHistoricVariableInstanceQuery()
                .processInstanceId(journey.getId())
                .variableName(name)
                .singleResult()
                .getValue();
    }

    private List<Map<String, Object>> smsRows(String processInstanceId) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : deliveriesOf(processInstanceId)) {
            if ("sms".equals(row.get("channel"))) {
                rows.add(row);
            }
        }
        return rows;
    }

    private List<LoggedRequest> twilioCalls() {
        return PROVIDERS.findAll(postRequestedFor(urlEqualTo(TWILIO_SEND)));
    }

    private Map<String, Object> suppression(String channel, String address) {
        return jdbc.queryForMap("select * from suppression where channel = ? and address = ?", channel, address);
    }

    private String smsConsent(String customer) {
        return as(SERVICE)
                .get("/api/customers/{id}", customer)
                .then()
                .statusCode(200)
                .extract()
                .path("consents.sms.status");
    }

    private int consentEvents(String customer) {
        return jdbc.queryForObject(
                "select count(*) from customer_consent_event e join customer c "
                        + "on c.customer_key = e.customer_key where c.customer_id = ?",
                Integer.class,
                customer);
    }

    private String providerEventOutcome(String eventId) {
        return jdbc.queryForObject("select outcome from provider_event where event_id = ?", String.class, eventId);
    }

    private static Map<String, String> status(String sid, String status, String to) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("MessageStatus", status);
        form.put("SmsStatus", status);
        form.put("AccountSid", TWILIO_SID);
        form.put("MessagingServiceSid", MESSAGING_SERVICE);
        form.put("From", TWILIO_FROM);
        form.put("To", to == null ? PHONE : to);
        form.put("ApiVersion", "2010-04-01");
        return form;
    }

    private static Map<String, String> inbound(String from, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid());
        form.put("AccountSid", TWILIO_SID);
        form.put("MessagingServiceSid", MESSAGING_SERVICE);
        form.put("From", from);
        form.put("To", TWILIO_FROM);
        form.put("Body", body);
        form.put("NumMedia", "0");
        return form;
    }

    private static String sid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            String previous = form.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            assertThat(previous)
                    .as("parameter %s sent once", pair.substring(0, eq))
                    .isNull();
        }
        return form;
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant();
        }
        throw new AssertionError("not a timestamp: " + value + (value == null ? "" : " (" + value.getClass() + ")"));
    }
}
