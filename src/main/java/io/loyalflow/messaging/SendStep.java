package io.loyalflow.messaging;

import io.loyalflow.platform.engine.JourneyStartVariables;
import io.loyalflow.platform.engine.ProcessVariable;
import java.util.List;
import java.util.stream.Stream;

/**
 * The contract between a BPMN send task and Loyalflow: its bean names and the input parameters analysts
 * set (through the element templates in {@code .camunda/element-templates/}); the variables themselves
 * are declared in {@link MessagingVariables}.
 */
final class SendStep {

    /** Bean names for {@code camunda:delegateExpression}. */
    public static final String SEND_EMAIL_BEAN = "sendEmail";

    public static final String SEND_SMS_BEAN = "sendSms";

    /** The inputs of each send task (see {@link MessagingVariables}); the customer defaults to the journey's. */
    public static final List<String> EMAIL_INPUTS = names(
            MessagingVariables.TEMPLATE_ID,
            MessagingVariables.TEMPLATE_DATA,
            MessagingVariables.FROM_EMAIL,
            MessagingVariables.FROM_NAME,
            MessagingVariables.CATEGORY,
            MessagingVariables.WHEN_CAPPED,
            JourneyStartVariables.CUSTOMER_ID);

    public static final List<String> SMS_INPUTS = names(
            MessagingVariables.SMS_TEXT,
            MessagingVariables.CATEGORY,
            MessagingVariables.WHEN_CAPPED,
            JourneyStartVariables.CUSTOMER_ID);

    private static List<String> names(ProcessVariable<?>... variables) {
        return Stream.of(variables).map(ProcessVariable::name).toList();
    }

    private SendStep() {}
}
