package io.loyalflow.messaging;

import java.util.List;

/**
 * The contract between a BPMN send task and Loyalflow: the input parameters analysts set (through the
 * element templates in {@code .camunda/element-templates/}) and the process variables the step writes.
 */
public final class SendStep {

  /** Bean names for {@code camunda:delegateExpression}. */
  public static final String SEND_EMAIL_BEAN = "sendEmail";
  public static final String SEND_SMS_BEAN = "sendSms";

  // Inputs (camunda:inputParameter on the task)
  /** E-mail: the SendGrid dynamic template id ({@code d-...}). Required. */
  public static final String TEMPLATE_ID = "templateId";
  /** E-mail: a JSON object of dynamic template data; string values may hold {@code {{tokens}}}. */
  public static final String TEMPLATE_DATA = "templateData";
  /** E-mail: overrides the configured sender address / name. */
  public static final String FROM_EMAIL = "fromEmail";
  public static final String FROM_NAME = "fromName";
  /** SMS: the text, with {@code {{tokens}}}. Required. */
  public static final String SMS_TEXT = "smsText";
  /** Both: the campaign the message counts for; default: the campaign part of the business key, else the process key. */
  public static final String CATEGORY = "category";
  /**
   * Both: {@code SKIP} (default) or {@code DEFER} when the customer's frequency cap is reached; DEFER
   * makes the step wait until the cap frees up.
   */
  public static final String WHEN_CAPPED = "whenCapped";
  /** Both: the customer to send to; default: the process variable {@code customerId}. */
  public static final String CUSTOMER_ID = "customerId";

  public static final List<String> EMAIL_INPUTS = List.of(TEMPLATE_ID, TEMPLATE_DATA, FROM_EMAIL, FROM_NAME, CATEGORY,
      WHEN_CAPPED, CUSTOMER_ID);
  public static final List<String> SMS_INPUTS = List.of(SMS_TEXT, CATEGORY, WHEN_CAPPED, CUSTOMER_ID);

  // Outputs (process variables the step writes when it completes)
  /** SENT, UNKNOWN, SKIPPED or FAILED: gateways after the task branch on it. Never DEFERRED (the step waits). */
  public static final String OUTCOME = "deliveryOutcome";
  /** Loyalflow's id of the message (also in the deliveries API and the provider's events). */
  public static final String DELIVERY_ID = "deliveryId";

  // While the step waits (variables local to the waiting task, shown by Cockpit; gone once it completes)
  /** The moment the step tries again: the sending window's opening, or when the cap frees up. */
  public static final String RETRY_AT = "deliveryRetryAt";
  /** Why the message waits, as the gate put it (e.g. "outside 08:00-21:00 in Europe/Paris"). */
  public static final String DEFERRED_BECAUSE = "deliveryDeferredBecause";

  private SendStep() {
  }
}
