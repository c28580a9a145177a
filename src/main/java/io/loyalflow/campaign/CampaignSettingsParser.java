package io.loyalflow.campaign;

import static io.loyalflow.campaign.CampaignDurations.MAX_DURATION_TEXT;
import static io.loyalflow.campaign.CampaignDurations.durationOf;
import static io.loyalflow.campaign.CampaignDurations.isDelay;
import static io.loyalflow.campaign.CampaignDurations.isDuration;
import static io.loyalflow.campaign.CampaignSettings.MAX_SERIES;
import static io.loyalflow.campaign.CampaignSettings.empty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.audience.AdAudiences;
import io.loyalflow.campaign.CampaignSettings.Attribution;
import io.loyalflow.campaign.CampaignSettings.Audience;
import io.loyalflow.campaign.CampaignSettings.ExitGoal;
import io.loyalflow.campaign.CampaignSettings.Message;
import io.loyalflow.campaign.CampaignSettings.Reentry;
import io.loyalflow.campaign.CampaignSettings.ReentryPolicy;
import io.loyalflow.campaign.CampaignSettings.Sender;
import io.loyalflow.campaign.CampaignSettings.SeriesEmail;
import io.loyalflow.campaign.CampaignSettings.SmartSend;
import io.loyalflow.campaign.CampaignSettings.TeamTask;
import io.loyalflow.campaign.CampaignSettings.Trigger;
import io.loyalflow.campaign.CampaignSettings.TriggerType;
import io.loyalflow.campaign.CampaignSettings.Variant;
import io.loyalflow.experiment.Arms;
import io.loyalflow.experiment.ExperimentSetting;
import io.loyalflow.messaging.MessageLimits;
import io.loyalflow.messaging.MessageTokens;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.web.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads campaign settings from JSON strictly: every fault goes to the violations with its path
 * ({@code settings.messages.Task_SendOffer.templateId}), unknown keys included, and what is faulty is left
 * out or falls back to its default.
 */
final class CampaignSettingsParser {

    /** Arm weights as text ({@code A:50, B:50}): a handful of named arms. */
    private static final int MAX_ARMS = 500;

    private static final Set<String> KEYS = Set.of(
            "audience",
            "trigger",
            "sender",
            "messages",
            "waits",
            "arms",
            "followUp",
            "reentry",
            "exitGoal",
            "options",
            "variant",
            "series",
            "smartSend",
            "teamTask",
            "attribution",
            "experiments",
            "adAudience");
    private static final Pattern SENDGRID_TEMPLATE_ID = Pattern.compile("d-[0-9a-f]{32}");
    /** Camunda's resource id rule as Loyalflow configures it (general-resource-whitelist-pattern). */
    private static final Pattern GROUP_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
    private static final Pattern PROCESS_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private CampaignSettingsParser() {}

