package io.loyalflow.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyalflow.testsupport.DatabaseTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The stored features change all at once when a refresh has written every customer, or not at all. */
class FeatureReplacementTest extends DatabaseTest {

    private static final OffsetDateTime BEFORE = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    @Qualifier(SegmentExecutors.FEATURES_WRITER)
    AsyncTaskExecutor writerThread;

    private TransactionTemplate ownTransaction;
    private List<Long> customers;

    @BeforeEach
    void previousRefreshStoredFeatures() {
        ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        jdbc.update("delete from customer_features");
        customers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jdbc.update(
                    "insert into customer (customer_id, origin, version, created_at, updated_at) "
                            + "values (?, 'PROFILE', 1, ?, ?)",
                    "features-" + System.nanoTime() + "-" + i,
                    BEFORE,
                    BEFORE);
            customers.add(jdbc.queryForObject("select max(customer_key) from customer", Long.class));
        }
        for (long key : customers) {
            write(List.<Object[]>of(new Object[] {key, "Bronze"}));
        }
    }

    private void write(List<Object[]> rows) {
        for (Object[] row : rows) {
            jdbc.update(
                    "insert into customer_features (customer_key, orders, orders_12m, total_spend, spend_12m, "
                            + "recent_buyer, tier, computed_at) values (?, 0, 0, 0, 0, false, ?, ?)",
                    row[0],
                    row[1],
                    BEFORE);
        }
    }

    private List<String> storedTiers() {
        return jdbc.queryForList("select tier from customer_features order by customer_key", String.class);
    }

    @Test
    void readersSeeThePreviousFeaturesUntilEveryChunkIsWritten() {
        try (FeatureReplacement replacement = new FeatureReplacement(ownTransaction, jdbc, this::write, writerThread)) {
            replacement.add(List.<Object[]>of(new Object[] {customers.get(0), "Gold"}));
            replacement.add(List.<Object[]>of(new Object[] {customers.get(1), "Gold"}));
            assertThat(storedTiers()).containsExactly("Bronze", "Bronze", "Bronze");
            replacement.add(List.<Object[]>of(new Object[] {customers.get(2), "Silver"}));
            replacement.commit();
        }
        assertThat(storedTiers()).containsExactly("Gold", "Gold", "Silver");
    }

    @Test
    void aRefreshThatStopsHalfwayLeavesThePreviousFeatures() {
        try (FeatureReplacement replacement = new FeatureReplacement(ownTransaction, jdbc, this::write, writerThread)) {
            replacement.add(List.<Object[]>of(new Object[] {customers.get(0), "Gold"}));
            // the pass fails here: no commit
        }
        assertThat(storedTiers()).containsExactly("Bronze", "Bronze", "Bronze");
    }

    @Test
    void aFailingWriteIsReportedAndLeavesThePreviousFeatures() {
        try (FeatureReplacement replacement = new FeatureReplacement(ownTransaction, jdbc, this::write, writerThread)) {
            replacement.add(List.<Object[]>of(new Object[] {customers.get(0), "Gold"}));
            replacement.add(List.<Object[]>of(new Object[] {customers.get(0), "Gold"})); // the same customer twice
            assertThatThrownBy(replacement::commit)
                    .isInstanceOf(org.springframework.dao.DuplicateKeyException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("customer_features"));
        }
        assertThat(storedTiers()).containsExactly("Bronze", "Bronze", "Bronze");
    }
}
