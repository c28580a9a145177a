package io.loyalflow.campaign;

import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.provider.EmailProvider;
import io.loyalflow.platform.web.FieldViolation;
import io.loyalflow.platform.web.Violations;
import io.loyalflow.segment.Audiences;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.stereotype.Component;

/**
 * Whether a campaign could run: everything its template asks for is set, and nothing is set that
 * the template does not have (a misspelt step id would otherwise be silently ignored). Every problem
 * is listed, each with the setting at fault.
 */
@Component
class ActivationChecks {

  private final RepositoryService repository;
  private final Audiences audiences;
  private final EmailProvider emailProvider;
  private final MessagingProperties messaging;

  ActivationChecks(RepositoryService repository, Audiences audiences, EmailProvider emailProvider,
      MessagingProperties messaging) {
    this.repository = repository;
    this.audiences = audiences;
    this.emailProvider = emailProvider;
    this.messaging = messaging;
  }

  /** Checks that need no deployed model: the audience's conditions parse. */
  void checkAudienceShape(CampaignSettings settings, Violations violations) {
    if (settings.audience() != null && settings.audience().conditions() != null) {
      audiences.narrowing(settings.audience().conditions(), "settings.audience.conditions", violations);
    }
  }

  List<FieldViolation> problems(String template, CampaignSettings settings) {
    Violations problems = new Violations();
    CampaignSettings.TriggerType trigger = settings.trigger().type();
    if (settings.audience() == null) {
      if (trigger == CampaignSettings.TriggerType.SEGMENT_ENTERED || trigger == CampaignSettings.TriggerType.RECURRING) {
        problems.add("settings.audience", "no audience: a campaign entered by " + trigger
            + " needs a segment (settings.audience.segment)");
      }
    } else if (!audiences.segmentExists(settings.audience().segment())) {
      problems.add("settings.audience.segment", "no segment '" + settings.audience().segment() + "' exists");
    }
    Optional<TemplateModel> found = TemplateModel.latest(repository, template);
    if (found.isEmpty()) {
      problems.add("template", "no process '" + template + "' is deployed; deploy it from Camunda Modeler first");
      return problems.list();
    }
    TemplateModel model = found.get();
    if (model.usesFollowUp()) {
      if (settings.followUp() == null) {
        problems.add("settings.followUp", "template " + template + " starts a follow-up scenario: name its process");
      } else {
        Optional<TemplateModel> followUp = TemplateModel.latest(repository, settings.followUp());
        if (followUp.isEmpty()) {
          problems.add("settings.followUp", "no process '" + settings.followUp() + "' is deployed");
        } else {
          // The scenario runs on this campaign's settings: its messages, waits and options are the campaign's too.
          model = model.including(followUp.get());
        }
      }
    } else if (settings.followUp() != null) {
      problems.add("settings.followUp", "template " + template + " starts no follow-up scenario");
    }
    TemplateModel steps = model;
    steps.emailSteps().forEach((step, name) -> {
      CampaignSettings.Message message = settings.messages().get(step);
      if (message == null && !needed(steps, step, settings)) {
        return;
      }
      if (message == null) {
        problems.add("settings.messages." + step, "the e-mail step '" + name + "' has no message (templateId)");
      } else if (message.templateId() == null) {
        problems.add("settings.messages." + step, "'" + name + "' sends e-mail: give templateId, not smsText");
      }
    });
    steps.smsSteps().forEach((step, name) -> {
      CampaignSettings.Message message = settings.messages().get(step);
      if (message == null && !needed(steps, step, settings)) {
        return;
      }
      if (message == null) {
        problems.add("settings.messages." + step, "the SMS step '" + name + "' has no message (smsText)");
      } else if (message.smsText() == null) {
        problems.add("settings.messages." + step, "'" + name + "' sends SMS: give smsText, not templateId");
      }
    });
    settings.messages().keySet().stream().filter(step -> !steps.emailSteps().containsKey(step)
            && !steps.smsSteps().containsKey(step))
        .forEach(step -> problems.add("settings.messages." + step, "template " + template + " has no send step "
            + step + " that takes its message from the campaign"));
    settings.arms().keySet().stream().filter(step -> !steps.splitSteps().containsKey(step))
        .forEach(step -> problems.add("settings.arms." + step, "template " + template + " has no A/B split " + step));
    settings.waits().keySet().stream().filter(wait -> !steps.waits().contains(wait))
        .forEach(wait -> problems.add("settings.waits." + wait, "template " + template + " has no wait '" + wait
            + "' (it has: " + String.join(", ", steps.waits()) + ")"));
    settings.options().keySet().stream().filter(option -> !steps.options().contains(option))
        .forEach(option -> problems.add("settings.options." + option, "template " + template + " has no option '"
            + option + "' (it has: " + String.join(", ", steps.options()) + ")"));
    if (!steps.emailSteps().isEmpty()) {
      checkSender(settings, problems);
    }
    return problems.list();
  }

  /** A step that runs only under an option needs its message only when the option is on. */
  private static boolean needed(TemplateModel model, String step, CampaignSettings settings) {
    String option = model.stepOptions().get(step);
    return option == null || settings.option(option);
  }

  private void checkSender(CampaignSettings settings, Violations problems) {
    String from = settings.sender() != null ? settings.sender().email() : messaging.sendgrid().fromEmail();
    String field = settings.sender() != null ? "settings.sender.email" : "settings.sender";
    if (from == null) {
      problems.add(field, "no sender: set settings.sender or loyalflow.messaging.sendgrid.from-email");
      return;
    }
    try {
      Optional<Boolean> verified = emailProvider.isVerifiedSender(from);
      if (verified.isPresent() && !verified.get()) {
        problems.add(field, from + " is not a verified sender in SendGrid (Settings → Sender Authentication)");
      }
    } catch (IOException e) {
      problems.add(field, "could not ask SendGrid whether " + from + " is a verified sender: " + e.getMessage());
    }
  }

}
