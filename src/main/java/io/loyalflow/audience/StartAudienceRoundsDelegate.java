package io.loyalflow.audience;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Start the due audience rounds" in the audience-dispatch process. */
@Component("startAudienceRounds")
class StartAudienceRoundsDelegate implements JavaDelegate {

    private final AudienceRounds rounds;

    StartAudienceRoundsDelegate(AudienceRounds rounds) {
        this.rounds = rounds;
    }

    @Override
    public void execute(DelegateExecution execution) {
        AudienceVariables.ROUNDS_STARTED.on(execution).set(rounds.startDue());
    }
}
