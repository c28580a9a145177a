package io.loyalflow.experiment;

import io.loyalflow.platform.engine.ModelElement;

/**
 * The contract of {@code bpmn/experiment-review.bpmn}, the scheduled review of the experiments (winner rule,
 * applied winners): its process key and the elements code and tests name; {@code ProcessContractsTest} checks
 * each against the model.
 */
public final class ExperimentReviewProcess {

    public static final String KEY = "experiment-review";

    /** The model's flow nodes, by id. */
    public enum Element implements ModelElement {
        START_EVENT_SCHEDULED("StartEvent_Scheduled"),
        TASK_REVIEW_EXPERIMENTS("Task_ReviewExperiments"),
        GATEWAY_WINNERS("Gateway_Winners"),
        END_EVENT_WINNERS_DECLARED("EndEvent_WinnersDeclared"),
        END_EVENT_NO_NEW_WINNER("EndEvent_NoNewWinner");

        private final String id;

        Element(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }
    }

    private ExperimentReviewProcess() {}
}
