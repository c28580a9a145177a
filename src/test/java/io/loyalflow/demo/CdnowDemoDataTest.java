package io.loyalflow.demo;

import static io.loyalflow.testsupport.TestUsers.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import io.loyalflow.testsupport.DatabaseTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

class CdnowDemoDataTest extends DatabaseTest {

    @Autowired
    OrderImporter importer;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theCdnowLogLoadsAsItsCustomersAndOrdersAndLoadingItAgainChangesNothing() throws Exception {
        CdnowDemoLoader loader = new CdnowDemoLoader(importer);
        long demoCustomersBefore = jdbc.sql("select count(*) from customer where origin = 'DEMO'")
                .query(Long.class)
                .single();
        ImportReport first = loader.load();
        assertThat(first.orders()).isEqualTo(69_659);
        // the customer-value tests of the same test database may have loaded it already
        assertThat(first.created()).isEqualTo(demoCustomersBefore == 0 ? 69_659 : 0);
        assertThat(first.rejected()).isZero();
        assertThat(first.customersCreated()).isEqualTo(demoCustomersBefore == 0 ? 23_570 : 0);

        assertThat(jdbc.sql("select count(*) from customer where origin = 'DEMO'")
                        .query(Long.class)
                        .single())
                .isEqualTo(23_570);
        assertThat(jdbc.sql("select count(*), sum(o.amount) from customer_order o join customer c "
                                + "on c.customer_key = o.customer_key where c.origin = 'DEMO'")
                        .query()
                        .singleRow()
                        .values())
                .map(value -> new BigDecimal(value.toString()).stripTrailingZeros())
                .containsExactly(BigDecimal.valueOf(69_659), dollarsInTheFile().stripTrailingZeros());

        ImportReport again = loader.load();
        assertThat(again.created()).isZero();
        assertThat(again.unchanged()).isEqualTo(69_659);
        assertThat(again.customersCreated()).isZero();

        // 00002 bought twice on 12 January 1997: $12.00 and $77.00
        clock.set(Instant.parse("1997-02-01T17:00:00Z"));
        as(SERVICE)
                .get("/api/customers/{id}", "cdnow-00002")
                .then()
                .statusCode(200)
                .body("origin", equalTo("DEMO"))
                .body("effectiveTimeZone", equalTo("America/New_York"))
                .body("features.orders", equalTo(2))
                .body("features.purchaseDays", equalTo(1))
                .body("features.totalSpend", equalTo(89.00f))
                .body("features.averageOrderValue", equalTo(44.50f))
                .body("features.usualPurchaseHour", equalTo(12))
                .body("features.daysSinceLastOrder", equalTo(20))
                .body("features.firstOrderAt", equalTo("1997-01-12T17:00:00Z"));
        as(SERVICE)
                .get("/api/orders/{id}", "cdnow-00002-19970112-2")
                .then()
                .statusCode(200)
                .body("amount", equalTo(77.00f))
                .body("items[0].quantity", equalTo(5))
                .body("items[0].unitPrice", equalTo(15.40f));
    }

    private static BigDecimal dollarsInTheFile() throws Exception {
        try (var reader = new BufferedReader(new InputStreamReader(
                new ClassPathResource(CdnowDemoLoader.RESOURCE).getInputStream(), StandardCharsets.US_ASCII))) {
            return reader.lines()
                    .skip(1)
                    .map(line -> new BigDecimal(line.trim().split("\\s+")[3]))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }
}
