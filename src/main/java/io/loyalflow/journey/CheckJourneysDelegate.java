package io.loyalflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Check journeys and enrollments" ({@code ${checkJourneys}}): the report goes to variables Cockpit shows. */
@Component("checkJourneys")
class CheckJourneysDelegate implements JavaDelegate {

    private final JourneyConsistency consistency;

    CheckJourneysDelegate(JourneyConsistency consistency) {
        this.consistency = consistency;
    }

    @Override
    public void execute(DelegateExecution execution) {
        JourneyConsistency.Report report = consistency.check(true);
        JourneyVariables.ENROLLMENTS_WITHOUT_JOURNEY.on(execution).set(report.enrollmentsWithoutJourney());
        JourneyVariables.JOURNEYS_WITHOUT_ENROLLMENT.on(execution).set(report.journeysWithoutEnrollment());
        JourneyVariables.UNRESOLVED.on(execution).set(report.unresolved());
        String summary = report.summary();
        JourneyVariables.CONSISTENCY_REPORT
                .on(execution)
                .set(summary.length() > 3_900 ? summary.substring(0, 3_900) : summary);
        JourneyVariables.CONSISTENT.on(execution).set(report.clean());
    }
}
