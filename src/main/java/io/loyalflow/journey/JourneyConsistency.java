package io.loyalflow.journey;

import io.loyalflow.customer.CustomerQueries;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.engine.JourneyStartVariables;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds journeys and enrollments that do not belong together, repairs what can be repaired and
 * reports the rest (for operators: at start, daily, and on demand).
 *
 * <ul>
 *   <li>An enrollment that has not exited but whose journey is not running: if the engine's history
 *       shows the journey ended, its exit is recorded with the outcome history gives. If the journey
 *       never existed (an entry whose process instance was rolled back while its enrollment
 *       committed), the enrollment is closed as {@code LOST}, the customer is free again and the lost
 *       entry no longer counts for the re-entry policy; an entry caused by a segment event gives the
 *       event back, so the next campaign-entry run enters the customer; recurring entries enter
 *       them at the next period; an entry another service requested is reported, to be requested again.</li>
 *   <li>A running journey (a process instance carrying an enrollment key) without its enrollment row:
 *       the enrollment is recorded from the journey's variables, unless the customer is in another
 *       journey of the campaign, which is reported (an operator cancels one of them in Cockpit).</li>
 * </ul>
 *
 * Each repair commits on its own and is conditional on the state it found, so two checks at once
 * (two nodes starting) repair each thing once.
 */
@Service
class JourneyConsistency {

    static final String LOST = "LOST";
    private static final Logger log = LoggerFactory.getLogger(JourneyConsistency.class);
    private static final int PAGE = 500;
    private static final int LISTED = 100;

    private final JdbcTemplate jdbc;
    private final RuntimeService runtime;
    private final HistoryService history;
    private final Enrollments enrollments;
    private final TriggerClaims claims;
    private final TransactionTemplate ownCommit;
    private final MeterRegistry meters;
    private final Clock clock;
    private final CustomerQueries customers;

    JourneyConsistency(
            JdbcTemplate jdbc,
            RuntimeService runtime,
            HistoryService history,
            Enrollments enrollments,
            TriggerClaims claims,
            PlatformTransactionManager transactions,
            MeterRegistry meters,
            Clock clock,
            CustomerQueries customers) {
        this.customers = customers;
        this.jdbc = jdbc;
        this.runtime = runtime;
        this.history = history;
        this.enrollments = enrollments;
        this.claims = claims;
        this.ownCommit = new TransactionTemplate(transactions);
        this.ownCommit.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.meters = meters;
        this.clock = clock;
    }

    /** One thing found, and what was done about it. */
    public record Finding(
            Kind kind,
            Long enrollmentKey,
            String campaign,
            String processInstanceId,
            String businessKey,
            String action) {}

    public enum Kind {
        ENROLLMENT_WITHOUT_JOURNEY,
        JOURNEY_WITHOUT_ENROLLMENT
    }

    /**
     * @param exitRecorded enrollments whose journey had ended: exit recorded from history
     * @param lost enrollments whose journey never existed, closed as LOST
     * @param requeued of those, segment events given back for the next campaign-entry run
     * @param enrollmentRecorded journeys without an enrollment whose enrollment was recorded
     * @param unresolved what needs an operator (listed in findings)
     * @param findings up to 100 of the things found, with the action taken
     */
    public record Report(
            Instant checkedAt,
            boolean repair,
            int enrollmentsChecked,
            int journeysChecked,
            int enrollmentsWithoutJourney,
            int exitRecorded,
            int lost,
            int requeued,
            int journeysWithoutEnrollment,
            int enrollmentRecorded,
            int unresolved,
            List<Finding> findings) {

        public boolean clean() {
            return enrollmentsWithoutJourney == 0 && journeysWithoutEnrollment == 0;
        }

        public String summary() {
            return "checked " + enrollmentsChecked + " open enrollments and " + journeysChecked + " running journeys: "
                    + enrollmentsWithoutJourney + " enrollment(s) without a journey (" + exitRecorded
                    + " had ended: exit "
                    + "recorded; " + lost + " never existed: closed as LOST, " + requeued
                    + " of them re-queued for entry), "
                    + journeysWithoutEnrollment + " journey(s) without an enrollment (" + enrollmentRecorded
                    + " recorded), "
                    + unresolved + " left for an operator" + (repair ? "" : " (report only: nothing was changed)");
        }
    }

