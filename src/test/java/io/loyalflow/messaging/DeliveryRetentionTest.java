package io.loyalflow.messaging;

import static io.loyalflow.messaging.MessagingVariables.DELIVERY_ID;
import static io.loyalflow.platform.db.Timestamps.utc;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.platform.retention.RetentionCleanup;
import io.loyalflow.platform.retention.RetentionProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Messaging's retention of deliveries: a webhook event for a delivery retention deleted is stored and reported, not
 * failed; bounded batches; a period shorter than the frequency caps' window refuses the start. The rows made old
 * here are dated 1979–1980, so the cutoffs reach no other test's rows.
 */
class DeliveryRetentionTest extends MessagingIntegrationTest {

    private static final Instant AGED = Instant.parse("1980-01-01T00:00:00Z");

    @Autowired
    DeliveryRetention deliveries;

    @Autowired
    MessagingProperties messaging;

    @Test
    void anOpenArrivingForADeletedDeliveryIsStoredAndReportedAsUnknownMessageAndWakesNobody() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("long.ago@example.com", null, null, true, false);
        sendGridAccepts("sg-retention");
        ProcessInstance journey = startJourney("messaging-journey-test", customer, Map.of());
        runDueJobs(journey.getId());
        String deliveryId = (String) variable(journey.getId(), DELIVERY_ID.name());
        jdbc.update("update delivery set created_at = ? where delivery_id = ?", utc(AGED), deliveryId);

        RetentionCleanup.Batch batch = deliveries.deleteBatch(AGED.plusSeconds(1), 1000);

        assertThat(batch.rows()).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "select count(*) from delivery where delivery_id = ?", Integer.class, deliveryId))
                .isZero();
        String eventId = "open-after-retention-" + UUID.randomUUID();
        postSendGridEvents("[" + sendGridEvent("open", deliveryId, "long.ago@example.com", eventId, null) + "]")
                .then()
                .statusCode(200);
        applyWebhookEvents();

        as(SERVICE)
                .get("/api/provider-events?outcome=UNKNOWN_MESSAGE&limit=500")
                .then()
                .statusCode(200)
                .body("find { it.eventId == '" + eventId + "' }.outcome", equalTo("UNKNOWN_MESSAGE"));
        assertThat(journey).isWaitingAt("Gateway_Opened");
        as(SERVICE).get("/api/deliveries/{id}", deliveryId).then().statusCode(404);
    }

    @Test
    void moreExpiredDeliveriesThanABatchTakeSeveralBatchesEachWithItsEvents() {
        clock.set(Instant.parse("2026-06-01T10:00:00Z"));
        String customer = newCustomer("seven@example.com", null, null, true, false);
        long customerKey =
                jdbc.queryForObject("select customer_key from customer where customer_id = ?", Long.class, customer);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 7; i++) {
            Instant created = AGED.minus(Duration.ofDays(30)).plusSeconds(i);
            jdbc.update(
                    "insert into delivery (delivery_id, customer_key, channel, test, gate_decision, status, counted, "
                            + "attempts, created_at, updated_at) values (?, ?, 'EMAIL', false, 'SEND', 'DELIVERED', "
                            + "true, 1, ?, ?)",
                    tag + "-" + i,
                    customerKey,
                    utc(created),
                    utc(created));
            for (String kind : List.of("PROCESSED", "DELIVERED")) {
                jdbc.update(
                        "insert into delivery_event (delivery_id, kind, occurred_at, recorded_at) values (?, ?, ?, ?)",
                        tag + "-" + i,
                        kind,
                        utc(created),
                        utc(created));
            }
        }

        List<RetentionCleanup.Batch> batches = new ArrayList<>();
        RetentionCleanup.Batch batch;
        do {
            batch = deliveries.deleteBatch(AGED.minus(Duration.ofDays(1)), 3);
            batches.add(batch);
        } while (batch.rows() == 3);

        assertThat(batches)
                .extracting(RetentionCleanup.Batch::rows)
                .as("the oldest first, three at a time")
                .containsExactly(3, 3, 1);
        assertThat(batches.get(0).byTable()).containsEntry("delivery_event", 6);
        assertThat(jdbc.queryForObject(
                        "select count(*) from delivery where customer_key = ?", Integer.class, customerKey))
                .isZero();
    }

    @Test
    void aRetentionShorterThanTheFrequencyCapsWindowRefusesTheStartNamingTheSetting() {
        RetentionProperties tooShort =
                new RetentionProperties(null, null, null, null, Duration.ofDays(3), null, null, null, null);

        assertThatThrownBy(() -> new DeliveryRetention(null, tooShort, messaging))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loyalflow.retention.deliveries is 3d")
                .hasMessageContaining("at least 7d")
                .hasMessageContaining("loyalflow.messaging.email-cap.window");
    }
}
