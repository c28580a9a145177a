package io.loyalflow.experiment;

import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Sticky A/B assignments: a customer keeps the arm of their first assignment in an experiment for as
 * long as that arm stays open (exists with a weight above 0); a new customer, or one whose arm was
 * closed, gets the arm the hash picks ({@link Arms#assign}). Runs in the caller's transaction (the
 * journey's step), so the assignment and the step commit together.
 */
@Service
class ExperimentAssignments {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CustomerQueries customers;

    ExperimentAssignments(JdbcTemplate jdbc, Clock clock, CustomerQueries customers) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.customers = customers;
    }

    /** The customer's arm in the experiment, recorded with the journey that assigned it. */
    public String armOf(String experimentKey, String customerId, Arms arms, String processInstanceId) {
        long customerKey = customers
                .keyOf(customerId)
                .orElseThrow(
                        () -> new IllegalArgumentException("no customer '" + customerId + "' to assign an arm to"));
        List<String> recorded = jdbc.queryForList(
                "select arm from experiment_assignment where experiment_key = ? " + "and customer_key = ?",
                String.class,
                experimentKey,
                customerKey);
        if (!recorded.isEmpty() && arms.isOpen(recorded.get(0))) {
            return recorded.get(0);
        }
        String arm = arms.assign(experimentKey, customerId);
        var now = Timestamps.utc(clock.instant());
        if (recorded.isEmpty()) {
            // two journeys assigning at once: the loser's step fails on the key and its retry finds this row
            jdbc.update(
                    "insert into experiment_assignment (experiment_key, customer_key, arm, process_instance_id, "
                            + "assigned_at) values (?, ?, ?, ?, ?)",
                    experimentKey,
                    customerKey,
                    arm,
                    processInstanceId,
                    now);
        } else {
            jdbc.update(
                    "update experiment_assignment set arm = ?, process_instance_id = ?, assigned_at = ? "
                            + "where experiment_key = ? and customer_key = ?",
                    arm,
                    processInstanceId,
                    now,
                    experimentKey,
                    customerKey);
        }
        return arm;
    }

    /** How many customers each arm has in an experiment. */
    public Map<String, Long> counts(String experimentKey) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query(
                "select arm, count(*) from experiment_assignment where experiment_key = ? group by arm",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                },
                experimentKey);
        return counts;
    }
}
