package io.loyalflow.clv;

import static io.loyalflow.platform.engine.ProcessVariable.booleanVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/** The variables the clv-refit process's fit step writes (Cockpit shows them; the gateway reads the outcome). */
public final class ClvVariables {

    /** FITTED, INSUFFICIENT_DATA, or ALREADY_RUNNING (a fit under way elsewhere). */
    public static final ProcessVariable<String> FIT_OUTCOME = stringVariable("fitOutcome");

    public static final ProcessVariable<Long> FIT_VERSION = longVariable("fitVersion");
    public static final ProcessVariable<Integer> CUSTOMERS = integerVariable("customers");
    public static final ProcessVariable<Integer> REPEAT_BUYERS = integerVariable("repeatBuyers");
    public static final ProcessVariable<Long> DURATION_MILLIS = longVariable("durationMillis");
    /** Whether both models' fits converged (only when the fit ran). */
    public static final ProcessVariable<Boolean> CONVERGED = booleanVariable("converged");
    /** Why the fit did not run, when it did not. */
    public static final ProcessVariable<String> REASON = stringVariable("reason");

    private ClvVariables() {}
}
