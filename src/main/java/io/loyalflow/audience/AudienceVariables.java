package io.loyalflow.audience;

import static io.loyalflow.platform.engine.ProcessVariable.booleanVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/**
 * The variables of the "Sync to an ad audience" step (its element template's fields) and of the audience-sync
 * process (Cockpit shows them; its gateways read them).
 */
public final class AudienceVariables {

    /** Input of the step: the ad audience's id, as created with POST /api/audiences. */
    public static final ProcessVariable<String> AD_AUDIENCE = stringVariable("adAudience");
    /** Input of the step: {@code ADD} (default) or {@code REMOVE} the journey's customer. */
    public static final ProcessVariable<String> AD_AUDIENCE_ACTION = stringVariable("adAudienceAction");

    /** Output of the audience-dispatch process: how many audience-sync rounds it started. */
    public static final ProcessVariable<Integer> ROUNDS_STARTED = integerVariable("roundsStarted");

    // The audience-sync process: one round of one audience (its business key is the audience's id)
    /** The audience the round syncs. */
    public static final ProcessVariable<String> AUDIENCE_ID = stringVariable("audienceId");
    /** Whether the round is a full replace (POST /api/audiences/{id}/replace) rather than the pending changes. */
    public static final ProcessVariable<Boolean> REPLACE_ALL = booleanVariable("replaceAll");
    /** What the last batch left: MORE (another batch is due), DONE, or STOPPED (the audience is not active). */
    public static final ProcessVariable<String> ROUND_OUTCOME = stringVariable("roundOutcome");
    /** Members added (or sent in the replace) by the round so far. */
    public static final ProcessVariable<Integer> MEMBERS_SENT = integerVariable("membersSent");
    /** Members removed by the round so far. */
    public static final ProcessVariable<Integer> REMOVALS = integerVariable("removals");
    /** Requests sent to the provider by the round so far. */
    public static final ProcessVariable<Integer> BATCHES = integerVariable("batches");

    private AudienceVariables() {}
}
