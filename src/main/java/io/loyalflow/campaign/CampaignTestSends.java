package io.loyalflow.campaign;

import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.DeliveryRepository.Recipient;
import io.loyalflow.messaging.DeliveryStatus;
import io.loyalflow.messaging.GateDecision;
import io.loyalflow.messaging.Outbox;
import io.loyalflow.messaging.TestSends;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.Caller;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.stereotype.Service;

/**
 * Test sends of a campaign: each message step's message, rendered as the campaign would render it,
 * to a tester's e-mail address or phone and recorded as a test delivery (through {@link TestSends},
 * like {@code POST /api/messaging/test-sends}, whose rules for analysts apply: their own verified
 * address and phone only, a sample customer's personal tokens as placeholders). No journey starts and
 * nobody is enrolled. Drafts may be test-sent, archived campaigns not.
 */
@Service
class CampaignTestSends {

    private static final int MAX_CUSTOMER_ID = 100;
    /** A campaign's send steps are few; a series has at most {@link CampaignSettings#MAX_SERIES} e-mails. */
    private static final int MAX_STEPS = 500;
    /** A step key is a BPMN element id, with {@code [n]} for an e-mail of a series (deliveries' step_key). */
    private static final int MAX_STEP_KEY = 300;

    private final Campaigns campaigns;
    private final RepositoryService repository;
    private final TestSends testSends;

    CampaignTestSends(Campaigns campaigns, RepositoryService repository, TestSends testSends) {
        this.campaigns = campaigns;
        this.repository = repository;
        this.testSends = testSends;
    }

    /**
     * @param email where the e-mail steps go
     * @param phone where the SMS steps go
     * @param customerId optional: the customer whose profile fills the {@code {{tokens}}}
     * @param revision optional: the settings revision to send (default: the current one)
     * @param steps optional: the step keys to send (default: every message step of the template)
     */
    public record Request(String email, String phone, String customerId, Integer revision, List<String> steps) {}

    public record Sender(String email, String name) {}

    /**
     * One step: its delivery with the gate's decision and the provider's status, or why nothing was
     * sent: {@code skipped} (no message, or no address for the channel) or {@code error} (the message
     * cannot be rendered in a test send; also the provider's error for a RETRYABLE delivery).
     */
    public record StepResult(
            String step,
            String name,
            String channel,
            String to,
            String templateId,
            String deliveryId,
            GateDecision gateDecision,
            String gateDetail,
            DeliveryStatus status,
            String error,
            String skipped,
            Sender sender) {

        static StepResult skipped(Step step, String to, String reason) {
            return new StepResult(
                    step.key(),
                    step.name(),
                    step.channel().key(),
                    to,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    reason,
                    null);
        }

        static StepResult error(Step step, String to, String templateId, String error) {
            return new StepResult(
                    step.key(),
                    step.name(),
                    step.channel().key(),
                    to,
                    templateId,
                    null,
                    null,
                    null,
                    null,
                    error,
                    null,
                    null);
        }
    }

    /** @param sender the sender of the e-mail steps (null when no e-mail step was selected) */
    public record Result(
            String campaignId,
            int revision,
            String template,
            String customerId,
            Sender sender,
            List<StepResult> steps) {}

    /**
     * A send step whose message comes from the campaign.
     *
     * @param seriesIndex for the e-mails of a series: which one (0 for e-mail 1), the key being
     *     {@code <task id>[<index>]} as in the deliveries of a journey; null for other steps
     */
    record Step(String key, String name, Channel channel, String option, Integer seriesIndex) {}

