package io.loyalflow.testsupport;

import java.time.Instant;
import java.util.Date;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;

/**
 * The engine-only process tests: one shipped model (and the decision tables it calls) deployed into an
 * in-memory engine without Spring ({@code process-models.cfg.xml}), its steps mocked with
 * {@link Mocks#register}, the clock set by the test. Each such test class registers {@link #engine()} and
 * must take every flow node and every sequence flow of its model: the class fails below 100 % coverage,
 * and camunda-process-test-coverage writes its report to {@code target/process-test-coverage/}.
 */
public final class ProcessModels {

    /** A scheduled process's timer cycle, as the schedule beans give it ({@code ${segmentRefreshSchedule.cycle}}). */
    public record Schedule(String cycle) {

        public String getCycle() {
            return cycle;
        }
    }

    /** The clock of every engine-only test at its start. */
    public static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    private ProcessModels() {}

    /** The shared engine, with the class coverage of its models asserted at 100 % (flow nodes and sequence flows). */
    public static ProcessEngineCoverageExtension engine() {
        return ProcessEngineCoverageExtension.builder("process-models.cfg.xml")
                .assertClassCoverageAtLeast(1.0)
                .build();
    }

    /** Binds camunda-bpm-assert to the engine and sets the clock to {@link #START}; call before each test. */
    public static void begin(ProcessEngine engine) {
        BpmnAwareTests.init(engine);
        ClockUtil.setCurrentTime(Date.from(START));
    }

    /** Forgets the mocks, the clock and the engine binding; call after each test. */
    public static void end() {
        Mocks.reset();
        ClockUtil.reset();
        BpmnAwareTests.reset();
    }

    /** A variable of a process instance, running or ended, from the history. */
    public static Object variable(ProcessInstance instance, String name) {
        HistoricVariableInstance variable = BpmnAwareTests.historyService()
                .createHistoricVariableInstanceQuery()
                .processInstanceId(instance.getId())
                .variableName(name)
                .singleResult();
        return variable == null ? null : variable.getValue();
    }

    /** Moves the clock to a job's due date (a timer's) and runs it. */
    public static void fire(Job timer) {
        ClockUtil.setCurrentTime(timer.getDuedate());
        BpmnAwareTests.execute(timer);
    }
}
