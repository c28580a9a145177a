package io.loyalflow.messaging;

import static io.loyalflow.platform.engine.ProcessVariable.anyVariable;
import static io.loyalflow.platform.engine.ProcessVariable.dateVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;
import java.util.Date;

/**
 * The variables of the messaging steps: the send tasks' inputs (camunda:inputParameter, set through the
 * element templates in {@code .camunda/element-templates/}) and what they write, the engagement a
 * correlated message carries, and the smart-send-time step's. Every send step's customer is
 * {@link io.loyalflow.platform.engine.JourneyStartVariables#CUSTOMER_ID}, an input defaulting to the
 * journey's.
 */
public final class MessagingVariables {

    // Send task inputs
    /** E-mail: the SendGrid dynamic template id ({@code d-...}). Required. */
    public static final ProcessVariable<String> TEMPLATE_ID = stringVariable("templateId");
    /** E-mail: a JSON object (or map) of dynamic template data; string values may hold {@code {{tokens}}}. */
    public static final ProcessVariable<Object> TEMPLATE_DATA = anyVariable("templateData");
    /** E-mail: overrides the configured sender address / name. */
    public static final ProcessVariable<String> FROM_EMAIL = stringVariable("fromEmail");

    public static final ProcessVariable<String> FROM_NAME = stringVariable("fromName");
    /** SMS: the text, with {@code {{tokens}}}. Required. */
    public static final ProcessVariable<String> SMS_TEXT = stringVariable("smsText");
    /**
     * Both: the campaign the message counts for; default: the campaign part of the business key, else the
     * process key.
     */
    public static final ProcessVariable<String> CATEGORY = stringVariable("category");
    /**
     * Both: {@code SKIP} (default) or {@code DEFER} when the customer's frequency cap is reached; DEFER
     * makes the step wait until the cap frees up.
     */
    public static final ProcessVariable<String> WHEN_CAPPED = stringVariable("whenCapped");

    // Send task outputs (process variables the step writes when it completes)
    /** SENT, UNKNOWN, SKIPPED or FAILED: gateways after the task branch on it. Never DEFERRED (the step waits). */
    public static final ProcessVariable<String> DELIVERY_OUTCOME = stringVariable("deliveryOutcome");
    /** Loyalflow's id of the message (also in the deliveries API and the provider's events). */
    public static final ProcessVariable<String> DELIVERY_ID = stringVariable("deliveryId");

    // While the step waits (variables local to the waiting task, shown by Cockpit; gone once it completes)
    /** The moment the step tries again: the sending window's opening, or when the cap frees up. */
    public static final ProcessVariable<Date> DELIVERY_RETRY_AT = dateVariable("deliveryRetryAt");
    /** Why the message waits, as the gate put it (e.g. "outside 08:00-21:00 in Europe/Paris"). */
    public static final ProcessVariable<String> DELIVERY_DEFERRED_BECAUSE = stringVariable("deliveryDeferredBecause");

    /** What a correlated engagement message sets: which delivery the engagement belongs to. */
    public static final ProcessVariable<String> ENGAGED_DELIVERY_ID = stringVariable("engagedDeliveryId");

    // The smart-send-time step
    /** Input: the local hour (0 to 23) for customers without a usual purchase hour; a number or its text. */
    public static final ProcessVariable<Object> FALLBACK_HOUR = anyVariable("fallbackHour");
    /** Input: the name of the date variable the step writes (default {@link #SMART_SEND_AT}). */
    public static final ProcessVariable<String> SMART_SEND_RESULT_VARIABLE = stringVariable("resultVariable");
    /** Output: when to send, for the timer after the step. */
    public static final ProcessVariable<Date> SMART_SEND_AT = dateVariable("smartSendAt");

    /** The engine's counter of a multi-instance activity's instance (0 for the first). */
    public static final ProcessVariable<Integer> LOOP_COUNTER = integerVariable("loopCounter");

    /**
     * Per send task, how many visits have completed in this journey (see {@code SendTaskSupport}): one
     * variable per step, named after it.
     */
    static ProcessVariable<Integer> completedVisits(String step) {
        return integerVariable("sends_" + step);
    }

    private MessagingVariables() {}
}
