package io.loyalflow.journey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
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
    execution.setVariable("enrollmentsWithoutJourney", Variables.integerValue(report.enrollmentsWithoutJourney()));
    execution.setVariable("journeysWithoutEnrollment", Variables.integerValue(report.journeysWithoutEnrollment()));
    execution.setVariable("unresolved", Variables.integerValue(report.unresolved()));
    String summary = report.summary();
    execution.setVariable("consistencyReport", Variables.stringValue(summary.length() > 3_900
        ? summary.substring(0, 3_900) : summary));
    execution.setVariable("consistent", Variables.booleanValue(report.clean()));
  }
}
