package io.loyalflow.recommendation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Find product recommendations" step ({@code ${recommendProducts}}): writes the customer's
 * recommended products to a process variable (default {@code recommendations}) as a JSON array of
 * {@code {"sku": ..., "category": ...}}, best first. A send step's template data hands it to SendGrid as
 * an array when a value is exactly {@code {{var.recommendations}}} (see MessageTokens), for the
 * template's {@code {{#each}}}. Computed once, at this step: a retried send shows the same products.
 */
@Component(RecommendProductsDelegate.BEAN)
class RecommendProductsDelegate implements JavaDelegate {

  static final String BEAN = "recommendProducts";
  // Inputs (the element template's fields)
  static final String COUNT = "count";
  static final String RESULT_VARIABLE = "resultVariable";
  static final String CUSTOMER_ID = "customerId";
  static final String DEFAULT_RESULT_VARIABLE = "recommendations";

  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProductRecommendations recommendations;

  RecommendProductsDelegate(ProductRecommendations recommendations) {
    this.recommendations = recommendations;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String step = "Step '" + (execution.getCurrentActivityName() == null ? execution.getCurrentActivityId()
        : execution.getCurrentActivityName()) + "'";
    String customerId = text(execution, CUSTOMER_ID);
    if (customerId == null) {
      throw new IllegalArgumentException(step + ": no customerId (an input of the task or a process variable)");
    }
    String variable = text(execution, RESULT_VARIABLE);
    variable = variable == null ? DEFAULT_RESULT_VARIABLE : variable;
    if (!VARIABLE_NAME.matcher(variable).matches()) {
      throw new IllegalArgumentException(step + ": resultVariable must be a variable name (letters, digits, _), got \""
          + variable + "\"");
    }
    String count = text(execution, COUNT);
    List<ProductRecommendations.Product> products;
    if (count == null) {
      products = recommendations.forCustomer(customerId);
    } else {
      int n;
      try {
        n = Integer.parseInt(count);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(step + ": count must be a whole number from 1 to "
            + ProductRecommendations.MAX_COUNT + ", got \"" + count + "\"", e);
      }
      if (n < 1 || n > ProductRecommendations.MAX_COUNT) {
        throw new IllegalArgumentException(step + ": count must be from 1 to " + ProductRecommendations.MAX_COUNT
            + ", got " + n);
      }
      products = recommendations.forCustomer(customerId, n);
    }
    try {
      execution.setVariable(variable, Variables.stringValue(JSON.writeValueAsString(products)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(DelegateExecution execution, String name) {
    Object value = execution.getVariable(name);
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    return value.toString().trim();
  }
}
