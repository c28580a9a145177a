package io.loyalflow.journey;

import static io.loyalflow.platform.engine.ProcessVariable.booleanVariable;
import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/**
 * The process variables the journey module sets and reads: on every journey (its enrollment and how it
 * ended), what triggers, goals and customer events give it, what its steps write, and the variables of
 * the campaign-entry and journey-consistency processes. The variables every journey starts with are in
 * {@link io.loyalflow.platform.engine.JourneyStartVariables}.
 */
public final class JourneyVariables {

    // On every journey
    /** The journey's enrollment: only campaign journeys have one. */
    public static final ProcessVariable<Long> ENROLLMENT_KEY = longVariable("enrollmentKey");
    /** Set by a step, or by the exit goal, to name how the journey ended. */
    public static final ProcessVariable<String> JOURNEY_OUTCOME = stringVariable("journeyOutcome");
    /** The end event the journey reached (set as it is reached). */
    public static final ProcessVariable<String> JOURNEY_END_EVENT = stringVariable("journeyEndEvent");

    // Given by triggers, goals and customer events (a tier change gives the segment module's
    // SegmentVariables.PREVIOUS_TIER and NEW_TIER, the tier-change decision's inputs)
    /**
     * The order that woke a journey waiting for one; on a cross-sell journey, until an order ends it, the order it
     * follows (CrossSellEntry starts it with it).
     */
    public static final ProcessVariable<String> ORDER_ID = stringVariable("orderId");
    /**
     * When the order a cross-sell journey follows was placed (ISO-8601 instant): orders placed until then (that
     * order itself, history arriving late) do not end it as CONVERTED.
     */
    public static final ProcessVariable<String> ENTRY_ORDER_PLACED_AT = stringVariable("entryOrderPlacedAt");
    /** The customer's successful referrals: set by the customer-facts step and by a referral that wakes a journey. */
    public static final ProcessVariable<Integer> SUCCESSFUL_REFERRALS = integerVariable("successfulReferrals");
    /** Which customer event woke a journey. */
    public static final ProcessVariable<String> CUSTOMER_EVENT_ID = stringVariable("customerEventId");

    // The welcome programme (WelcomeEntry starts its journeys with them)
    /** The customer's first order; empty for a journey entered by a new profile. */
    public static final ProcessVariable<String> FIRST_ORDER_ID = stringVariable("firstOrderId");
    /** The category the first order spent most on (the welcome-advice decision's input); empty when none. */
    public static final ProcessVariable<String> FIRST_ORDER_CATEGORY = stringVariable("firstOrderCategory");
    /** When the first order was placed (ISO-8601 instant); orders placed until then are no second order. */
    public static final ProcessVariable<String> FIRST_ORDER_PLACED_AT = stringVariable("firstOrderPlacedAt");
    /** An earlier order that arrived late and ended a welcome journey as NOT_FIRST_ORDER. */
    public static final ProcessVariable<String> EARLIER_ORDER_ID = stringVariable("earlierOrderId");
    /** welcome-advice: the advice e-mail's SendGrid template id, empty for the campaign's message. */
    public static final ProcessVariable<String> ADVICE_TEMPLATE_ID = stringVariable("adviceTemplateId");

    // The advocate template (AdvocateEntry starts its journeys entered by a survey answer with them)
    /** The survey answer's NPS score, 0 to 10; absent for a journey entered by the top tier. */
    public static final ProcessVariable<Integer> SURVEY_SCORE = integerVariable("surveyScore");
    /** nps-group: PROMOTER, PASSIVE or DETRACTOR; NONE for a tier entry below the top tier. */
    public static final ProcessVariable<String> NPS_GROUP = stringVariable("npsGroup");
    // The retention template (bpmn/retention.bpmn)
    /**
     * The reason code of the customer's FeedbackGiven event (data.reason, upper case), the leave-reason decision's
     * input; null when the event names none or no valid code.
     */
    public static final ProcessVariable<String> LEAVE_REASON = stringVariable("leaveReason");
    /** leave-reason: whether the shop can act on the reason (the team gets a task). */
    public static final ProcessVariable<Boolean> CONTROLLABLE = booleanVariable("controllable");

    // The customer-facts step's results, for the decision tables after it
    /** An address that is not suppressed. */
    public static final ProcessVariable<Boolean> HAS_EMAIL = booleanVariable("hasEmail");

    public static final ProcessVariable<Boolean> HAS_PHONE = booleanVariable("hasPhone");
    /** Opted in. */
    public static final ProcessVariable<Boolean> EMAIL_CONSENT = booleanVariable("emailConsent");