    /** Parses settings; faults go to {@code violations} under {@code path}. */
    static CampaignSettings parse(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return empty();
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object");
            return empty();
        }
        unknownKeys(node, KEYS, path, violations);
        Variant variant = null;
        JsonNode variantNode = node.get("variant");
        if (variantNode != null && !variantNode.isNull()) {
            variant = enumValue(Variant.class, variantNode, path + ".variant", violations, null);
        }
        Audience audience = audience(node.get("audience"), path + ".audience", violations, variant);
        Trigger trigger = trigger(node.get("trigger"), path + ".trigger", violations);
        if (variant != null) {
            trigger = variantTrigger(node.get("trigger"), trigger, variant, path + ".trigger", violations);
        }
        Sender sender = sender(node.get("sender"), path + ".sender", violations);
        Map<String, Message> messages = new LinkedHashMap<>();
        forEachEntry(node.get("messages"), path + ".messages", violations, (step, value, at) -> {
            if (!value.isObject()) {
                violations.add(at, "must be an object with templateId (e-mail) or smsText (SMS)");
                return;
            }
            unknownKeys(value, Set.of("templateId", "templateData", "smsText"), at, violations);
            String templateId = text(value, "templateId", at, violations, 100);
            String smsText = text(value, "smsText", at, violations, MessageLimits.SMS_TEXT);
            JsonNode templateData = value.get("templateData");
            if (templateId == null && smsText == null) {
                violations.add(at, "give templateId (e-mail) or smsText (SMS)");
            }
            if (templateId != null && smsText != null) {
                violations.add(at, "give templateId or smsText, not both");
            }
            if (templateData != null && !templateData.isNull() && !templateData.isObject()) {
                violations.add(at + ".templateData", "must be a JSON object");
            }
            if (smsText != null) {
                MessageTokens.problems(smsText).forEach(problem -> violations.add(at + ".smsText", problem));
            }
            if (templateData != null && templateData.isObject()) {
                MessageTokens.problemsOfValue(JSON.convertValue(templateData, Map.class))
                        .forEach(problem -> violations.add(at + ".templateData", problem));
            }
            messages.put(
                    step,
                    new Message(
                            templateId, templateData == null || templateData.isNull() ? null : templateData, smsText));
        });
        Map<String, String> waits = new LinkedHashMap<>();
        forEachEntry(node.get("waits"), path + ".waits", violations, (name, value, at) -> {
            if (!value.isTextual() || value.asText().length() > 40 || !isDuration(value.asText())) {
                violations.add(
                        at,
                        "must be an ISO-8601 duration such as P3D or PT12H (at most 40 characters), at most "
                                + MAX_DURATION_TEXT);
                return;
            }
            waits.put(name, value.asText());
        });
        Map<String, String> arms = new LinkedHashMap<>();
        forEachEntry(node.get("arms"), path + ".arms", violations, (step, value, at) -> {
            if (!value.isTextual()) {
                violations.add(at, "must be text such as \"A:50, B:50\"");
                return;
            }
            if (!violations.withinLength(at, value.asText(), MAX_ARMS)) {
                return;
            }
            try {
                Arms.parse(value.asText());
                arms.put(step, value.asText());
            } catch (IllegalArgumentException e) {
                violations.add(at, e.getMessage());
            }
        });
        String followUp = text(node, "followUp", path, violations, 255);
        if (followUp != null && !PROCESS_KEY.matcher(followUp).matches()) {
            violations.add(path + ".followUp", "must be a process key (letters, digits, _ . -)");
        }
        Reentry reentry = reentry(node.get("reentry"), path + ".reentry", violations);
        JsonNode reentryNode = node.get("reentry");
        if (trigger.type().welcomesNewCustomers()) {
            // a customer's first order, or their registration, happens once
            if (reentryNode == null || reentryNode.isNull()) {
                reentry = new Reentry(ReentryPolicy.ONCE, null);
            } else if (reentry.policy() != ReentryPolicy.ONCE) {
                violations.add(
                        path + ".reentry",
                        "a campaign entered by " + trigger.type()
                                + " enters a customer once only: policy ONCE (or leave reentry out)");
            }
        }
        ExitGoal exitGoal = ExitGoal.NONE;
        JsonNode goal = node.get("exitGoal");
        if (goal != null && !goal.isNull()) {
            exitGoal = enumValue(ExitGoal.class, goal, path + ".exitGoal", violations, ExitGoal.NONE);
        }
        Map<String, Boolean> options = new LinkedHashMap<>();
        forEachEntry(node.get("options"), path + ".options", violations, (name, value, at) -> {
            if (!value.isBoolean()) {
                violations.add(at, "must be true or false");
                return;
            }
            options.put(name, value.booleanValue());
        });
        List<SeriesEmail> series = series(node.get("series"), path + ".series", violations);
        SmartSend smartSend = smartSend(node.get("smartSend"), path + ".smartSend", violations);
        TeamTask teamTask = teamTask(node.get("teamTask"), path + ".teamTask", violations);
        Attribution attribution = attribution(node.get("attribution"), path + ".attribution", violations);
        Map<String, ExperimentSetting> experiments =
                experiments(node.get("experiments"), path + ".experiments", violations);
        String adAudience = text(node, "adAudience", path, violations, 64);
        if (adAudience != null && !AdAudiences.ID.matcher(adAudience).matches()) {
            violations.add(path + ".adAudience", "must be an ad audience id (lower-case letters, digits and -)");
        }
        return new CampaignSettings(
                audience,
                trigger,
                sender,
                Map.copyOf(messages),
                Map.copyOf(waits),
                Map.copyOf(arms),
                followUp,
                reentry,
                exitGoal,
                Map.copyOf(options),
                variant,
                series,
                smartSend,
                teamTask,
                attribution,
                experiments,
                adAudience);
    }

    // ---- experiments (settings.experiments): per A/B split step id, how its experiment is judged

    private static final Set<String> EXPERIMENT_KEYS =
            Set.of("metric", "minSample", "threshold", "applyWinner", "controlArm", "window");
    private static final Pattern ARM_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private static Map<String, ExperimentSetting> experiments(JsonNode node, String path, Violations violations) {
        Map<String, ExperimentSetting> experiments = new LinkedHashMap<>();
        forEachEntry(node, path, violations, (step, value, at) -> {
            if (!value.isObject()) {
                violations.add(
                        at, "must be an object with metric, minSample, threshold, applyWinner, controlArm, window");
                return;
            }
            unknownKeys(value, EXPERIMENT_KEYS, at, violations);
            ExperimentSetting defaults = ExperimentSetting.DEFAULTS;
            ExperimentSetting.Metric metric = defaults.metric();
            JsonNode metricNode = value.get("metric");
            if (metricNode != null && !metricNode.isNull()) {
                metric = enumValue(ExperimentSetting.Metric.class, metricNode, at + ".metric", violations, metric);
            }
            int minSample = defaults.minSample();
            JsonNode sample = value.get("minSample");
            if (sample != null && !sample.isNull()) {
                if (!sample.isIntegralNumber()
                        || !sample.canConvertToInt()
                        || sample.asInt() < 1
                        || sample.asInt() > ExperimentSetting.MAX_MIN_SAMPLE) {
                    violations.add(
                            at + ".minSample",
                            "must be a whole number of journeys per arm from 1 to " + ExperimentSetting.MAX_MIN_SAMPLE);
                } else {
                    minSample = sample.asInt();
                }
            }
            double threshold = defaults.threshold();
            JsonNode thresholdNode = value.get("threshold");
            if (thresholdNode != null && !thresholdNode.isNull()) {
                if (!thresholdNode.isNumber()
                        || thresholdNode.asDouble() < ExperimentSetting.MIN_THRESHOLD
                        || thresholdNode.asDouble() > ExperimentSetting.MAX_THRESHOLD) {
                    violations.add(
                            at + ".threshold",
                            "must be a probability to be best from " + ExperimentSetting.MIN_THRESHOLD + " to "
                                    + ExperimentSetting.MAX_THRESHOLD + ", e.g. 0.95");
                } else {
                    threshold = thresholdNode.asDouble();
                }
            }
            boolean applyWinner = defaults.applyWinner();
            JsonNode apply = value.get("applyWinner");
            if (apply != null && !apply.isNull()) {
                if (!apply.isBoolean()) {
                    violations.add(at + ".applyWinner", "must be true or false");
                } else {
                    applyWinner = apply.booleanValue();
                }
            }
            String controlArm = text(value, "controlArm", at, violations, 40);
            if (controlArm != null && !ARM_NAME.matcher(controlArm).matches()) {
                violations.add(at + ".controlArm", "must be an arm name: 1 to 40 letters, digits, - or _");
                controlArm = null;
            }
            String window = text(value, "window", at, violations, 40);
            if (window != null && (!isDuration(window) || durationOf(window).compareTo(Duration.ofHours(1)) < 0)) {
                violations.add(
                        at + ".window",
                        "must be an ISO-8601 duration of at least PT1H and at most " + MAX_DURATION_TEXT
                                + ", e.g. P28D");
                window = null;
            }
            experiments.put(
                    step,
                    new ExperimentSetting(
                            metric,
                            minSample,
                            threshold,
                            applyWinner,
                            controlArm == null ? defaults.controlArm() : controlArm,
                            window));
        });
        return Map.copyOf(experiments);
    }

    // ---- attribution (campaign report) ----

    /** {@code {"emailWindow": "P5D", "smsWindow": "P1D"}}; a window left out takes its default. */
    private static Attribution attribution(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with emailWindow and/or smsWindow (ISO-8601 durations)");
            return null;
        }
        unknownKeys(node, Set.of("emailWindow", "smsWindow"), path, violations);
        String email = attributionWindow(node, "emailWindow", path, violations, Attribution.DEFAULT.emailWindow());
        String sms = attributionWindow(node, "smsWindow", path, violations, Attribution.DEFAULT.smsWindow());
        return new Attribution(email, sms);
    }

    private static String attributionWindow(
            JsonNode node, String key, String path, Violations violations, String defaultWindow) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultWindow;
        }
        String text = value.isTextual() ? value.asText() : null;
        if (text == null
                || text.length() > 40
                || !isDuration(text)
                || durationOf(text).compareTo(CampaignSettings.MIN_ATTRIBUTION_WINDOW) < 0
                || durationOf(text).compareTo(CampaignSettings.MAX_ATTRIBUTION_WINDOW) > 0) {
            violations.add(
                    path + "." + key, "must be an ISO-8601 duration from PT1H to P90D, such as " + defaultWindow);
            return defaultWindow;
        }
        return text;
    }

    // ---- end attribution ----

    /**
     * With a variant, the variant picks the segment: the audience may leave it out (it is filled in) and
     * may narrow it with conditions, but naming another segment contradicts the variant.
     */
    private static Audience audience(JsonNode node, String path, Violations violations, Variant variant) {
        if (node == null || node.isNull()) {
            return variant == null ? null : new Audience(variant.segment(), null);
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with segment (and optionally conditions)");
            return null;
        }
        unknownKeys(node, Set.of("segment", "conditions"), path, violations);
        String segment = text(node, "segment", path, violations, 100);
        if (variant != null
                && segment == null
                && (node.get("segment") == null || node.get("segment").isNull())) {
            segment = variant.segment();
        } else if (variant != null && segment != null && !segment.equals(variant.segment())) {
            violations.add(
                    path + ".segment",
                    "the " + variant + " variant enters customers from segment "
                            + variant.segment() + ", not " + segment + ": leave audience.segment out or name "
                            + variant.segment()
                            + ", and narrow it with audience.conditions");
        } else if (segment == null) {
            violations.add(path + ".segment", "must name a segment");
        }
        JsonNode conditions = node.get("conditions");
        return new Audience(segment, conditions == null || conditions.isNull() ? null : conditions);
    }

    private static Trigger trigger(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return new Trigger(TriggerType.API_ONLY, null);
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with type");
            return new Trigger(TriggerType.API_ONLY, null);
        }
        unknownKeys(node, Set.of("type", "every", "firstOrderMaxAge", "orderMaxAge"), path, violations);
        TriggerType type =
                enumValue(TriggerType.class, node.get("type"), path + ".type", violations, TriggerType.API_ONLY);
        String every = text(node, "every", path, violations, 40);
        String maxAge = text(node, "firstOrderMaxAge", path, violations, 40);
        if (maxAge != null && type != TriggerType.FIRST_ORDER) {
            violations.add(path + ".firstOrderMaxAge", "only a FIRST_ORDER trigger takes firstOrderMaxAge");
            maxAge = null;
        } else if (maxAge != null && (!isDuration(maxAge) || durationOf(maxAge).compareTo(Duration.ofMinutes(1)) < 0)) {
            violations.add(
                    path + ".firstOrderMaxAge",
                    "must be an ISO-8601 duration of at least PT1M and at most " + MAX_DURATION_TEXT
                            + ", e.g. P3D: how old a first order may be when it is recorded");
            maxAge = null;
        }
        String orderMaxAge = text(node, "orderMaxAge", path, violations, 40);
        if (orderMaxAge != null && type != TriggerType.ORDER_PLACED) {
            violations.add(path + ".orderMaxAge", "only an ORDER_PLACED trigger takes orderMaxAge");
            orderMaxAge = null;
        } else if (orderMaxAge != null
                && (!isDuration(orderMaxAge) || durationOf(orderMaxAge).compareTo(Duration.ofMinutes(1)) < 0)) {
            violations.add(
                    path + ".orderMaxAge",
                    "must be an ISO-8601 duration of at least PT1M and at most " + MAX_DURATION_TEXT
                            + ", e.g. P3D: how old an order may be when it is recorded");
            orderMaxAge = null;
        }
        if (type == TriggerType.RECURRING) {
            if (every == null) {
                violations.add(path + ".every", "a recurring trigger needs every (an ISO-8601 duration such as P1D)");
            } else if (!isDuration(every) || durationOf(every).compareTo(Duration.ofMinutes(5)) < 0) {
                violations.add(
                        path + ".every",
                        "must be an ISO-8601 duration of at least PT5M and at most " + MAX_DURATION_TEXT);
            }
        } else if (every != null) {
            violations.add(path + ".every", "only a RECURRING trigger takes every");
        }
        return new Trigger(type, every, maxAge, orderMaxAge);
    }

    private static Sender sender(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with email (and optionally name)");
            return null;
        }
        unknownKeys(node, Set.of("email", "name"), path, violations);
        String email = text(node, "email", path, violations, 254);
        if (email == null || !EMAIL.matcher(email).matches() || Texts.hasControlCharacter(email)) {
            violations.add(path + ".email", "must be an e-mail address");
        }
        String name = text(node, "name", path, violations, 100);
        // both go into mail headers (From), where a line break would start a header of the sender's choosing
        if (!Texts.requireSingleLine(name, path + ".name", violations)) {
            name = null;
        }
        return new Sender(email, name);
    }

    /** A campaign with a variant is entered when a customer enters the variant's segment, nothing else. */
    private static Trigger variantTrigger(
            JsonNode node, Trigger parsed, Variant variant, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return new Trigger(TriggerType.SEGMENT_ENTERED, null);
        }
        if (node.isObject() && parsed.type() != TriggerType.SEGMENT_ENTERED) {
            violations.add(
                    path + ".type",
                    "a " + variant + " campaign is entered when a customer enters segment " + variant.segment()
                            + ": SEGMENT_ENTERED (or leave trigger out)");
        }
        return parsed;
    }

    private static List<SeriesEmail> series(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            violations.add(path, "must be an array of e-mails, each {\"templateId\", \"after\", ...}");
            return List.of();
        }
        if (node.size() > MAX_SERIES) {
            violations.add(path, "at most " + MAX_SERIES + " e-mails, not " + node.size());
            return List.of();
        }
        List<SeriesEmail> series = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            String at = path + "[" + i + "]";
            if (!value.isObject()) {
                violations.add(at, "must be an object with templateId and after (e-mail " + (i + 1) + ")");
                continue;
            }
            unknownKeys(value, Set.of("templateId", "templateData", "after", "sender", "smartSend"), at, violations);
            String templateId = text(value, "templateId", at, violations, 100);
            if (templateId != null && !SENDGRID_TEMPLATE_ID.matcher(templateId).matches()) {
                violations.add(
                        at + ".templateId",
                        "must be a SendGrid dynamic template id: d- and 32 lowercase hex characters");
            }
            JsonNode templateData = value.get("templateData");
            if (templateData != null && !templateData.isNull()) {
                if (!templateData.isObject()) {
                    violations.add(at + ".templateData", "must be a JSON object");
                } else {
                    MessageTokens.problemsOfValue(JSON.convertValue(templateData, Map.class))
                            .forEach(problem -> violations.add(at + ".templateData", problem));
                }
            }
            String after = text(value, "after", at, violations, 40);
            if (after != null && !isDelay(after)) {
                violations.add(
                        at + ".after",
                        "must be an ISO-8601 duration of zero or more, such as P0D, P3D or PT12H, at most "
                                + MAX_DURATION_TEXT);
            }
            Sender sender = sender(value.get("sender"), at + ".sender", violations);
            JsonNode smart = value.get("smartSend");
            Boolean smartSend = null;
            if (smart != null && !smart.isNull()) {
                if (!smart.isBoolean()) {
                    violations.add(at + ".smartSend", "must be true or false");
                } else {
                    smartSend = smart.booleanValue();
                }
            }
            series.add(new SeriesEmail(
                    templateId,
                    templateData == null || templateData.isNull() ? null : templateData,
                    after,
                    sender,
                    smartSend));
        }
        return List.copyOf(series);
    }

    private static SmartSend smartSend(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with fallbackHour (0 to 23)");
            return null;
        }
        unknownKeys(node, Set.of("fallbackHour"), path, violations);
        JsonNode hour = node.get("fallbackHour");
        if (hour == null
                || hour.isNull()
                || !hour.isIntegralNumber()
                || !hour.canConvertToInt()
                || hour.asInt() < 0
                || hour.asInt() > 23) {
            violations.add(path + ".fallbackHour", "must be a whole hour from 0 to 23 (the customer's local time)");
            return null;
        }
        return new SmartSend(hour.asInt());
    }

    private static TeamTask teamTask(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with title (and optionally candidateGroup, description)");
            return null;
        }
        unknownKeys(node, Set.of("title", "candidateGroup", "description"), path, violations);
        String title = text(node, "title", path, violations, 200);
        if (!Texts.requireSingleLine(title, path + ".title", violations)) {
            title = null;
        } else if (title == null
                && (node.get("title") == null || node.get("title").isNull())) {
            violations.add(path + ".title", "is required: what the team is asked to do, e.g. Call this customer");
        }
        String group = text(node, "candidateGroup", path, violations, 64);
        if (group != null && !GROUP_ID.matcher(group).matches()) {
            violations.add(path + ".candidateGroup", "must be a Camunda group id (letters, digits, . _ @ -)");
        }
        String description = text(node, "description", path, violations, 2000);
        return title == null ? null : new TeamTask(title, group, description);
    }

    private static Reentry reentry(JsonNode node, String path, Violations violations) {
        if (node == null || node.isNull()) {
            return new Reentry(ReentryPolicy.AFTER_EXIT, null);
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object with policy (and days for EVERY_N_DAYS)");
            return new Reentry(ReentryPolicy.AFTER_EXIT, null);
        }
        unknownKeys(node, Set.of("policy", "days"), path, violations);
        ReentryPolicy policy = enumValue(
                ReentryPolicy.class, node.get("policy"), path + ".policy", violations, ReentryPolicy.AFTER_EXIT);
        JsonNode days = node.get("days");
        Integer n = null;
        if (days != null && !days.isNull()) {
            if (!days.canConvertToInt() || !days.isIntegralNumber() || days.asInt() < 1 || days.asInt() > 3660) {
                violations.add(path + ".days", "must be a whole number of days from 1 to 3660");
            } else {
                n = days.asInt();
            }
        }
        if (policy == ReentryPolicy.EVERY_N_DAYS && n == null && (days == null || days.isNull())) {
            violations.add(path + ".days", "EVERY_N_DAYS needs days");
        }
        if (policy != ReentryPolicy.EVERY_N_DAYS && days != null && !days.isNull()) {
            violations.add(path + ".days", "only EVERY_N_DAYS takes days");
        }
        return new Reentry(policy, n);
    }

    private interface EntryConsumer {
        void accept(String key, JsonNode value, String path);
    }

    private static void forEachEntry(JsonNode node, String path, Violations violations, EntryConsumer consumer) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            violations.add(path, "must be an object");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = path + "." + entry.getKey();
            if (!STEP_ID.matcher(entry.getKey()).matches()) {
                violations.add(at, "is not a BPMN element id or name (letters, digits, _ . -)");
                continue;
            }
            consumer.accept(entry.getKey(), entry.getValue(), at);
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String path, Violations violations) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                violations.add(
                        path + "." + name,
                        "is not a known setting (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
    }

    private static String text(JsonNode node, String key, String path, Violations violations, int maxLength) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            violations.add(path + "." + key, "must be non-blank text");
            return null;
        }
        if (value.asText().length() > maxLength) {
            violations.add(path + "." + key, "must be at most " + maxLength + " characters");
            return null;
        }
        return value.asText().trim();
    }

    /**
     * Limits a new revision's settings must keep beyond what {@link #parse} checks: template data of at most
     * {@link MessageLimits#TEMPLATE_DATA} characters as JSON. Checked on requests only, so a revision stored
     * before the limit existed still loads.
     */
    static void checkLimits(JsonNode node, String path, Violations violations) {
        if (node == null || !node.isObject()) {
            return;
        }
        JsonNode messages = node.get("messages");
        if (messages != null && messages.isObject()) {
            messages.fields()
                    .forEachRemaining(message -> templateDataWithinLimit(
                            message.getValue(), path + ".messages." + message.getKey() + ".templateData", violations));
        }
        JsonNode series = node.get("series");
        if (series != null && series.isArray()) {
            for (int i = 0; i < series.size(); i++) {
                templateDataWithinLimit(series.get(i), path + ".series[" + i + "].templateData", violations);
            }
        }
    }

    private static void templateDataWithinLimit(JsonNode owner, String path, Violations violations) {
        JsonNode templateData = owner.get("templateData");
        if (templateData != null
                && templateData.isObject()
                && templateData.toString().length() > MessageLimits.TEMPLATE_DATA) {
            violations.add(path, "must be at most " + MessageLimits.TEMPLATE_DATA + " characters as JSON");
        }
    }

    private static <E extends Enum<E>> E enumValue(
            Class<E> type, JsonNode node, String path, Violations violations, E fallback) {
        if (node == null || node.isNull() || !node.isTextual()) {
            violations.add(path, "must be one of " + Arrays.toString(type.getEnumConstants()));
            return fallback;
        }
        try {
            return Enum.valueOf(type, node.asText());
        } catch (IllegalArgumentException e) {
            violations.add(path, "must be one of " + Arrays.toString(type.getEnumConstants()));
            return fallback;
        }
    }
}
