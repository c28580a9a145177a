package io.loyalflow.journey;

import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.MONITORING;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code loyalflow_journeys_exits_total} counts every journey that ended, as Prometheus scrapes it,
 * including journeys whose template ends within their start (before their enrollment row exists).
 */
class JourneyExitMetricsTest extends IntegrationTest {

    private String scrape() {
        return as(MONITORING)
                .get("/actuator/prometheus")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The value of a counter's sample for this campaign and outcome, or 0 when Prometheus has none yet. */
    private static double sample(String scrape, String counter, String campaign, String outcome) {
        return scrape.lines()
                .filter(line -> line.startsWith(counter + "{")
                        && line.contains("campaign=\"" + campaign + "\"")
                        && line.contains("outcome=\"" + outcome + "\""))
                .findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElse(0.0);
    }

    @Test
    void journeysThatEndWithinTheirStartAreCountedAsExits() {
        processEngine
                .getRepositoryService()
                .createDeployment()
                .name("ends-at-once-test")
                .enableDuplicateFiltering(true)
                .addClasspathResource("journey/ends-at-once-test.bpmn")
                .deploy();
        String campaign = "ends-" + UUID.randomUUID().toString().substring(0, 8);
        as(ANALYST)
                .body(Map.of(
                        "id",
                        campaign,
                        "name",
                        "Ends at once",
                        "template",
                        "ends-at-once-test",
                        "settings",
                        Map.of("trigger", Map.of("type", "API_ONLY"))))
                .post("/api/campaigns")
                .then()
                .statusCode(201);
        as(ANALYST).post("/api/campaigns/{id}/activate", campaign).then().statusCode(200);
        String exits = "loyalflow_journeys_exits_total";
        assertThat(sample(scrape(), exits, campaign, "NOTHING_TO_DO")).isZero();

        for (int i = 0; i < 2; i++) {
            String customer = "ends-" + UUID.randomUUID();
            as(SERVICE)
                    .body(Map.of("email", customer + "@example.com"))
                    .put("/api/customers/{id}", customer)
                    .then()
                    .statusCode(201);
            as(SERVICE)
                    .body(Map.of("customerId", customer))
                    .post("/api/campaigns/{id}/enrollments", campaign)
                    .then()
                    .statusCode(201);
        }

        String scrape = scrape();
        assertThat(sample(scrape, "loyalflow_journeys_entries_total", campaign, "ENROLLED"))
                .isEqualTo(2.0);
        assertThat(sample(scrape, exits, campaign, "NOTHING_TO_DO"))
                .as("exits of journeys that ended within their start")
                .isEqualTo(2.0);
        assertThat(processEngine
                        .getHistoryService()
                        .createHistoricProcessInstanceQuery()
                        .processDefinitionKey("ends-at-once-test")
                        .processInstanceBusinessKeyLike(campaign + ":%")
                        .completed()
                        .count())
                .isEqualTo(2);
    }
}
