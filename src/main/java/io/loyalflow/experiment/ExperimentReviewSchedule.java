package io.loyalflow.experiment;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the experiment-review process's timer start event ({@code ${experimentReviewSchedule.cycle}}):
 * a Camunda timer cycle, by default every hour at :20. Read when the process is deployed: after changing it,
 * redeploy the process.
 */
@Component("experimentReviewSchedule")
public class ExperimentReviewSchedule {

    private final String cycle;

    ExperimentReviewSchedule(@Value("${loyalflow.experiments.review-cycle:0 20 * * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
