package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clv module's view of predictions (V25), which segment conditions, estimates and refreshes read, and
 * whether a model was fitted. Written and read in a transaction rolled back at the end, so no other test
 * sees a fitted model it did not fit.
 */
class CustomerValueViewTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CustomerValueFits fits;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theViewShowsTheCurrentPredictionsAndAFittedModelIsKnown() {
        assertThat(ViewColumns.of(jdbc, "v_customer_value"))
                .containsExactly(
                        "customer_key",
                        "expected_purchases",
                        "probability_alive",
                        "expected_order_value",
                        "predicted_value",
                        "value_percentile");
        transactions.executeWithoutResult(tx -> {
            tx.setRollbackOnly();
            jdbc.update("delete from customer_value");
            jdbc.update("delete from clv_fit");
            assertThat(fits.hasFittedModel()).isFalse();
            OffsetDateTime now = OffsetDateTime.ofInstant(Instant.parse("2026-02-01T10:00:00Z"), ZoneOffset.UTC);
            jdbc.update(
                    "insert into clv_fit (fit_version, status, reason, calibration_end, horizon_weeks, started_at, "
                            + "duration_ms, customers, repeat_buyers) values (1, 'INSUFFICIENT_DATA', 'few', ?, 52, ?, 1, 3, 0)",
                    LocalDate.of(2026, 1, 31),
                    now);
            assertThat(fits.hasFittedModel()).isFalse();
            jdbc.update(
                    "insert into clv_fit (fit_version, status, calibration_end, horizon_weeks, started_at, "
                            + "duration_ms, customers, repeat_buyers) values (2, 'FITTED', ?, 52, ?, 1, 300, 120)",
                    LocalDate.of(2026, 1, 31),
                    now);
            jdbc.update(
                    "insert into customer_value (customer_key, fit_version, expected_purchases, probability_alive, "
                            + "expected_order_value, predicted_value, value_percentile) values (987654321, 2, 1.5, 0.8, 40, 60, 0.9)");
            assertThat(fits.hasFittedModel()).isTrue();
            assertThat(jdbc.query(
                            "select * from v_customer_value",
                            (rs, row) -> rs.getLong("customer_key") + " "
                                    + rs.getDouble("expected_purchases") + " " + rs.getDouble("probability_alive") + " "
                                    + rs.getDouble("expected_order_value") + " " + rs.getDouble("predicted_value") + " "
                                    + rs.getDouble("value_percentile")))
                    .containsExactly("987654321 1.5 0.8 40.0 60.0 0.9");
        });
    }
}