    private final class Tally {
        final List<Finding> findings = new ArrayList<>();
        int enrollmentsChecked;
        int journeysChecked;
        int enrollmentsWithoutJourney;
        int exitRecorded;
        int lost;
        int requeued;
        int journeysWithoutEnrollment;
        int enrollmentRecorded;
        int unresolved;

        void add(Finding finding) {
            if (findings.size() < LISTED) {
                findings.add(finding);
            }
            meters.counter(
                            "loyalflow.journeys.consistency.findings",
                            "kind",
                            finding.kind().name())
                    .increment();
        }
    }

    /** Checks every open enrollment and every running journey; with {@code repair} false nothing changes. */
    public Report check(boolean repair) {
        Instant now = clock.instant();
        Tally tally = new Tally();
        checkEnrollments(repair, now, tally);
        checkJourneys(repair, now, tally);
        Report report = new Report(
                now,
                repair,
                tally.enrollmentsChecked,
                tally.journeysChecked,
                tally.enrollmentsWithoutJourney,
                tally.exitRecorded,
                tally.lost,
                tally.requeued,
                tally.journeysWithoutEnrollment,
                tally.enrollmentRecorded,
                tally.unresolved,
                List.copyOf(tally.findings));
        if (report.clean()) {
            log.info("Journey consistency: {}", report.summary());
        } else {
            log.warn(
                    "Journey consistency: {}; first findings: {}",
                    report.summary(),
                    report.findings().stream().limit(10).toList());
        }
        return report;
    }

    private record OpenEnrollment(
            long enrollmentKey,
            String campaign,
            long customerKey,
            String processInstanceId,
            String businessKey,
            String cause) {}

    private void checkEnrollments(boolean repair, Instant now, Tally tally) {
        long after = -1;
        while (true) {
            List<OpenEnrollment> page = jdbc.query(
                    "select enrollment_key, campaign_key, customer_key, process_instance_id, "
                            + "business_key, entry_cause from campaign_enrollment where exited_at is null and enrollment_key > ? "
                            + "order by enrollment_key fetch first " + PAGE + " rows only",
                    (rs, row) -> new OpenEnrollment(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getLong(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6)),
                    after);
            if (page.isEmpty()) {
                return;
            }
            tally.enrollmentsChecked += page.size();
            after = page.get(page.size() - 1).enrollmentKey();
            Set<String> ids =
                    page.stream().map(OpenEnrollment::processInstanceId).collect(Collectors.toSet());
            Set<String> running = runtime.createProcessInstanceQuery().processInstanceIds(ids).list().stream()
                    .map(ProcessInstance::getId)
                    .collect(Collectors.toSet());
            List<OpenEnrollment> missing = page.stream()
                    .filter(e -> !running.contains(e.processInstanceId()))
                    .toList();
            if (missing.isEmpty()) {
                continue;
            }
            Map<String, HistoricProcessInstance> ended = history
                    .createHistoricProcessInstanceQuery()
                    .processInstanceIds(missing.stream()
                            .map(OpenEnrollment::processInstanceId)
                            .collect(Collectors.toSet()))
                    .list()
                    .stream()
                    .collect(Collectors.toMap(HistoricProcessInstance::getId, p -> p));
            for (OpenEnrollment enrollment : missing) {
                HistoricProcessInstance past = ended.get(enrollment.processInstanceId());
                if (past != null && past.getEndTime() == null) {
                    continue; // started between the two queries
                }
                tally.enrollmentsWithoutJourney++;
                if (past != null) {
                    endedJourney(enrollment, past, repair, tally);
                } else {
                    lostJourney(enrollment, repair, now, tally);
                }
            }
        }
    }

    private void endedJourney(OpenEnrollment enrollment, HistoricProcessInstance past, boolean repair, Tally tally) {
        String outcome = historicOutcome(past);
        boolean done = repair
                && Boolean.TRUE.equals(ownCommit.execute(tx -> enrollments.recordExit(
                        enrollment.processInstanceId(),
                        outcome,
                        past.getEndTime().toInstant())));
        if (done) {
            tally.exitRecorded++;
        }
        tally.add(new Finding(
                Kind.ENROLLMENT_WITHOUT_JOURNEY,
                enrollment.enrollmentKey(),
                enrollment.campaign(),
                enrollment.processInstanceId(),
                enrollment.businessKey(),
                (repair ? "exit recorded: " : "ended as ") + outcome + " at "
                        + past.getEndTime().toInstant()));
    }

