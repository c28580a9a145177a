package io.loyalflow.segment;

import io.loyalflow.platform.problem.Refusal;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Refresh the built-in segments" in the segment-refresh process. Writes a short summary as
 * variables (Cockpit shows them on the instance); a refresh already running elsewhere is an outcome,
 * not a failure.
 */
@Component("refreshSegments")
class RefreshSegmentsDelegate implements JavaDelegate {

  private final SegmentRefresh refresh;

  RefreshSegmentsDelegate(SegmentRefresh refresh) {
    this.refresh = refresh;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      SegmentRefresh.Summary summary = refresh.refreshBuiltIn();
      execution.setVariable("refreshOutcome", Variables.stringValue("REFRESHED"));
      execution.setVariable("refreshId", Variables.stringValue(summary.refreshId()));
      execution.setVariable("customers", Variables.longValue(summary.customers()));
      execution.setVariable("entered", Variables.integerValue(summary.entered().values().stream()
          .mapToInt(Integer::intValue).sum()));
      execution.setVariable("left", Variables.integerValue(summary.left().values().stream()
          .mapToInt(Integer::intValue).sum()));
      execution.setVariable("tierChanges", Variables.integerValue(summary.tierChanges()));
      execution.setVariable("durationMillis", Variables.longValue(summary.durationMillis()));
    } catch (Refusal e) {
      if (e.kind() != Refusal.Kind.CONFLICT) {
        throw e;
      }
      execution.setVariable("refreshOutcome", Variables.stringValue("ALREADY_RUNNING"));
    }
  }
}
