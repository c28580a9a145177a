package io.loyalflow.clv;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.startsWith;

import io.loyalflow.order.OrderImporter;
import io.loyalflow.testsupport.DatabaseTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The customer-value model fitted through the API on the stored CDNOW demo orders: versions,
 * predictions per customer, the predictive best-customer segment, and every refusal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomerValueFitTest extends DatabaseTest {

    private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    OrderImporter importer;

    @BeforeEach
    void demoDataLoadedAndNoFitRunning() throws Exception {
        // loading again changes nothing; other test classes may have loaded it already
        new io.loyalflow.demo.CdnowDemoAccess(importer).load();
        jdbc.update("update clv_fit_claim set running_id = null, running_since = null");
    }

    private JsonPath fit(Object body) {
        return exact(as(ANALYST)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/models/clv/fit")
                .then()
                .statusCode(201)
                .extract()
                .asString());
    }

    /** JSON numbers as doubles (RestAssured reads them as floats by default: 7 digits). */
    private static JsonPath exact(String json) {
        return JsonPath.from(json)
                .using(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private long fits() {
        return jdbc.queryForObject("select count(*) from clv_fit", Long.class);
    }

    @Test
    @Order(1)
    void aFitOnTheDemoOrdersMatchesTheModelFittedDirectlyOnTheFileAndStoresAPredictionPerCustomer() throws Exception {
        JsonPath fit = fit(Map.of("calibrationEnd", CALIBRATION_END.toString()));

        ModelFit<BgNbd> expectedPurchases = BgNbd.fit(masterSummaries());
        ModelFit<GammaGamma> expectedSpend = GammaGamma.fit(masterSummaries());
        assertThat(fit.getString("status")).isEqualTo("FITTED");
        assertThat(fit.getString("calibrationEnd")).isEqualTo("1997-09-30");
        assertThat(fit.getInt("customers")).isEqualTo(23_570);
        assertThat(fit.getInt("repeatBuyers")).isEqualTo(masterSummaries().repeatBuyers());
        assertThat(fit.getDouble("purchaseModel.r"))
                .isCloseTo(expectedPurchases.model().r(), within(1e-6));
        assertThat(fit.getDouble("purchaseModel.alpha"))
                .isCloseTo(expectedPurchases.model().alpha(), within(1e-5));
        assertThat(fit.getDouble("purchaseModel.a"))
                .isCloseTo(expectedPurchases.model().a(), within(1e-6));
        assertThat(fit.getDouble("purchaseModel.b"))
                .isCloseTo(expectedPurchases.model().b(), within(1e-5));
        assertThat(fit.getDouble("purchaseModel.logLikelihood"))
                .isCloseTo(expectedPurchases.logLikelihood(), within(1e-3));
        assertThat(fit.getBoolean("purchaseModel.converged")).isTrue();
        assertThat(fit.getDouble("spendModel.p"))
                .isCloseTo(expectedSpend.model().p(), within(1e-5));
        assertThat(fit.getDouble("spendModel.q"))
                .isCloseTo(expectedSpend.model().q(), within(1e-5));
        assertThat(fit.getDouble("spendModel.v"))
                .isCloseTo(expectedSpend.model().v(), within(1e-4));
        assertThat(fit.getBoolean("spendModel.converged")).isTrue();
        assertThat(fit.getMap("purchaseModel.standardErrors")).containsOnlyKeys("r", "alpha", "a", "b");
        assertThat(fit.getInt("scored")).isEqualTo(23_570);
        long version = fit.getLong("version");

        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_value where fit_version = ?", Long.class, version))
                .isEqualTo(23_570L);
        assertThat(jdbc.queryForObject("select count(*) from customer_value", Long.class))
                .isEqualTo(23_570L);

        // 00002 bought twice on one day in January 1997 and never again: no repeat purchase by the end
        JsonPath customer = exact(as(SERVICE)
                .get("/api/customers/{id}/value", "cdnow-00002")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(customer.getLong("fitVersion")).isEqualTo(version);
        assertThat(customer.getDouble("probabilityAlive")).isEqualTo(1.0);
        assertThat(customer.getDouble("expectedOrderValue"))
                .isCloseTo(expectedSpend.model().populationMeanValue(), within(1e-6));
        assertThat(customer.getDouble("predictedValue"))
                .isCloseTo(
                        customer.getDouble("expectedPurchases") * customer.getDouble("expectedOrderValue"),
                        within(1e-6));

        // the customer's view carries it too, next to the purchase features
        JsonPath view = exact(as(SERVICE)
                .get("/api/customers/{id}", "cdnow-00002")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(view.getLong("valuePrediction.fitVersion")).isEqualTo(version);
        assertThat(view.getDouble("valuePrediction.predictedValue")).isEqualTo(customer.getDouble("predictedValue"));
        assertThat(view.getString("valuePrediction.calibrationEnd")).isEqualTo("1997-09-30");

        as(ANALYST).get("/api/models/clv/fits/current").then().statusCode(200).body("version", equalTo((int) version));
        as(ANALYST)
                .get("/api/models/clv/fits/{v}", version)
                .then()
                .statusCode(200)
                .body("status", equalTo("FITTED"));
    }

    @Test
    @Order(2)
    void thePredictiveBestCustomersAreTheTopQuarterByPredictedValue() {
        as(ADMIN).post("/api/segments/refresh").then().statusCode(200);

        long topQuarter =
                jdbc.queryForObject("select count(*) from customer_value where value_percentile >= 0.75", Long.class);
        assertThat(topQuarter).isBetween(5_000L, 6_000L);
        assertThat(jdbc.queryForObject(
                        "select count(*) from segment_membership where segment_id = "
                                + "'best-customers-predictive' and left_at is null",
                        Long.class))
                .isEqualTo(topQuarter);
        assertThat(jdbc.queryForObject("""
        select count(*) from segment_membership m join customer_value v on v.customer_key = m.customer_key
        where m.segment_id = 'best-customers-predictive' and m.left_at is null and v.value_percentile < 0.75
        """, Long.class)).isZero();

        String best = jdbc.queryForObject("""
        select c.customer_id from customer_value v join customer c on c.customer_key = v.customer_key
        order by v.predicted_value desc, c.customer_id fetch first 1 rows only
        """, String.class);
        String justBefore = best.substring(0, best.length() - 1) + (char) (best.charAt(best.length() - 1) - 1);
        as(ANALYST)
                .get("/api/segments/best-customers-predictive/members?after={after}&limit=1", justBefore)
                .then()
                .statusCode(200)
                .body("items[0].customerId", equalTo(best));
        as(ANALYST)
                .get("/api/segments/best-customers-predictive/members?limit=10")
                .then()
                .statusCode(200)
                .body("items.customerId", everyItem(startsWith("cdnow-")));

        // the estimate of both variants, by segment, split by reachable channel: the demo customers have no e-mail
        // address or phone, so none is reachable, while all count in the size as the seed's estimate does
        long standard = jdbc.queryForObject(
                "select count(*) from segment_membership where segment_id = " + "'best-customers' and left_at is null",
                Long.class);
        as(ANALYST)
                .body(Map.of("segment", "best-customers-predictive"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo((int) topQuarter))
                .body("reachableByEmail", equalTo(0))
                .body("reachableBySms", equalTo(0));
        as(ANALYST)
                .body(Map.of("segment", "best-customers"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo((int) standard));
        as(ANALYST)
                .body(Map.of(
                        "segment",
                        "best-customers-predictive",
                        "conditions",
                        Map.of("field", "probabilityAlive", "op", "gte", "value", 0.5)))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo(jdbc.queryForObject("""
            select count(*) from segment_membership m join customer_value v on v.customer_key = m.customer_key
            where m.segment_id = 'best-customers-predictive' and m.left_at is null and v.probability_alive >= 0.5
            """, Integer.class)));
        as(ANALYST)
                .body(Map.of("segment", "no-such-segment"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("segment"));
        as(ANALYST)
                .body(Map.of("segment", "best-customers", "decision", "best-customer"))
                .post("/api/segments/estimate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("segment"));

        // predictions are condition fields too
        as(ANALYST)
                .contentType(ContentType.JSON)
                .body(Map.of("conditions", Map.of("field", "predictedValuePercentile", "op", "gte", "value", 0.75)))
                .post("/api/segments/estimate")
                .then()
                .statusCode(200)
                .body("size", equalTo((int) topQuarter));
    }

    @Test
    @Order(3)
    void tooLittleHistoryIsRecordedAndLeavesThePredictionsInPlace() {
        long current = jdbc.queryForObject("select max(fit_version) from customer_value", Long.class);

        JsonPath fit = fit(Map.of("calibrationEnd", "1997-01-01"));

        assertThat(fit.getString("status")).isEqualTo("INSUFFICIENT_DATA");
        assertThat(fit.getString("reason")).contains("0 repeat buyers, at least 100 needed");
        assertThat(fit.getInt("customers")).isPositive();
        assertThat(fit.getMap("purchaseModel")).isNull();
        assertThat(jdbc.queryForObject(
                        "select count(*) from customer_value where fit_version = ?", Long.class, current))
                .isEqualTo(23_570L);
        as(ANALYST).get("/api/models/clv/fits/current").then().statusCode(200).body("version", equalTo((int) current));
        as(ANALYST)
                .get("/api/models/clv/fits")
                .then()
                .statusCode(200)
                .body("[0].status", equalTo("INSUFFICIENT_DATA"))
                .body("[0].version", equalTo(fit.getInt("version")));
    }

    @Test
    @Order(4)
    void badRequestsAreRefusedAndStoreNothing() {
        long before = fits();

        as(ANALYST)
                .contentType(ContentType.JSON)
                .body(Map.of("calibrationEnd", "30.09.1997"))
                .post("/api/models/clv/fit")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("calibrationEnd"));
        clock.set(java.time.Instant.parse("2026-11-23T12:00:00Z"));
        as(ANALYST)
                .contentType(ContentType.JSON)
                .body(Map.of("calibrationEnd", "2026-11-24"))
                .post("/api/models/clv/fit")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("calibrationEnd"))
                .body("errors[0].message", startsWith("must not be after today"));
        clock.reset();
        jdbc.update(
                "update clv_fit_claim set running_id = 'other-node', running_since = ?",
                java.time.OffsetDateTime.now());
        as(ANALYST)
                .contentType(ContentType.JSON)
                .body(Map.of("calibrationEnd", "1997-09-30"))
                .post("/api/models/clv/fit")
                .then()
                .statusCode(409);

        assertThat(fits()).isEqualTo(before);
        as(ANALYST).get("/api/models/clv/fits/{v}", 999_999).then().statusCode(404);
        as(ANALYST)
                .get("/api/models/clv/fits/{v}", "latest")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("version"));
        as(SERVICE).get("/api/customers/{id}/value", "nobody-like-this").then().statusCode(404);
        as(ANALYST).get("/api/customers/{id}/value", "cdnow-00002").then().statusCode(403);
        anonymous()
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/models/clv/fit")
                .then()
                .statusCode(401);
    }

    private static CustomerSummaries master;

    /** The master file's customers as the model sees them, read straight from the file (not the database). */
    private static synchronized CustomerSummaries masterSummaries() throws Exception {
        if (master == null) {
            master = readMaster();
        }
        return master;
    }

    private static CustomerSummaries readMaster() throws Exception {
        try (var reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource("demo/CDNOW_master.txt").getInputStream(), StandardCharsets.US_ASCII))) {
            List<TransactionLog.Transaction> transactions = reader.lines()
                    .skip(1)
                    .map(String::trim)
                    .filter(line -> !line.isEmpty())
                    .map(line -> line.split("\\s+"))
                    .map(fields -> new TransactionLog.Transaction(
                            "cdnow-" + fields[0],
                            LocalDate.parse(fields[1], java.time.format.DateTimeFormatter.BASIC_ISO_DATE),
                            new BigDecimal(fields[3])))
                    .toList();
            return TransactionLog.summarise(transactions.stream(), CALIBRATION_END);
        }
    }
}
