package io.loyalflow.segment;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.IntegrationTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An analyst changes a threshold in value-tier.dmn and deploys it from Camunda Modeler (the engine
 * REST API): the next refresh applies it, without a restart. Runs in a JVM of its own ("isolated"):
 * Camunda's REST API finds its engine in a static registry, which the first Spring context of a
 * shared test JVM would own.
 */
@Tag("isolated")
class DecisionRedeploymentTest extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aValueTierTableRedeployedFromTheModelerAppliesFromTheNextRefresh() throws Exception {
        clock.set(Instant.parse("2026-06-15T10:00:00Z"));
        String original = Files.readString(Path.of("dmn/value-tier.dmn"));
        String cheaperSilver = original.replace("&gt;= 150", "&gt;= 20");
        assertThat(cheaperSilver).isNotEqualTo(original);
        String small = "redeploy-" + UUID.randomUUID();
        as(SERVICE)
                .body(Map.of(
                        "orderId",
                        "o-" + UUID.randomUUID(),
                        "customerId",
                        small,
                        "placedAt",
                        "2026-06-10T12:00:00Z",
                        "amount",
                        new BigDecimal("25.00"),
                        "currency",
                        "USD",
                        "items",
                        List.of(Map.of("sku", "SKU-1", "quantity", 1, "unitPrice", new BigDecimal("25.00")))))
                .post("/api/orders")
                .then()
                .statusCode(201);
        int version = versionUsed(refresh());
        assertThat(tierOf(small)).isEqualTo("Bronze");

        deployAsModeler(cheaperSilver);
        Map<String, Object> summary = refresh();
        assertThat(versionUsed(summary)).isEqualTo(version + 1);
        assertThat(tierOf(small)).isEqualTo("Silver");

        deployAsModeler(original);
        refresh();
        assertThat(tierOf(small)).isEqualTo("Bronze");
    }

    private Map<String, Object> refresh() {
        return as(SERVICE)
                .post("/api/segments/refresh")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }

    private static int versionUsed(Map<String, Object> summary) {
        return (Integer) ((Map<?, ?>) summary.get("decisionVersions")).get("value-tier");
    }

    private String tierOf(String customerId) {
        return jdbc.queryForObject(
                "select t.tier from customer_tier t join customer c on c.customer_key = t.customer_key "
                        + "where c.customer_id = ?",
                String.class,
                customerId);
    }

    /** What Camunda Modeler sends when an analyst clicks "Deploy". */
    private void deployAsModeler(String dmn) {
        as(ADMIN)
                .contentType("multipart/form-data")
                .multiPart("deployment-name", "value-tier")
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart("deploy-changed-only", "true")
                .multiPart(
                        "value-tier.dmn",
                        "value-tier.dmn",
                        dmn.getBytes(StandardCharsets.UTF_8),
                        "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(200);
    }
}