    private void lostJourney(OpenEnrollment enrollment, boolean repair, Instant now, Tally tally) {
        String action;
        if (!repair) {
            action = "its journey never existed; would be closed as LOST";
        } else {
            Boolean requeued = ownCommit.execute(tx -> {
                int closed = jdbc.update(
                        "update campaign_enrollment set exited_at = ?, exit_outcome = ? "
                                + "where enrollment_key = ? and exited_at is null",
                        Timestamps.utc(now),
                        LOST,
                        enrollment.enrollmentKey());
                if (closed == 0) {
                    return null;
                }
                // the lost entry did not happen: it neither blocks nor counts for the re-entry policy
                jdbc.update(
                        "update campaign_participant set active_enrollment = case when active_enrollment = ? then null "
                                + "else active_enrollment end, entries = case when entries > 0 then entries - 1 else 0 end, "
                                + "last_entered_at = (select max(e.entered_at) from campaign_enrollment e where e.campaign_key = ? "
                                + "and e.customer_key = ? and e.exit_outcome is distinct from ?) where campaign_key = ? "
                                + "and customer_key = ?",
                        enrollment.enrollmentKey(),
                        enrollment.campaign(),
                        enrollment.customerKey(),
                        LOST,
                        enrollment.campaign(),
                        enrollment.customerKey());
                return enrollment.cause().startsWith("event:")
                        && claims.release(
                                        enrollment.campaign(),
                                        Long.parseLong(enrollment.cause().substring("event:".length())),
                                        enrollment.enrollmentKey())
                                > 0;
            });
            if (requeued == null) {
                return; // another check closed it
            }
            tally.lost++;
            if (requeued) {
                tally.requeued++;
                action = "closed as LOST; its segment event is entered again by the next campaign-entry run";
            } else if (enrollment.cause().startsWith("recurring:")) {
                action = "closed as LOST; the customer enters again at the campaign's next recurring entry";
            } else {
                tally.unresolved++;
                action = "closed as LOST; entered by " + enrollment.cause() + ": ask for the journey again";
            }
        }
        tally.add(new Finding(
                Kind.ENROLLMENT_WITHOUT_JOURNEY,
                enrollment.enrollmentKey(),
                enrollment.campaign(),
                enrollment.processInstanceId(),
                enrollment.businessKey(),
                action));
    }

