package io.loyalflow.messaging;

import java.util.Date;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Compute smart send time" step ({@code ${smartSendTime}}): writes the moment of the customer's next
 * usual purchase hour (moved into the e-mail window, see {@link SmartSend}) to a date variable (default
 * {@code smartSendAt}), for the timer after it (Timer type Date, {@code ${smartSendAt}}).
 */
@Component(SmartSendTimeDelegate.BEAN)
class SmartSendTimeDelegate implements JavaDelegate {

  static final String BEAN = "smartSendTime";
  // Inputs (the element template's fields)
  static final String FALLBACK_HOUR = "fallbackHour";
  static final String RESULT_VARIABLE = "resultVariable";
  static final String CUSTOMER_ID = "customerId";
  static final String DEFAULT_RESULT_VARIABLE = "smartSendAt";

  private static final Logger log = LoggerFactory.getLogger(SmartSendTimeDelegate.class);
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final SmartSend smartSend;

  SmartSendTimeDelegate(SmartSend smartSend) {
    this.smartSend = smartSend;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String step = "Step '" + (execution.getCurrentActivityName() == null ? execution.getCurrentActivityId()
        : execution.getCurrentActivityName()) + "'";
    String customerId = SendTaskSupport.text(execution, CUSTOMER_ID);
    if (customerId == null) {
      throw new IllegalArgumentException(step + ": no customerId (an input of the task or a process variable)");
    }
    String variable = SendTaskSupport.text(execution, RESULT_VARIABLE);
    variable = variable == null ? DEFAULT_RESULT_VARIABLE : variable;
    if (!VARIABLE_NAME.matcher(variable).matches()) {
      throw new IllegalArgumentException(step + ": resultVariable must be a variable name (letters, digits, _), got \""
          + variable + "\"");
    }
    SmartSend.Plan plan = smartSend.plan(customerId, fallbackHour(execution, step));
    log.debug("{} of {}: {} ({} {}, {} hour {}:00)", step, execution.getProcessInstanceId(), plan.sendAt(),
        plan.at(), plan.zone(), plan.fallback() ? "fallback" : "usual", plan.hour());
    execution.setVariable(variable, Variables.dateValue(Date.from(plan.sendAt())));
  }

  private static int fallbackHour(DelegateExecution execution, String step) {
    Object value = execution.getVariable(FALLBACK_HOUR);
    if (value instanceof Number number && number.doubleValue() == number.intValue()
        && number.intValue() >= 0 && number.intValue() <= 23) {
      return number.intValue();
    }
    if (value != null && value.toString().trim().matches("[0-9]|1[0-9]|2[0-3]")) {
      return Integer.parseInt(value.toString().trim());
    }
    throw new IllegalArgumentException(step + ": fallbackHour must be an hour from 0 to 23, got "
        + (value == null ? "nothing" : "\"" + value + "\""));
  }
}