    public static final ProcessVariable<Boolean> SMS_CONSENT = booleanVariable("smsConsent");
    /** EMAIL or SMS (the profile attribute of that name), else null. */
    public static final ProcessVariable<String> PREFERRED_CHANNEL = stringVariable("preferredChannel");
    /** Active, Dormant, or null without referral data. */
    public static final ProcessVariable<String> REFERRAL_ACTIVITY = stringVariable("referralActivity");

    // Decisions' results in the journey templates (business rule tasks' result variables)
    /** channel-choice: EMAIL, SMS or NONE. */
    public static final ProcessVariable<String> CHANNEL = stringVariable("channel");
    /** tier-change: UPGRADE, DOWNGRADE, SAME or NEW. */
    public static final ProcessVariable<String> TIER_CHANGE = stringVariable("tierChange");
    /** referral-path: REFERRAL_REMINDER, INCENTIVE_TEST or VOUCHER. */
    public static final ProcessVariable<String> REFERRAL_PATH = stringVariable("referralPath");

    // Cart journeys (abandoned-cart; the cart id is io.loyalflow.cart.CartVariables.CART_ID)
    /** The cart's last accepted update as the journey knows it (ISO-8601 instant): the waits count from it. */
    public static final ProcessVariable<String> CART_UPDATED_AT = stringVariable("cartUpdatedAt");
    /** The cart version that update made. */
    public static final ProcessVariable<Long> CART_VERSION = longVariable("cartVersion");
    /** With Msg_CartClosed: CONVERTED (checkout completed) or CLEARED. */
    public static final ProcessVariable<String> CART_OUTCOME = stringVariable("cartOutcome");

    // The cross-sell offer (its other variables: ORDER_ID, ENTRY_ORDER_PLACED_AT above, the recommendation
    // module's crossSellWait and recommendations)
    /** The one product the offer SMS names: the recommendation step's result (a JSON array of one product). */
    public static final ProcessVariable<String> SMS_PRODUCTS = stringVariable("smsProducts");

    // A/B splits' arms in the journey templates (the split steps' armVariable inputs)
    /** value-segment-upgrade: A, B or CONTROL; abandoned-cart: A, B or CONTROL. */
    public static final ProcessVariable<String> REMINDER_ARM = stringVariable("reminderArm");
    /** cross-sell: A, B or CONTROL (the offer e-mail's A/B test). */
    public static final ProcessVariable<String> OFFER_ARM = stringVariable("offerArm");
    /** advocate: REVIEW, REFERRAL or CONTROL. */
    public static final ProcessVariable<String> ASK = stringVariable("ask");
    /** advocate-referral: VOUCHER or REFERRAL_REMINDER. */
    public static final ProcessVariable<String> INCENTIVE = stringVariable("incentive");

    // The "Start scenario" step
    /** Input: the process key of the scenario to start. */
    public static final ProcessVariable<String> SCENARIO = stringVariable("scenario");
    /** On the scenario: the journey that started it. */
    public static final ProcessVariable<String> PARENT_JOURNEY_ID = stringVariable("parentJourneyId");
    /** On the journey: the scenario it started. */
    public static final ProcessVariable<String> SCENARIO_INSTANCE_ID = stringVariable("scenarioInstanceId");

    // The campaign-entry process (one branch per campaign)
    public static final ProcessVariable<String> CAMPAIGN_ID = stringVariable("campaignId");
    /** The last customer key entered; -1 before the first chunk. */
    public static final ProcessVariable<Long> ENTRY_CURSOR = longVariable("entryCursor");

    public static final ProcessVariable<Boolean> MORE_TO_ENTER = booleanVariable("moreToEnter");
    /** Entry outcomes so far, e.g. {@code ENTERED=12, NOT_IN_AUDIENCE=3}. */
    public static final ProcessVariable<String> ENTRY_OUTCOMES = stringVariable("entryOutcomes");

    // The journey-consistency-check process
    public static final ProcessVariable<Integer> ENROLLMENTS_WITHOUT_JOURNEY =
            integerVariable("enrollmentsWithoutJourney");
    public static final ProcessVariable<Integer> JOURNEYS_WITHOUT_ENROLLMENT =
            integerVariable("journeysWithoutEnrollment");
    public static final ProcessVariable<Integer> UNRESOLVED = integerVariable("unresolved");
    public static final ProcessVariable<String> CONSISTENCY_REPORT = stringVariable("consistencyReport");
    public static final ProcessVariable<Boolean> CONSISTENT = booleanVariable("consistent");

    private JourneyVariables() {}
}
