package io.loyalflow.experiment;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Review the experiments" in the experiment-review process: the counts go to variables Cockpit shows. */
@Component("reviewExperiments")
class ReviewExperimentsDelegate implements JavaDelegate {

    private final Experiments experiments;

    ReviewExperimentsDelegate(Experiments experiments) {
        this.experiments = experiments;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Experiments.Review review = experiments.review();
        ExperimentVariables.EXPERIMENTS_REVIEWED.on(execution).set(review.reviewed());
        ExperimentVariables.WINNERS_DECLARED.on(execution).set(review.declared());
        ExperimentVariables.WINNERS_APPLIED.on(execution).set(review.applied());
    }
}