    /** @param caller who sends: analysts only to their own verified address and phone */
    public Result send(String id, Request request, Caller caller) {
        Campaign campaign = campaigns.get(id);
        if (campaign.state() == Campaign.State.ARCHIVED) {
            throw Refusal.conflict(
                    "Campaign " + id + " is archived; archived campaigns are not test-sent.",
                    List.of(new FieldViolation("state", "is ARCHIVED")));
        }
        Violations violations = new Violations();
        boolean sampleWithinLimit = violations.withinLength("customerId", request.customerId(), MAX_CUSTOMER_ID);
        int revision = campaign.revision();
        if (request.revision() != null) {
            if (request.revision() < 1 || request.revision() > campaign.revision()) {
                violations.add("revision", "campaign " + id + " has revisions 1 to " + campaign.revision());
            } else {
                revision = request.revision();
            }
        }
        CampaignSettings settings = campaigns.settings(id, revision);
        Map<String, Step> steps = steps(campaign.template(), settings);

        boolean listed = request.steps() != null;
        List<Step> selected = new ArrayList<>();
        if (listed) {
            if (request.steps().isEmpty()) {
                violations.add(
                        "steps",
                        "name at least one send step, or leave steps out to send all of them ("
                                + String.join(", ", steps.keySet()) + ")");
            } else if (request.steps().size() > MAX_STEPS) {
                violations.add("steps", "at most " + MAX_STEPS + " steps");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < Math.min(request.steps().size(), MAX_STEPS); i++) {
                String key = request.steps().get(i);
                Step step = key == null ? null : steps.get(key);
                if (!violations.withinLength("steps[" + i + "]", key, MAX_STEP_KEY)) {
                    continue;
                }
                if (step == null) {
                    violations.add(
                            "steps[" + i + "]",
                            "campaign " + id + " has no send step '" + key + "' taking its message "
                                    + "from the campaign (it has: " + String.join(", ", steps.keySet()) + ")");
                } else if (step.seriesIndex() == null && settings.messages().get(key) == null) {
                    violations.add(
                            "steps[" + i + "]",
                            "step '" + key + "' has no message in revision " + revision + " (settings.messages." + key
                                    + ")");
                } else if (seen.add(key)) {
                    selected.add(step);
                }
            }
        } else {
            selected.addAll(steps.values());
        }

        String email = null;
        String phone = null;
        if (request.email() == null && request.phone() == null) {
            violations.add("email", "give an e-mail address, a phone number, or both");
            violations.add("phone", "give an e-mail address, a phone number, or both");
        } else {
            if (request.email() != null) {
                email = testSends.address(Channel.EMAIL, request.email(), "email", violations);
            } else if (listed) {
                requiredFor(Channel.EMAIL, "email", selected, violations);
            }
            if (request.phone() != null) {
                phone = testSends.address(Channel.SMS, request.phone(), "phone", violations);
            } else if (listed) {
                requiredFor(Channel.SMS, "phone", selected, violations);
            }
        }

        Map<Channel, Recipient> samples = new EnumMap<>(Channel.class);
        if (request.customerId() != null && sampleWithinLimit) {
            for (Channel channel : Channel.values()) {
                Optional<Recipient> sample = testSends.sample(request.customerId(), channel);
                if (sample.isEmpty()) {
                    violations.add("customerId", "no such customer");
                    break;
                }
                samples.put(channel, sample.get());
            }
        }
        violations.throwIfAny();
        testSends.requireOwnAddresses(
                caller,
                List.of(
                        new TestSends.Destination("email", Channel.EMAIL, email),
                        new TestSends.Destination("phone", Channel.SMS, phone)));

        CampaignSettings.Sender sender = settings.sender();
        List<StepResult> results = new ArrayList<>();
        for (Step step : selected) {
            String to = step.channel() == Channel.EMAIL ? email : phone;
            results.add(send(
                    campaign, revision, settings, step, to, request.customerId(), samples.get(step.channel()), caller));
        }
        Sender from = selected.stream()
                        .anyMatch(step -> step.channel() == Channel.EMAIL
                                && (step.seriesIndex() != null
                                        || settings.messages().containsKey(step.key())))
                ? new Sender(
                        firstNonBlank(sender == null ? null : sender.email(), testSends.defaultFromEmail()),
                        firstNonBlank(sender == null ? null : sender.name(), testSends.defaultFromName()))
                : null;
        return new Result(id, revision, campaign.template(), request.customerId(), from, results);
    }

    private StepResult send(
            Campaign campaign,
            int revision,
            CampaignSettings settings,
            Step step,
            String to,
            String customerId,
            Recipient sample,
            Caller caller) {
        if (step.seriesIndex() != null) {
            return sendSeriesEmail(campaign, settings, step, to, customerId, sample, caller);
        }
        CampaignSettings.Message message = settings.messages().get(step.key());
        if (message == null) {
            return StepResult.skipped(
                    step,
                    null,
                    "no message in revision " + revision + " (settings.messages."
                            + step.key() + ")"
                            + (step.option() != null && !settings.option(step.option())
                                    ? "; the step runs only when option " + step.option() + " is on"
                                    : ""));
        }
        if (to == null) {
            return StepResult.skipped(
                    step,
                    null,
                    "no " + (step.channel() == Channel.EMAIL ? "email" : "phone") + " given for this "
                            + (step.channel() == Channel.EMAIL ? "e-mail" : "SMS") + " step");
        }
        Violations problems = new Violations();
        testSends.checkMessage(
                step.channel(),
                message.templateId(),
                message.templateData(),
                message.smsText(),
                "settings.messages." + step.key() + ".",
                problems);
        if (!problems.list().isEmpty()) {
            return StepResult.error(
                    step,
                    to,
                    message.templateId(),
                    problems.list().stream()
                            .map(problem -> problem.field() + ": " + problem.message())
                            .collect(Collectors.joining("; ")));
        }
        CampaignSettings.Sender sender = settings.sender();
        Outbox.TestSendResult result = testSends.send(
                new Outbox.TestSend(
                        step.channel(),
                        to,
                        message.templateId(),
                        message.templateData() == null
                                ? null
                                : message.templateData().toString(),
                        message.smsText(),
                        campaign.id(),
                        customerId,
                        sender == null ? null : sender.email(),
                        sender == null ? null : sender.name()),
                sample,
                caller);
        return new StepResult(
                step.key(),
                step.name(),
                step.channel().key(),
                to,
                message.templateId(),
                result.deliveryId(),
                result.gateDecision(),
                result.gateDetail(),
                result.status(),
                result.error(),
                null,
                step.channel() == Channel.EMAIL ? sender(sender) : null);
    }