    private String historicOutcome(HistoricProcessInstance past) {
        Map<String, Object> variables = new HashMap<>();
        for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery()
                .processInstanceId(past.getId())
                .variableNameIn(JourneyVariables.JOURNEY_OUTCOME.name(), JourneyVariables.JOURNEY_END_EVENT.name())
                .list()) {
            variables.put(variable.getName(), variable.getValue());
        }
        String outcome = JourneyVariables.JOURNEY_OUTCOME.from(variables).getOrNull();
        if (outcome != null) {
            return outcome;
        }
        if (past.getDeleteReason() != null) {
            return "CANCELLED";
        }
        String endEvent = JourneyVariables.JOURNEY_END_EVENT.from(variables).getOrNull();
        return JourneyExits.outcomeOfEndEvent(endEvent != null ? endEvent : past.getEndActivityId());
    }

    private void checkJourneys(boolean repair, Instant now, Tally tally) {
        Set<String> seen = new HashSet<>();
        for (int first = 0; ; first += PAGE) {
            List<VariableInstance> page = runtime.createVariableInstanceQuery()
                    .variableName(JourneyVariables.ENROLLMENT_KEY.name())
                    .listPage(first, PAGE);
            if (page.isEmpty()) {
                return;
            }
            Map<String, VariableInstance> byInstance = new HashMap<>();
            page.stream()
                    .filter(v -> seen.add(v.getProcessInstanceId()))
                    .forEach(v -> byInstance.put(v.getProcessInstanceId(), v));
            tally.journeysChecked += byInstance.size();
            if (byInstance.isEmpty()) {
                continue;
            }
            List<String> ids = List.copyOf(byInstance.keySet());
            Set<String> enrolled = new HashSet<>(jdbc.queryForList(
                    "select process_instance_id from campaign_enrollment " + "where process_instance_id in ("
                            + String.join(", ", ids.stream().map(id -> "?").toList()) + ")",
                    String.class,
                    ids.toArray()));
            for (String id : ids) {
                if (!enrolled.contains(id)) {
                    tally.journeysWithoutEnrollment++;
                    unenrolledJourney(
                            id,
                            JourneyVariables.ENROLLMENT_KEY.valueOf(
                                    byInstance.get(id).getValue()),
                            repair,
                            now,
                            tally);
                }
            }
        }
    }

    private void unenrolledJourney(
            String processInstanceId, long enrollmentKey, boolean repair, Instant now, Tally tally) {
        ProcessInstance instance = runtime.createProcessInstanceQuery()
                .processInstanceId(processInstanceId)
                .singleResult();
        if (instance == null) {
            tally.journeysWithoutEnrollment--; // ended meanwhile
            return;
        }
        Map<String, Object> variables = runtime.getVariables(processInstanceId);
        String campaign = JourneyStartVariables.CAMPAIGN_KEY.from(variables).getOrNull();
        String customerId = JourneyStartVariables.CUSTOMER_ID.from(variables).getOrNull();
        Integer revision =
                JourneyStartVariables.CAMPAIGN_REVISION.from(variables).getOrNull();
        String action;
        if (!repair) {
            action = "no enrollment row; would be recorded";
        } else {
            action = ownCommit.execute(tx -> record(instance, enrollmentKey, campaign, customerId, revision, now));
            if (action.startsWith("recorded")) {
                tally.enrollmentRecorded++;
            } else {
                tally.unresolved++;
            }
        }
        tally.add(new Finding(
                Kind.JOURNEY_WITHOUT_ENROLLMENT,
                enrollmentKey,
                campaign,
                processInstanceId,
                instance.getBusinessKey(),
                action));
    }

    private String record(
            ProcessInstance instance,
            long enrollmentKey,
            String campaign,
            String customerId,
            Number revision,
            Instant now) {
        List<Long> customer = customers.keyOf(customerId).stream().toList();
        if (campaign == null || customer.isEmpty() || revision == null) {
            return "unresolved: the journey names no known campaign and customer; cancel it in Cockpit if it is not wanted";
        }
        long customerKey = customer.get(0);
        List<Long> active = jdbc.queryForList(
                "select active_enrollment from campaign_participant where campaign_key = ? "
                        + "and customer_key = ? and active_enrollment is not null",
                Long.class,
                campaign,
                customerKey);
        if (!active.isEmpty() && active.get(0) != enrollmentKey) {
            String other = jdbc
                    .queryForList(
                            "select process_instance_id from campaign_enrollment where enrollment_key = ?",
                            String.class,
                            active.get(0))
                    .stream()
                    .findFirst()
                    .orElse("?");
            return "unresolved: the customer is also in journey " + other
                    + " of this campaign; cancel one of them in Cockpit";
        }
        Instant started = history.createHistoricProcessInstanceQuery()
                .processInstanceId(instance.getId())
                .singleResult()
                .getStartTime()
                .toInstant();
        try {
            jdbc.update(
                    "insert into campaign_enrollment (enrollment_key, campaign_key, customer_key, revision, "
                            + "process_instance_id, business_key, entry_cause, entered_at) values (?, ?, ?, ?, ?, ?, 'repair', ?)",
                    enrollmentKey,
                    campaign,
                    customerKey,
                    revision.intValue(),
                    instance.getId(),
                    instance.getBusinessKey(),
                    Timestamps.utc(started));
        } catch (DuplicateKeyException recordedMeanwhile) {
            return "recorded meanwhile by another check";
        }
        if (jdbc.update(
                        "update campaign_participant set active_enrollment = ? where campaign_key = ? and customer_key = ?",
                        enrollmentKey,
                        campaign,
                        customerKey)
                == 0) {
            jdbc.update(
                    "insert into campaign_participant (campaign_key, customer_key, active_enrollment, entries, "
                            + "last_entered_at) values (?, ?, ?, 1, ?)",
                    campaign,
                    customerKey,
                    enrollmentKey,
                    Timestamps.utc(started));
        }
        return "recorded: enrollment " + enrollmentKey + " (entry cause 'repair')";
    }
}
