package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.clv.TransactionLog.Transaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionLogTest {

    private static final LocalDate END = LocalDate.of(2025, 6, 30);

    private static Transaction purchase(String customer, String day, String amount) {
        return new Transaction(customer, LocalDate.parse(day), new BigDecimal(amount));
    }

    @Test
    void purchasesOfOneDayAreOnePurchaseAndLaterOnesDoNotCount() {
        CustomerSummaries summaries = TransactionLog.summarise(
                List.of(
                        purchase("ann", "2025-01-01", "10.00"),
                        purchase("bob", "2025-06-02", "99.00"),
                        purchase("ann", "2025-01-01", "5.00"), // same day as the first: part of it
                        purchase("ann", "2025-02-05", "20.00"),
                        purchase("ann", "2025-02-05", "1.50"), // same day: one purchase of 21.50
                        purchase("ann", "2025-03-12", "30.00"),
                        purchase("ann", "2025-07-01", "500.00"), // after the calibration period
                        purchase("cid", "2025-07-02", "7.00") // first purchase after it: not yet a customer
                        )
                        .stream(),
                END);

        assertThat(summaries.size()).isEqualTo(2);
        assertThat(summaries.id(0)).isEqualTo("ann");
        assertThat(summaries.x(0)).isEqualTo(2);
        assertThat(summaries.tx(0)).isEqualTo(70 / 7.0); // 1 January to 12 March
        assertThat(summaries.T(0)).isEqualTo(180 / 7.0); // to 30 June
        assertThat(summaries.m(0)).isEqualTo((21.50 + 30.00) / 2);
        assertThat(summaries.id(1)).isEqualTo("bob");
        assertThat(summaries.x(1)).isZero();
        assertThat(summaries.tx(1)).isZero();
        assertThat(summaries.T(1)).isEqualTo(28 / 7.0);
        assertThat(summaries.m(1)).isZero();
    }

    @Test
    void aPurchaseAtAnInstantFallsOnTheDayOfTheGivenZone() {
        Instant lateEvening = Instant.parse("2025-06-30T23:30:00Z");
        assertThat(Transaction.at("ann", lateEvening, ZoneId.of("America/New_York"), BigDecimal.ONE)
                        .day())
                .isEqualTo(LocalDate.of(2025, 6, 30));
        assertThat(Transaction.at("ann", lateEvening, ZoneId.of("Europe/Paris"), BigDecimal.ONE)
                        .day())
                .isEqualTo(LocalDate.of(2025, 7, 1));
    }
}
