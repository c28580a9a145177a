package io.loyalflow.experiment;

import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/** The A/B split step's inputs (its element template's fields) and the variable it writes; the review's results. */
public final class ExperimentVariables {

    /** Input: the experiment the customer is assigned in, 1 to 100 characters. */
    public static final ProcessVariable<String> EXPERIMENT_KEY = stringVariable("experimentKey");
    /** Input: the arms' weights, e.g. {@code A:50, B:50}. */
    public static final ProcessVariable<String> ARMS = stringVariable("arms");
    /** Input: the name of the variable the arm goes to (default {@link #ARM}). */
    public static final ProcessVariable<String> ARM_VARIABLE = stringVariable("armVariable");
    /** Output: the customer's arm, for the gateway after the step (under the name {@link #ARM_VARIABLE} gives). */
    public static final ProcessVariable<String> ARM = stringVariable("arm");

    /** The experiment-review process: how many experiments it reviewed. */
    public static final ProcessVariable<Integer> EXPERIMENTS_REVIEWED = integerVariable("experimentsReviewed");
    /** The experiment-review process: how many winners it declared (its gateway reads it). */
    public static final ProcessVariable<Integer> WINNERS_DECLARED = integerVariable("winnersDeclared");
    /** The experiment-review process: how many winners it applied to new entries. */
    public static final ProcessVariable<Integer> WINNERS_APPLIED = integerVariable("winnersApplied");

    private ExperimentVariables() {}
}
