package io.loyalflow.campaign;

import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_REVISION;
import static io.loyalflow.platform.engine.JourneyStartVariables.CUSTOMER_ID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Campaigns campaigns;
    private final Clock clock;

    CampaignSteps(Campaigns campaigns, Clock clock) {
        this.campaigns = campaigns;
        this.clock = clock;
    }

    public String templateId(DelegateExecution execution, String step) {
        CampaignSettings.Message message = message(execution, step);
        if (message.templateId() == null) {
            throw new IllegalStateException("Step " + step + " sends e-mail, but the campaign gives it an SMS text");
        }
        return message.templateId();
    }

    /**
     * The SendGrid template a decision chose for the step ({@code decided}, e.g. the welcome-advice table's
     * output), else, when the decision gave none (an empty text, its default row), the campaign's message for the
     * step: {@code ${campaign.decidedTemplateId(execution, 'Task_SendAdvice', adviceTemplateId)}}. A decided value
     * that is no SendGrid template id stops the step with an incident naming it, rather than send something else.
     */
    public String decidedTemplateId(DelegateExecution execution, String step, Object decided) {
        String chosen = decided == null ? "" : decided.toString().trim();
        if (chosen.isEmpty()) {
            return templateId(execution, step);
        }
        if (!SENDGRID_TEMPLATE_ID.matcher(chosen).matches()) {
            throw new IllegalStateException("Step " + step + ": the decision chose '"
                    + (chosen.length() > 60 ? chosen.substring(0, 60) + "..." : chosen)
                    + "', which is no SendGrid dynamic template id (d- and 32 lowercase hex characters); "
                    + "correct the decision table's row and retry the step");
        }
        return chosen;
    }

    private static final Pattern SENDGRID_TEMPLATE_ID = Pattern.compile("d-[0-9a-f]{32}");

    /** The step's dynamic template data (a map, tokens rendered by the send step), or null. */
    public Object templateData(DelegateExecution execution, String step) {
        CampaignSettings.Message message = message(execution, step);
        return message.templateData() == null ? null : JSON.convertValue(message.templateData(), Map.class);
    }

    public String smsText(DelegateExecution execution, String step) {
        CampaignSettings.Message message = message(execution, step);
        if (message.smsText() == null) {
            throw new IllegalStateException(
                    "Step " + step + " sends SMS, but the campaign gives it an e-mail template");
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

    /**
     * When a wait counted from a moment is over: {@code from} (an ISO-8601 instant, e.g. the variable
     * {@code cartUpdatedAt}, or the result of another {@code waitUntil}) plus the campaign's wait, else the
     * template's default. For a timer's {@code timeDate}: {@code ${campaign.waitUntil(execution, 'reminderDelay',
     * 'PT4H', cartUpdatedAt)}}. A wait that a later event can push (a cart updated again) is such a due date,
     * checked with {@link #waitOver} when the timer fires.
     */
    public Date waitUntil(DelegateExecution execution, String name, String defaultDuration, Object from) {
        return Date.from(dueAt(execution, name, defaultDuration, from));
    }

    /** Whether the wait counted from {@code from} is over now (the injected clock): see {@link #waitUntil}. */
    public boolean waitOver(DelegateExecution execution, String name, String defaultDuration, Object from) {
        return !clock.instant().isBefore(dueAt(execution, name, defaultDuration, from));
    }

    private Instant dueAt(DelegateExecution execution, String name, String defaultDuration, Object from) {
        Instant start;
        if (from instanceof Date date) {
            start = date.toInstant();
        } else if (from instanceof Instant instant) {
            start = instant;
        } else if (from instanceof String text && !text.isBlank()) {
            try {
                start = Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalStateException(
                        step(execution) + ": the wait " + name + " counts from '" + text + "', not an ISO-8601 instant",
                        e);
            }
        } else {
            throw new IllegalStateException(step(execution) + ": the wait " + name + " counts from nothing (" + from
                    + "): the variable it names is not set");
        }
        return start.plus(CampaignSettings.durationOf(wait(execution, name, defaultDuration)));
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

    // ---- e-mail series: the step inside a sequential multi-instance subprocess names its e-mail by the
    // subprocess's loopCounter (0 for e-mail 1); what an e-mail inherits from e-mail 1 is resolved here.

    /** How many e-mails the series has: the multi-instance subprocess's loop cardinality. */
    public int seriesLength(DelegateExecution execution) {
        return settings(execution).series().size();
    }

    /** The delay before e-mail {@code index + 1}, after the previous one (e-mail 1: after entry). */
    public String seriesDelay(DelegateExecution execution, int index) {
        CampaignSettings.ResolvedEmail email = seriesEmail(execution, index);
        if (email.after() == null) {
            throw new IllegalStateException("E-mail " + (index + 1) + " of campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull()
                    + " has no delay (settings.series[" + index + "].after)");
        }
        return email.after();
    }

    public boolean seriesSmartSend(DelegateExecution execution, int index) {
        return seriesEmail(execution, index).smartSend();
    }

    public String seriesTemplateId(DelegateExecution execution, int index) {
        CampaignSettings.ResolvedEmail email = seriesEmail(execution, index);
        if (email.templateId() == null) {
            throw new IllegalStateException("E-mail " + (index + 1) + " of campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull()
                    + " has no SendGrid template (settings.series[" + index + "].templateId)");
        }
        return email.templateId();
    }

    /** E-mail 1's template data overlaid with this e-mail's own (a map; tokens are rendered by the send step), or null. */
    public Object seriesTemplateData(DelegateExecution execution, int index) {
        JsonNode data = seriesEmail(execution, index).templateData();
        return data == null ? null : JSON.convertValue(data, Map.class);
    }

    /** The e-mail's sender, its own or e-mail 1's or the campaign's; null for the configured one. */
    public String seriesFromEmail(DelegateExecution execution, int index) {
        CampaignSettings.Sender sender = seriesEmail(execution, index).sender();
        return sender == null ? null : sender.email();
    }

    public String seriesFromName(DelegateExecution execution, int index) {
        CampaignSettings.Sender sender = seriesEmail(execution, index).sender();
        return sender == null ? null : sender.name();
    }

    /** The local hour smart-sent e-mails go out at for customers without a usual purchase hour. */
    public int smartSendFallbackHour(DelegateExecution execution) {
        CampaignSettings.SmartSend smartSend = settings(execution).smartSend();
        if (smartSend == null) {
            throw new IllegalStateException(step(execution) + ": campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull()
                    + " sets no smart send fallback hour (settings.smartSend.fallbackHour)");
        }
        return smartSend.fallbackHour();
    }

    // ---- the team's Tasklist task

    /** Whether the campaign asks for a task for the team (settings.teamTask). */
    public boolean teamTask(DelegateExecution execution) {
        return settings(execution).teamTask() != null;
    }

    /** The candidate group of the team's task: {@code camunda:candidateGroups="${campaign.teamTaskGroup(execution)}"}. */
    public String teamTaskGroup(DelegateExecution execution) {
        return requireTeamTask(execution).group();
    }

    /**
     * Names the team's task as the campaign says, when it is created (a task listener,
     * {@code ${campaign.nameTeamTask(task)}}): the model's own name stays what analysts read in the
     * diagram, Tasklist shows the campaign's title; the description says which customer it is about.
     */
    public void nameTeamTask(DelegateTask task) {
        CampaignSettings.TeamTask teamTask = requireTeamTask(task.getExecution());
        task.setName(teamTask.title());
        String customer = "Customer " + CUSTOMER_ID.from(task.getExecution()).getOrNull() + " (campaign "
                + CAMPAIGN_KEY.from(task.getExecution()).getOrNull() + ")";
        task.setDescription(teamTask.description() == null ? customer : teamTask.description() + "\n\n" + customer);
    }

    private CampaignSettings.TeamTask requireTeamTask(DelegateExecution execution) {
        CampaignSettings.TeamTask teamTask = settings(execution).teamTask();
        if (teamTask == null) {
            throw new IllegalStateException(step(execution) + ": campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull() + " asks for no team task (settings.teamTask)");
        }
        return teamTask;
    }

    private CampaignSettings.ResolvedEmail seriesEmail(DelegateExecution execution, int index) {
        CampaignSettings settings = settings(execution);
        if (index < 0 || index >= settings.series().size()) {
            throw new IllegalStateException(step(execution) + ": campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull() + " lists "
                    + settings.series().size() + " e-mail(s) in settings.series, not e-mail " + (index + 1));
        }
        return settings.seriesEmail(index);
    }

    /** The campaign's settings revision this journey entered with. */
    public CampaignSettings settings(DelegateExecution execution) {
        String key = CAMPAIGN_KEY.from(execution).getOrNull();
        Integer revision = CAMPAIGN_REVISION.from(execution).getOrNull();
        if (key == null || revision == null) {
            throw new IllegalStateException(
                    step(execution) + " reads campaign settings, but the journey was not started "
                            + "by a campaign (no campaignKey / campaignRevision variables)");
        }
        return campaigns.settings(key, revision);
    }

    private CampaignSettings.Message message(DelegateExecution execution, String step) {
        CampaignSettings.Message message = settings(execution).messages().get(step);
        if (message == null) {
            throw new IllegalStateException("Step " + step + ": campaign "
                    + CAMPAIGN_KEY.from(execution).getOrNull() + " has no message for it (settings.messages." + step
                    + ")");
        }
        return message;
    }

    private static String step(DelegateExecution execution) {
        String name = execution.getCurrentActivityName();
        return "Step '" + (name == null ? execution.getCurrentActivityId() : name) + "'";
    }
}
