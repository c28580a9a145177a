package io.loyalflow.audience;

import io.loyalflow.platform.engine.ProcessVariable;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** The round's running totals and the outcome its gateways read, as process variables Cockpit shows. */
final class RoundCounts {

    static void add(DelegateExecution execution, AudienceSync.Progress progress) {
        AudienceVariables.ROUND_OUTCOME.on(execution).set(progress.outcome().name());
        add(execution, AudienceVariables.MEMBERS_SENT, progress.sent());
        add(execution, AudienceVariables.REMOVALS, progress.removed());
        add(execution, AudienceVariables.BATCHES, progress.requests());
    }

    private static void add(DelegateExecution execution, ProcessVariable<Integer> total, int more) {
        Integer sofar = total.from(execution).getOrNull();
        total.on(execution).set((sofar == null ? 0 : sofar) + more);
    }

    private RoundCounts() {}
}
