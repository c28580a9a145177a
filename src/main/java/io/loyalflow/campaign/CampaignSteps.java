package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The campaign's settings as seen from a journey step, for expressions in the templates:
 * {@code ${campaign.templateId(execution, 'Task_SendOffer')}}, {@code ${campaign.wait(execution, 'orderWait', 'P14D')}}.
 * A journey reads the settings revision it entered with ({@code campaignRevision}), so changing a
 * running campaign never changes a journey already under way. A step names its message key (by
 * convention its BPMN id) in the expression: input mappings are evaluated in the scope around the
 * task, where the engine does not tell which task is starting.
 */
@Component(CampaignSteps.BEAN)
public class CampaignSteps {

  public static final String BEAN = "campaign";
  /** Process variables every journey starts with. */
  public static final String CAMPAIGN_KEY = "campaignKey";
  public static final String CAMPAIGN_REVISION = "campaignRevision";
  public static final String CUSTOMER_ID = "customerId";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Campaigns campaigns;

  CampaignSteps(Campaigns campaigns) {
    this.campaigns = campaigns;
  }

  public String templateId(DelegateExecution execution, String step) {
    CampaignSettings.Message message = message(execution, step);
    if (message.templateId() == null) {
      throw new IllegalStateException("Step " + step + " sends e-mail, but the campaign gives it an SMS text");
    }
    return message.templateId();
  }

  /** The step's dynamic template data (a map, tokens rendered by the send step), or null. */
  public Object templateData(DelegateExecution execution, String step) {
    CampaignSettings.Message message = message(execution, step);
    return message.templateData() == null ? null : JSON.convertValue(message.templateData(), Map.class);
  }

  public String smsText(DelegateExecution execution, String step) {
    CampaignSettings.Message message = message(execution, step);
    if (message.smsText() == null) {
      throw new IllegalStateException("Step " + step + " sends SMS, but the campaign gives it an e-mail template");
    }
    return message.smsText();
  }

  public String fromEmail(DelegateExecution execution) {
    CampaignSettings.Sender sender = settings(execution).sender();
    return sender == null ? null : sender.email();
  }

  public String fromName(DelegateExecution execution) {
    CampaignSettings.Sender sender = settings(execution).sender();
    return sender == null ? null : sender.name();
  }

  /** A wait's duration: the campaign's, else the template's default. */
  public String wait(DelegateExecution execution, String name, String defaultDuration) {
    return settings(execution).waits().getOrDefault(name, defaultDuration);
  }

  /** An A/B split's weights: the campaign's for this step, else the template's default. */
  public String arms(DelegateExecution execution, String step, String defaultArms) {
    return settings(execution).arms().getOrDefault(step, defaultArms);
  }

  public boolean option(DelegateExecution execution, String name) {
    return settings(execution).option(name);
  }

  public String followUp(DelegateExecution execution) {
    String followUp = settings(execution).followUp();
    if (followUp == null) {
      throw new IllegalStateException(step(execution) + ": the campaign names no follow-up scenario");
    }
    return followUp;
  }

  /** The campaign's settings revision this journey entered with. */
  public CampaignSettings settings(DelegateExecution execution) {
    Object key = execution.getVariable(CAMPAIGN_KEY);
    Object revision = execution.getVariable(CAMPAIGN_REVISION);
    if (key == null || revision == null) {
      throw new IllegalStateException(step(execution) + " reads campaign settings, but the journey was not started "
          + "by a campaign (no campaignKey / campaignRevision variables)");
    }
    return campaigns.settings(key.toString(), ((Number) revision).intValue());
  }

  private CampaignSettings.Message message(DelegateExecution execution, String step) {
    CampaignSettings.Message message = settings(execution).messages().get(step);
    if (message == null) {
      throw new IllegalStateException("Step " + step + ": campaign " + execution.getVariable(CAMPAIGN_KEY)
          + " has no message for it (settings.messages." + step + ")");
    }
    return message;
  }

  private static String step(DelegateExecution execution) {
    String name = execution.getCurrentActivityName();
    return "Step '" + (name == null ? execution.getCurrentActivityId() : name) + "'";
  }
}