    /** One e-mail of the series, with the template data and sender it inherits from e-mail 1. */
    private StepResult sendSeriesEmail(
            Campaign campaign,
            CampaignSettings settings,
            Step step,
            String to,
            String customerId,
            Recipient sample,
            Caller caller) {
        if (to == null) {
            return StepResult.skipped(step, null, "no email given for this e-mail step");
        }
        CampaignSettings.ResolvedEmail email = settings.seriesEmail(step.seriesIndex());
        Violations problems = new Violations();
        testSends.checkMessage(
                Channel.EMAIL,
                email.templateId(),
                email.templateData(),
                null,
                "settings.series[" + step.seriesIndex() + "].",
                problems);
        if (!problems.list().isEmpty()) {
            return StepResult.error(
                    step,
                    to,
                    email.templateId(),
                    problems.list().stream()
                            .map(problem -> problem.field() + ": " + problem.message())
                            .collect(Collectors.joining("; ")));
        }
        CampaignSettings.Sender sender = email.sender();
        Outbox.TestSendResult result = testSends.send(
                new Outbox.TestSend(
                        Channel.EMAIL,
                        to,
                        email.templateId(),
                        email.templateData() == null
                                ? null
                                : email.templateData().toString(),
                        null,
                        campaign.id(),
                        customerId,
                        sender == null ? null : sender.email(),
                        sender == null ? null : sender.name()),
                sample,
                caller);
        return new StepResult(
                step.key(),
                step.name(),
                step.channel().key(),
                to,
                email.templateId(),
                result.deliveryId(),
                result.gateDecision(),
                result.gateDetail(),
                result.status(),
                result.error(),
                null,
                sender(sender));
    }

    /** The sender an e-mail goes from, as the send fills it in: each part given, else the configured one. */
    private Sender sender(CampaignSettings.Sender given) {
        return new Sender(
                firstNonBlank(given == null ? null : given.email(), testSends.defaultFromEmail()),
                firstNonBlank(given == null ? null : given.name(), testSends.defaultFromName()));
    }

    /**
     * The send steps taking their message from the campaign: the template's and its follow-up
     * scenario's (their latest deployed versions; e-mail steps first, each channel in model order); while the template is not deployed,
     * the steps the settings give messages for, each on the channel its message is for.
     */
    private Map<String, Step> steps(String template, CampaignSettings settings) {
        Map<String, Step> steps = new LinkedHashMap<>();
        Optional<TemplateModel> model = TemplateModel.latestWithFollowUp(repository, template, settings.followUp());
        int emails = settings.series().size();
        if (model.isPresent()) {
            TemplateModel m = model.get();
            m.emailSteps()
                    .forEach((key, name) -> steps.put(
                            key,
                            new Step(key, name, Channel.EMAIL, m.stepOptions().get(key), null)));
            m.seriesSteps().forEach((task, name) -> {
                for (int i = 0; i < emails; i++) {
                    String key = task + "[" + i + "]";
                    steps.put(
                            key, new Step(key, name + ": e-mail " + (i + 1) + " of " + emails, Channel.EMAIL, null, i));
                }
            });
            m.smsSteps()
                    .forEach((key, name) -> steps.putIfAbsent(
                            key,
                            new Step(key, name, Channel.SMS, m.stepOptions().get(key), null)));
        } else {
            new TreeMap<>(settings.messages())
                    .forEach((key, message) -> steps.put(
                            key,
                            new Step(
                                    key, key, message.templateId() != null ? Channel.EMAIL : Channel.SMS, null, null)));
            for (int i = 0; i < emails; i++) {
                String key = "series[" + i + "]";
                steps.put(key, new Step(key, "e-mail " + (i + 1) + " of " + emails, Channel.EMAIL, null, i));
            }
        }
        return steps;
    }

    private static void requiredFor(Channel channel, String field, List<Step> selected, Violations violations) {
        List<String> keys = selected.stream()
                .filter(step -> step.channel() == channel)
                .map(Step::key)
                .toList();
        if (!keys.isEmpty()) {
            violations.add(
                    field,
                    "is required: " + String.join(", ", keys) + " send" + (keys.size() == 1 ? "s " : " ")
                            + (channel == Channel.EMAIL ? "e-mail" : "SMS"));
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
