package io.loyalflow.campaign;

import io.loyalflow.audience.AdAudiences;
import io.loyalflow.experiment.ArmBranches;
import io.loyalflow.experiment.Arms;
import io.loyalflow.messaging.MessagingProperties;
import io.loyalflow.messaging.SenderVerification;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.segment.Audiences;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
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
    private final IdentityService identity;
    private final Audiences audiences;
    private final SenderVerification senders;
    private final MessagingProperties messaging;

    private final AdAudiences adAudiences;

    ActivationChecks(
            RepositoryService repository,
            IdentityService identity,
            Audiences audiences,
            SenderVerification senders,
            MessagingProperties messaging,
            AdAudiences adAudiences) {
        this.adAudiences = adAudiences;
        this.repository = repository;
        this.identity = identity;
        this.audiences = audiences;
        this.senders = senders;
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
            if (trigger == CampaignSettings.TriggerType.SEGMENT_ENTERED
                    || trigger == CampaignSettings.TriggerType.RECURRING) {
                problems.add(
                        "settings.audience",
                        "no audience: a campaign entered by " + trigger
                                + " needs a segment (settings.audience.segment)");
            }
        } else if (!audiences.segmentExists(settings.audience().segment())) {
            problems.add(
                    "settings.audience.segment",
                    "no segment '" + settings.audience().segment() + "' exists");
        }
        if (CampaignSettings.WELCOME_TEMPLATE.equals(template)) {
            checkWelcomeEntry(settings, problems);
        } else if (trigger.welcomesNewCustomers()) {
            problems.add(
                    "settings.trigger.type",
                    trigger + " enters the welcome programme (template " + CampaignSettings.WELCOME_TEMPLATE
                            + "), not template " + template);
        }
        checkOrderEntry(template, settings, problems);
        checkAdvocateEntry(template, settings, problems);
        Optional<TemplateModel> found = TemplateModel.latest(repository, template);
        if (found.isEmpty()) {
            problems.add("template", "no process '" + template + "' is deployed; deploy it from Camunda Modeler first");
            return problems.list();
        }
        TemplateModel model = found.get();
        if (model.usesFollowUp()) {
            if (settings.followUp() == null) {
                problems.add(
                        "settings.followUp", "template " + template + " starts a follow-up scenario: name its process");
            } else {
                Optional<TemplateModel> followUp = TemplateModel.latest(repository, settings.followUp());
                if (followUp.isEmpty()) {
                    problems.add("settings.followUp", "no process '" + settings.followUp() + "' is deployed");
                } else {
                    // The scenario runs on this campaign's settings: its messages, waits and options are the campaign's
                    // too.
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
        settings.messages().keySet().stream()
                .filter(step -> !steps.emailSteps().containsKey(step)
                        && !steps.smsSteps().containsKey(step))
                .forEach(step -> problems.add(
                        "settings.messages." + step,
                        "template " + template + " has no send step " + step
                                + " that takes its message from the campaign"));
        settings.arms().keySet().stream()
                .filter(step -> !steps.splitSteps().containsKey(step))
                .forEach(step ->
                        problems.add("settings.arms." + step, "template " + template + " has no A/B split " + step));
        settings.experiments().keySet().stream()
                .filter(step -> !steps.splits().containsKey(step))
                .forEach(step -> problems.add(
                        "settings.experiments." + step, "template " + template + " has no A/B split " + step));
        settings.waits().keySet().stream()
                .filter(wait -> !steps.waits().contains(wait))
                .forEach(wait -> problems.add(
                        "settings.waits." + wait,
                        "template " + template + " has no wait '" + wait + "' (it has: "
                                + String.join(", ", steps.waits()) + ")"));
        settings.options().keySet().stream()
                .filter(option -> !steps.options().contains(option))
                .forEach(option -> problems.add(
                        "settings.options." + option,
                        "template " + template + " has no option '" + option + "' (it has: "
                                + String.join(", ", steps.options()) + ")"));
        checkCartTrigger(template, steps, settings, problems);
        checkArms(steps, settings, problems);
        checkVariant(template, steps, settings, problems);
        checkSeries(template, steps, settings, problems);
        checkTeamTask(template, steps, settings, problems);
        if (settings.adAudience() != null) {
            adAudiences
                    .refusalForJourneys(settings.adAudience())
                    .ifPresent(reason -> problems.add("settings.adAudience", reason));
        }
        if (!steps.emailSteps().isEmpty() || (!steps.seriesSteps().isEmpty() && usesCampaignSender(settings))) {
            checkSender(settings, problems);
        }
        return problems.list();
    }

    /**
     * The welcome programme is entered by the customer's first order (FIRST_ORDER, the default) or a new profile
     * with e-mail consent (NEW_PROFILE), and once per customer ever.
     */
    static void checkWelcomeEntry(CampaignSettings settings, Violations problems) {
        CampaignSettings.TriggerType trigger = settings.trigger().type();
        if (!trigger.welcomesNewCustomers()) {
            problems.add(
                    "settings.trigger.type",
                    "a welcome campaign is entered by FIRST_ORDER (the customer's first order, the default) or "
                            + "NEW_PROFILE (a new profile with e-mail consent), not " + trigger);
        }
        // with FIRST_ORDER or NEW_PROFILE the settings parser itself refuses any policy but ONCE
        if (!trigger.welcomesNewCustomers() && settings.reentry().policy() != CampaignSettings.ReentryPolicy.ONCE) {
            problems.add(
                    "settings.reentry",
                    "a welcome campaign enters a customer once ever: policy ONCE (or leave reentry out), not "
                            + settings.reentry().policy());
        }
    }

    /**
     * The cross-sell offer follows one order: its journeys are entered by ORDER_PLACED (which gives them the order),
     * and ORDER_PLACED enters nothing else.
     */
    static void checkOrderEntry(String template, CampaignSettings settings, Violations problems) {
        boolean orderTrigger = settings.trigger().type() == CampaignSettings.TriggerType.ORDER_PLACED;
        boolean crossSell = CampaignSettings.CROSS_SELL_TEMPLATE.equals(template);
        if (crossSell && !orderTrigger) {
            problems.add(
                    "settings.trigger.type",
                    "a cross-sell campaign follows an order: it is entered by ORDER_PLACED (the default), not "
                            + settings.trigger().type());
        }
        if (crossSell) {
            checkCrossSellWaits(settings, problems);
        }
        if (!crossSell && orderTrigger && template != null) {
            problems.add(
                    "settings.trigger.type",
                    "ORDER_PLACED enters the cross-sell offer (template " + CampaignSettings.CROSS_SELL_TEMPLATE
                            + "), not template " + template);
        }
    }

    /**
     * The offer's wait lies between the shortest and the longest (the step timing it refuses anything else, on every
     * journey): the campaign's waits, else the shipped template's defaults.
     */
    private static void checkCrossSellWaits(CampaignSettings settings, Violations problems) {
        Map<String, String> waits = settings.waits();
        Duration min = CampaignSettings.durationOf(waits.getOrDefault("minWait", "P3D"));
        Duration max = CampaignSettings.durationOf(waits.getOrDefault("maxWait", "P60D"));
        Duration fallback = CampaignSettings.durationOf(waits.getOrDefault("defaultWait", "P14D"));
        if (min.compareTo(max) > 0) {
            problems.add(
                    waits.containsKey("minWait") ? "settings.waits.minWait" : "settings.waits.maxWait",
                    "the shortest wait before the offer (minWait " + waits.getOrDefault("minWait", "P3D")
                            + ") is longer than the longest (maxWait " + waits.getOrDefault("maxWait", "P60D") + ")");
        } else if (fallback.compareTo(min) < 0 || fallback.compareTo(max) > 0) {
            problems.add(
                    "settings.waits.defaultWait",
                    "the wait without purchase data (defaultWait " + waits.getOrDefault("defaultWait", "P14D")
                            + ") must lie between minWait " + waits.getOrDefault("minWait", "P3D") + " and maxWait "
                            + waits.getOrDefault("maxWait", "P60D"));
        }
    }

    /**
     * The advocate template is entered by a survey answer (SURVEY_ANSWERED) or by the top tier (TIER_CHANGED), and
     * SURVEY_ANSWERED enters nothing else. Its detractors get a task for the service team, so the campaign names
     * one; its referral ask is worth sending only with the customer's share link in it.
     */
    static void checkAdvocateEntry(String template, CampaignSettings settings, Violations problems) {
        CampaignSettings.TriggerType trigger = settings.trigger().type();
        if (!CampaignSettings.ADVOCATE_TEMPLATE.equals(template)) {
            if (trigger == CampaignSettings.TriggerType.SURVEY_ANSWERED) {
                problems.add(
                        "settings.trigger.type",
                        "SURVEY_ANSWERED enters the advocate template (" + CampaignSettings.ADVOCATE_TEMPLATE
                                + "), not template " + template);
            }
            return;
        }
        if (trigger != CampaignSettings.TriggerType.SURVEY_ANSWERED
                && trigger != CampaignSettings.TriggerType.TIER_CHANGED) {
            problems.add(
                    "settings.trigger.type",
                    "an advocate campaign is entered by SURVEY_ANSWERED (a satisfaction survey's answer) or "
                            + "TIER_CHANGED (a customer reaching the top tier), not " + trigger);
        }
        if (settings.teamTask() == null) {
            problems.add(
                    "settings.teamTask",
                    "detractors (score 0 to 6) get a task for the service team: give its title (and candidateGroup)");
        }
        CampaignSettings.Message ask = settings.messages().get(ADVOCATE_REFERRAL_ASK);
        if (ask != null
                && ask.templateId() != null
                && (ask.templateData() == null || !ask.templateData().toString().contains("{{referralShareUrl"))) {
            problems.add(
                    "settings.messages." + ADVOCATE_REFERRAL_ASK + ".templateData",
                    "the referral ask carries the customer's share link: put {{referralShareUrl|<fallback link>}} in "
                            + "its template data");
        }
    }

    /** The advocate template's referral ask (bpmn/advocate.bpmn). */
    static final String ADVOCATE_REFERRAL_ASK = "Task_AskReferral";

    /**
     * Every arm of every A/B split has a branch of its own after the step, and every branch an arm with a
     * weight: otherwise a customer could take another arm's path, or a branch would never run. The control
     * arm's branch is the exception: a campaign without a control weight has no holdout.
     */
    private static void checkArms(TemplateModel model, CampaignSettings settings, Violations problems) {
        model.splits().forEach((step, split) -> {
            String at = "the A/B split '" + split.name() + "' (" + step + ")";
            ArmBranches branches = split.branches();
            branches.modelFaults().forEach(fault -> problems.add("template", at + ": " + fault));
            String field = split.settingsKey() == null ? "template" : "settings.arms." + split.settingsKey();
            String weights = split.settingsKey() == null
                    ? split.defaultArms()
                    : settings.arms().getOrDefault(split.settingsKey(), split.defaultArms());
            if (weights == null
                    || (branches.arms().isEmpty() && !branches.modelFaults().isEmpty())) {
                return;
            }
            Arms arms;
            try {
                arms = Arms.parse(weights);
            } catch (IllegalArgumentException e) {
                problems.add(field, at + ": arms " + weights + ": " + e.getMessage());
                return;
            }
            List<String> unrouted = branches.unrouted(arms);
            if (!unrouted.isEmpty()) {
                problems.add(
                        field,
                        at + " has no branch for arm " + String.join(", ", unrouted) + ": its gateway routes "
                                + (branches.arms().isEmpty() ? "no arm" : String.join(", ", branches.arms())));
            }
            // the control arm's branch (a holdout) needs no weight: without one it is closed (weight 0)
            String control = settings.experiment(step).controlArm();
            List<String> unweighted = branches.arms().stream()
                    .filter(arm -> !arms.names().contains(arm) && !arm.equals(control))
                    .toList();
            if (!unweighted.isEmpty()) {
                problems.add(
                        field,
                        at + " routes arm " + String.join(", ", unweighted) + ", which the weights " + weights
                                + " leave out: give it a weight (0 keeps it closed) or remove its branch");
            }
        });
    }

    /**
     * A cart journey (a template catching cart updates) is entered by cart updates and by nothing else, and the
     * other way round; a newer cart replaces the customer's journey and enters again, so re-entry is AFTER_EXIT.
     */
    private static void checkCartTrigger(
            String template, TemplateModel model, CampaignSettings settings, Violations problems) {
        boolean cartTrigger = settings.trigger().type() == CampaignSettings.TriggerType.CART_UPDATED;
        if (model.cartJourney() && !cartTrigger) {
            problems.add(
                    "settings.trigger.type",
                    "template " + template + " follows a cart: its journeys are entered by CART_UPDATED, not "
                            + settings.trigger().type());
        } else if (!model.cartJourney() && cartTrigger) {
            problems.add(
                    "settings.trigger.type",
                    "template " + template + " does not follow carts (it catches no "
                            + TemplateModel.CART_UPDATED_MESSAGE + "): CART_UPDATED enters only cart templates "
                            + "such as abandoned-cart");
        }
        if (cartTrigger && settings.reentry().policy() != CampaignSettings.ReentryPolicy.AFTER_EXIT) {
            problems.add(
                    "settings.reentry.policy",
                    "a CART_UPDATED campaign enters a customer once per cart (a newer cart replaces the journey): "
                            + "AFTER_EXIT, not " + settings.reentry().policy());
        }
    }

    /** A template offering variants needs one chosen, and the variant's segment is the audience's. */
    private static void checkVariant(
            String template, TemplateModel model, CampaignSettings settings, Violations problems) {
        CampaignSettings.Variant variant = settings.variant();
        if (model.variants().isEmpty()) {
            if (variant != null) {
                problems.add("settings.variant", "template " + template + " has no variants");
            }
            return;
        }
        if (variant == null) {
            problems.add(
                    "settings.variant",
                    "template " + template + " runs as one of " + String.join(", ", model.variants()) + ": choose one");
            return;
        }
        if (!model.variants().contains(variant.name())) {
            problems.add(
                    "settings.variant",
                    "template " + template + " offers " + String.join(", ", model.variants()) + ", not " + variant);
        }
        if (settings.audience() != null
                && !variant.segment().equals(settings.audience().segment())) {
            problems.add(
                    "settings.audience.segment",
                    "the " + variant + " variant enters customers from segment " + variant.segment() + ", not "
                            + settings.audience().segment());
        }
        if (settings.trigger().type() != CampaignSettings.TriggerType.SEGMENT_ENTERED) {
            problems.add(
                    "settings.trigger.type",
                    "a " + variant + " campaign is entered when a customer enters segment " + variant.segment()
                            + ": SEGMENT_ENTERED");
        }
    }

    /** Every e-mail of the series complete, the smart send hour where an e-mail needs it, each sender verified. */
    private void checkSeries(String template, TemplateModel model, CampaignSettings settings, Violations problems) {
        if (model.seriesSteps().isEmpty()) {
            if (!settings.series().isEmpty()) {
                problems.add("settings.series", "template " + template + " sends no e-mail series");
            }
            if (settings.smartSend() != null && !model.usesSmartSend()) {
                problems.add("settings.smartSend", "template " + template + " has no smart send step");
            }
            return;
        }
        if (settings.series().isEmpty()) {
            problems.add(
                    "settings.series",
                    "template " + template + " sends an e-mail series ("
                            + String.join(", ", model.seriesSteps().values()) + "): list at least one e-mail");
            return;
        }
        boolean smart = false;
        Map<String, List<String>> overrides = new LinkedHashMap<>();
        for (int i = 0; i < settings.series().size(); i++) {
            CampaignSettings.SeriesEmail email = settings.series().get(i);
            String at = "settings.series[" + i + "]";
            if (email.templateId() == null) {
                problems.add(at + ".templateId", "e-mail " + (i + 1) + " has no SendGrid template (templateId)");
            }
            if (email.after() == null) {
                problems.add(
                        at + ".after",
                        "e-mail " + (i + 1) + " has no delay: give the time after " + (i == 0 ? "entry" : "e-mail " + i)
                                + ", e.g. P0D or P3D");
            }
            if (email.sender() != null) {
                overrides.putIfAbsent(
                        email.sender().email().toLowerCase(Locale.ROOT),
                        List.of(email.sender().email(), at + ".sender.email"));
            }
            smart |= settings.seriesEmail(i).smartSend();
        }
        if (smart && settings.smartSend() == null) {
            problems.add(
                    "settings.smartSend.fallbackHour",
                    "e-mails set to smart send need the hour for customers "
                            + "without a usual purchase hour (0 to 23, their local time)");
        } else if (settings.smartSend() != null && !model.usesSmartSend()) {
            problems.add("settings.smartSend", "template " + template + " has no smart send step");
        }
        overrides.values().forEach(sender -> checkVerified(sender.get(0), sender.get(1), problems));
    }

    /** Whether some series e-mail goes from the campaign's (or the configured) sender rather than an override. */
    private static boolean usesCampaignSender(CampaignSettings settings) {
        for (int i = 0; i < settings.series().size(); i++) {
            String field = settings.seriesEmail(i).senderField();
            if (field == null || field.equals("settings.sender")) {
                return true;
            }
        }
        return false;
    }

    private void checkTeamTask(String template, TemplateModel model, CampaignSettings settings, Violations problems) {
        CampaignSettings.TeamTask task = settings.teamTask();
        if (task == null) {
            return;
        }
        if (!model.usesTeamTask()) {
            problems.add("settings.teamTask", "template " + template + " has no task for the team");
            return;
        }
        if (identity.createGroupQuery().groupId(task.group()).count() == 0) {
            problems.add(
                    task.candidateGroup() == null ? "settings.teamTask" : "settings.teamTask.candidateGroup",
                    "no group " + task.group() + " exists in Camunda's identity service (Camunda Admin → Groups)");
        }
    }

    /** A step that runs only under an option needs its message only when the option is on. */
    private static boolean needed(TemplateModel model, String step, CampaignSettings settings) {
        String option = model.stepOptions().get(step);
        return option == null || settings.option(option);
    }

    private void checkSender(CampaignSettings settings, Violations problems) {
        String from = settings.sender() != null
                ? settings.sender().email()
                : messaging.sendgrid().fromEmail();
        String field = settings.sender() != null ? "settings.sender.email" : "settings.sender";
        if (from == null) {
            problems.add(field, "no sender: set settings.sender or loyalflow.messaging.sendgrid.from-email");
            return;
        }
        checkVerified(from, field, problems);
    }

    private void checkVerified(String from, String field, Violations problems) {
        try {
            Optional<Boolean> verified = senders.isVerifiedSender(from);
            if (verified.isPresent() && !verified.get()) {
                problems.add(field, from + " is not a verified sender in SendGrid (Settings → Sender Authentication)");
            }
        } catch (IOException e) {
            problems.add(field, "could not ask SendGrid whether " + from + " is a verified sender: " + e.getMessage());
        }
    }
}
