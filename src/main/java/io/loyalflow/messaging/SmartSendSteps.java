package io.loyalflow.messaging;

import java.util.Date;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What a "Compute smart send time" step does: checks its inputs and plans the customer's send time
 * ({@link SmartSend}), as a date for the timer after the step.
 */
@Service
class SmartSendSteps {

    private static final Logger log = LoggerFactory.getLogger(SmartSendSteps.class);
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The step's inputs as the model gave them (null when not set); the activity's name and id name it in refusals. */
    record Step(
            String activityName,
            String activityId,
            String processInstanceId,
            String customerId,
            String resultVariable,
            Object fallbackHour) {

        String label() {
            return "Step '" + (activityName == null ? activityId : activityName) + "'";
        }
    }

    /** When to send, and the name of the variable it goes to. */
    record SendTime(String variable, Date sendAt) {}

    private final SmartSend smartSend;

    SmartSendSteps(SmartSend smartSend) {
        this.smartSend = smartSend;
    }

    SendTime plan(Step step) {
        String customerId = trimmed(step.customerId());
        if (customerId == null) {
            throw new IllegalArgumentException(
                    step.label() + ": no customerId (an input of the task or a process variable)");
        }
        String variable = trimmed(step.resultVariable());
        variable = variable == null ? MessagingVariables.SMART_SEND_AT.name() : variable;
        if (!VARIABLE_NAME.matcher(variable).matches()) {
            throw new IllegalArgumentException(step.label()
                    + ": resultVariable must be a variable name (letters, digits, _), got \"" + variable + "\"");
        }
        SmartSend.Plan plan = smartSend.plan(customerId, fallbackHour(step));
        log.debug(
                "{} of {}: {} ({} {}, {} hour {}:00)",
                step.label(),
                step.processInstanceId(),
                plan.sendAt(),
                plan.at(),
                plan.zone(),
                plan.fallback() ? "fallback" : "usual",
                plan.hour());
        return new SendTime(variable, Date.from(plan.sendAt()));
    }

    private static int fallbackHour(Step step) {
        Object value = step.fallbackHour();
        if (value instanceof Number number
                && number.doubleValue() == number.intValue()
                && number.intValue() >= 0
                && number.intValue() <= 23) {
            return number.intValue();
        }
        if (value != null && value.toString().trim().matches("[0-9]|1[0-9]|2[0-3]")) {
            return Integer.parseInt(value.toString().trim());
        }
        throw new IllegalArgumentException(step.label() + ": fallbackHour must be an hour from 0 to 23, got "
                + (value == null ? "nothing" : "\"" + value + "\""));
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
