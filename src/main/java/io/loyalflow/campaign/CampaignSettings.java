package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.experiment.Arms;
import io.loyalflow.messaging.MessageLimits;
import io.loyalflow.messaging.MessageTokens;
import io.loyalflow.messaging.TestSends;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.platform.web.Texts;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A campaign's settings, one immutable revision. Parsed strictly: every fault is reported with its
 * path ({@code settings.messages.Task_SendOffer.templateId}), unknown keys included.
 *
 * @param messages per send step id (the BPMN task id): the SendGrid template or the SMS text
 * @param waits per wait name the BPMN asks for (an ISO-8601 duration)
 * @param arms per A/B split step id: the arm weights ({@code A:50, B:50})
 * @param options switches a template offers (e.g. {@code secondReminder})
 * @param variant for templates offering variants (best-customer): which one; it picks the entry segment
 * @param series the e-mails of an e-mail series, in order (empty when the campaign has none)
 * @param smartSend the hour smart-sent e-mails go out at for customers without a usual purchase hour
 * @param teamTask the Tasklist task for the team after the series, or null for none
 */
public record CampaignSettings(Audience audience, Trigger trigger, Sender sender, Map<String, Message> messages,
    Map<String, String> waits, Map<String, String> arms, String followUp, Reentry reentry, ExitGoal exitGoal,
    Map<String, Boolean> options, Variant variant, List<SeriesEmail> series, SmartSend smartSend,
    TeamTask teamTask) {

  /**
   * The Standard / Predictive choice of a best-customer campaign. The variant decides the segment whose
   * entries start journeys; the predictive segment is computed by the customer-value model.
   */
  public enum Variant {
    STANDARD(STANDARD_BEST_CUSTOMERS), PREDICTIVE(PREDICTIVE_BEST_CUSTOMERS);

    private final String segment;

    Variant(String segment) {
      this.segment = segment;
    }

    public String segment() {
      return segment;
    }
  }

  /** The segment of the standard variant: top 25 % by total spend among recent buyers. */
  public static final String STANDARD_BEST_CUSTOMERS = "best-customers";
  /** The segment of the predictive variant: top 25 % by predicted 12-month value (the customer-value model's). */
  public static final String PREDICTIVE_BEST_CUSTOMERS = "best-customers-predictive";
  /** The longest e-mail series a campaign may list. */
  public static final int MAX_SERIES = 100;
  /** Arm weights as text ({@code A:50, B:50}): a handful of named arms. */
  private static final int MAX_ARMS = 500;

  /**
   * One e-mail of a series as the campaign lists it; what it leaves out it may inherit from e-mail 1
   * ({@link #seriesEmail(int)}).
   *
   * @param after the delay after the previous e-mail (e-mail 1: after entry), ISO-8601, P0D allowed
   * @param sender a sender override (a founder, a VP), or null
   * @param smartSend whether it waits for the customer's usual purchase hour; null when not set
   */
  public record SeriesEmail(String templateId, JsonNode templateData, String after, Sender sender,
      Boolean smartSend) {
  }

  /**
   * A series e-mail with what it inherits resolved.
   *
   * @param index 0 for e-mail 1
   * @param sender the effective sender, null for the service's configured one
   * @param senderField the setting the sender comes from ({@code settings.series[0].sender}), null for the configured one
   */
  public record ResolvedEmail(int index, String templateId, JsonNode templateData, String after, Sender sender,
      String senderField, boolean smartSend) {
  }

  /** @param fallbackHour 0–23: the local hour for customers without a usual purchase hour */
  public record SmartSend(int fallbackHour) {
  }

  /** @param candidateGroup the Camunda group that may claim the task; null for {@link LoyalflowGroups#TEAM} */
  public record TeamTask(String title, String candidateGroup, String description) {
    public String group() {
      return candidateGroup != null ? candidateGroup : LoyalflowGroups.TEAM;
    }
  }

  public enum TriggerType { SEGMENT_ENTERED, TIER_CHANGED, RECURRING, API_ONLY }

  public enum ReentryPolicy { ONCE, AFTER_EXIT, EVERY_N_DAYS }

  public enum ExitGoal { NONE, ORDER }

  /** @param conditions a condition tree narrowing the segment (as in segment definitions), or null */
  public record Audience(String segment, JsonNode conditions) {
  }

  /** @param every for RECURRING: how often current audience members are entered (ISO-8601, e.g. P1D) */
  public record Trigger(TriggerType type, String every) {
  }

  public record Sender(String email, String name) {
  }

  /** E-mail: {@code templateId} (and optional {@code templateData}); SMS: {@code smsText}. */
  public record Message(String templateId, JsonNode templateData, String smsText) {
  }

  public record Reentry(ReentryPolicy policy, Integer days) {
  }

  private static final Set<String> KEYS = Set.of("audience", "trigger", "sender", "messages", "waits", "arms",
      "followUp", "reentry", "exitGoal", "options", "variant", "series", "smartSend", "teamTask");
  private static final Pattern SENDGRID_TEMPLATE_ID = Pattern.compile("d-[0-9a-f]{32}");
  /** Camunda's resource id rule as Loyalflow configures it (general-resource-whitelist-pattern). */
  private static final Pattern GROUP_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
  private static final Pattern PROCESS_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
  /**
   * The longest wait, delay or cycle a setting may give (ten years, P1Y counted as 365 days): the
   * engine adds it to today for a timer's due date, and far larger ones overflow there, failing
   * every journey's job long after the campaign was accepted.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(3650);
  static final String MAX_DURATION_TEXT = "P3650D";
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public static CampaignSettings empty() {
    return new CampaignSettings(null, new Trigger(TriggerType.API_ONLY, null), null, Map.of(), Map.of(), Map.of(),
        null, new Reentry(ReentryPolicy.AFTER_EXIT, null), ExitGoal.NONE, Map.of(), null, List.of(), null, null);
  }

  /** Parses settings; faults go to {@code violations} under {@code path}. */
  public static CampaignSettings parse(JsonNode node, String path, Violations violations) {
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
        MessageTokens.problemsOfValue(JSON.convertValue(templateData,
            Map.class)).forEach(problem -> violations.add(at + ".templateData", problem));
      }
      messages.put(step, new Message(templateId, templateData == null || templateData.isNull() ? null : templateData,
          smsText));
    });
    Map<String, String> waits = new LinkedHashMap<>();
    forEachEntry(node.get("waits"), path + ".waits", violations, (name, value, at) -> {
      if (!value.isTextual() || value.asText().length() > 40 || !isDuration(value.asText())) {
        violations.add(at, "must be an ISO-8601 duration such as P3D or PT12H (at most 40 characters), at most "
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
    return new CampaignSettings(audience, trigger, sender, Map.copyOf(messages), Map.copyOf(waits), Map.copyOf(arms),
        followUp, reentry, exitGoal, Map.copyOf(options), variant, series, smartSend, teamTask);
  }

  /**
   * E-mail {@code index + 1} of the series with what it inherits from e-mail 1: the sender (as a
   * whole, address and name together, so a VP's address never goes out under the founder's name),
   * the template data key by key (its own keys win; a key it sets to null drops e-mail 1's value),
   * and smart send. Never inherited: the template and the delay. E-mail 1 without a sender goes from
   * the campaign's {@code sender}, else the configured one.
   */
  public ResolvedEmail seriesEmail(int index) {
    if (index < 0 || index >= series.size()) {
      throw new IllegalArgumentException("the series has e-mails 1 to " + series.size() + ", not " + (index + 1));
    }
    SeriesEmail own = series.get(index);
    SeriesEmail first = series.get(0);
    Sender from = own.sender();
    String senderField = from == null ? null : "settings.series[" + index + "].sender";
    if (from == null && index > 0 && first.sender() != null) {
      from = first.sender();
      senderField = "settings.series[0].sender";
    }
    if (from == null && sender != null) {
      from = sender;
      senderField = "settings.sender";
    }
    JsonNode data = own.templateData();
    if (index > 0 && first.templateData() != null) {
      ObjectNode merged = first.templateData().deepCopy();
      if (own.templateData() != null) {
        own.templateData().fields().forEachRemaining(field -> {
          if (field.getValue().isNull()) {
            merged.remove(field.getKey());
          } else {
            merged.set(field.getKey(), field.getValue());
          }
        });
      }
      data = merged;
    }
    Boolean smart = own.smartSend() != null ? own.smartSend() : first.smartSend();
    return new ResolvedEmail(index, own.templateId(), data, own.after(), from, senderField, Boolean.TRUE.equals(smart));
  }

  /** The settings as JSON, as stored and as the API shows them. */
  public JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    if (audience != null) {
      ObjectNode a = node.putObject("audience").put("segment", audience.segment());
      if (audience.conditions() != null) {
        a.set("conditions", audience.conditions());
      }
    }
    ObjectNode t = node.putObject("trigger").put("type", trigger.type().name());
    if (trigger.every() != null) {
      t.put("every", trigger.every());
    }
    if (sender != null) {
      ObjectNode s = node.putObject("sender").put("email", sender.email());
      if (sender.name() != null) {
        s.put("name", sender.name());
      }
    }
    ObjectNode m = node.putObject("messages");
    new java.util.TreeMap<>(messages).forEach((step, message) -> {
      ObjectNode one = m.putObject(step);
      if (message.templateId() != null) {
        one.put("templateId", message.templateId());
      }
      if (message.templateData() != null) {
        one.set("templateData", message.templateData());
      }
      if (message.smsText() != null) {
        one.put("smsText", message.smsText());
      }
    });
    ObjectNode w = node.putObject("waits");
    new java.util.TreeMap<>(waits).forEach(w::put);
    ObjectNode ab = node.putObject("arms");
    new java.util.TreeMap<>(arms).forEach(ab::put);
    if (followUp != null) {
      node.put("followUp", followUp);
    }
    ObjectNode r = node.putObject("reentry").put("policy", reentry.policy().name());
    if (reentry.days() != null) {
      r.put("days", reentry.days());
    }
    node.put("exitGoal", exitGoal.name());
    ObjectNode o = node.putObject("options");
    new java.util.TreeMap<>(options).forEach(o::put);
    if (variant != null) {
      node.put("variant", variant.name());
    }
    if (!series.isEmpty()) {
      ArrayNode list = node.putArray("series");
      for (SeriesEmail email : series) {
        ObjectNode one = list.addObject();
        if (email.templateId() != null) {
          one.put("templateId", email.templateId());
        }
        if (email.templateData() != null) {
          one.set("templateData", email.templateData());
        }
        if (email.after() != null) {
          one.put("after", email.after());
        }
        if (email.sender() != null) {
          ObjectNode s = one.putObject("sender").put("email", email.sender().email());
          if (email.sender().name() != null) {
            s.put("name", email.sender().name());
          }
        }
        if (email.smartSend() != null) {
          one.put("smartSend", email.smartSend());
        }
      }
    }
    if (smartSend != null) {
      node.putObject("smartSend").put("fallbackHour", smartSend.fallbackHour());
    }
    if (teamTask != null) {
      ObjectNode task = node.putObject("teamTask").put("title", teamTask.title());
      if (teamTask.candidateGroup() != null) {
        task.put("candidateGroup", teamTask.candidateGroup());
      }
      if (teamTask.description() != null) {
        task.put("description", teamTask.description());
      }
    }
    return node;
  }

  public boolean option(String name) {
    return Boolean.TRUE.equals(options.get(name));
  }

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
    if (variant != null && segment == null && (node.get("segment") == null || node.get("segment").isNull())) {
      segment = variant.segment();
    } else if (variant != null && segment != null && !segment.equals(variant.segment())) {
      violations.add(path + ".segment", "the " + variant + " variant enters customers from segment "
          + variant.segment() + ", not " + segment + ": leave audience.segment out or name " + variant.segment()
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
    unknownKeys(node, Set.of("type", "every"), path, violations);
    TriggerType type = enumValue(TriggerType.class, node.get("type"), path + ".type", violations, TriggerType.API_ONLY);
    String every = text(node, "every", path, violations, 40);
    if (type == TriggerType.RECURRING) {
      if (every == null) {
        violations.add(path + ".every", "a recurring trigger needs every (an ISO-8601 duration such as P1D)");
      } else if (!isDuration(every) || durationOf(every).compareTo(Duration.ofMinutes(5)) < 0) {
        violations.add(path + ".every", "must be an ISO-8601 duration of at least PT5M and at most " + MAX_DURATION_TEXT);
      }
    } else if (every != null) {
      violations.add(path + ".every", "only a RECURRING trigger takes every");
    }
    return new Trigger(type, every);
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
  private static Trigger variantTrigger(JsonNode node, Trigger parsed, Variant variant, String path,
      Violations violations) {
    if (node == null || node.isNull()) {
      return new Trigger(TriggerType.SEGMENT_ENTERED, null);
    }
    if (node.isObject() && parsed.type() != TriggerType.SEGMENT_ENTERED) {
      violations.add(path + ".type", "a " + variant + " campaign is entered when a customer enters segment "
          + variant.segment() + ": SEGMENT_ENTERED (or leave trigger out)");
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
        violations.add(at + ".templateId", "must be a SendGrid dynamic template id: d- and 32 lowercase hex characters");
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
        violations.add(at + ".after", "must be an ISO-8601 duration of zero or more, such as P0D, P3D or PT12H, at most "
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
      series.add(new SeriesEmail(templateId, templateData == null || templateData.isNull() ? null : templateData,
          after, sender, smartSend));
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
    if (hour == null || hour.isNull() || !hour.isIntegralNumber() || !hour.canConvertToInt() || hour.asInt() < 0
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
    } else if (title == null && (node.get("title") == null || node.get("title").isNull())) {
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
    ReentryPolicy policy = enumValue(ReentryPolicy.class, node.get("policy"), path + ".policy", violations,
        ReentryPolicy.AFTER_EXIT);
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

  static boolean isDuration(String text) {
    try {
      Duration duration = durationOf(text);
      return !duration.isNegative() && !duration.isZero() && duration.compareTo(MAX_DURATION) <= 0;
    } catch (DateTimeParseException | ArithmeticException e) {
      return false;
    }
  }

  /**
   * A delay a timer can wait: zero or more, in a form both java.time and the engine's timers
   * (javax.xml.datatype durations: no weeks, upper-case designators) read.
   */
  static boolean isDelay(String text) {
    try {
      javax.xml.datatype.DatatypeFactory.newInstance().newDuration(text);
      Duration delay = durationOf(text);
      return !delay.isNegative() && delay.compareTo(MAX_DURATION) <= 0;
    } catch (DateTimeParseException | ArithmeticException | IllegalArgumentException
        | UnsupportedOperationException | javax.xml.datatype.DatatypeConfigurationException e) {
      return false;
    }
  }

  /** An ISO-8601 duration as the engine's timers read it: days, hours and so on; P1M as 30 days. */
  public static Duration durationOf(String text) {
    int t = text.indexOf('T');
    if (t < 0) {
      Period period = Period.parse(text);
      return Duration.ofDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
    }
    Duration time = Duration.parse("P" + text.substring(t));
    if (t == 1) {
      return time;
    }
    Period period = Period.parse(text.substring(0, t));
    return time.plusDays(period.getYears() * 365L + period.getMonths() * 30L + period.getDays());
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
        violations.add(path + "." + name, "is not a known setting (known: " + String.join(", ",
            new java.util.TreeSet<>(known)) + ")");
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
  public static void checkLimits(JsonNode node, String path, Violations violations) {
    if (node == null || !node.isObject()) {
      return;
    }
    JsonNode messages = node.get("messages");
    if (messages != null && messages.isObject()) {
      messages.fields().forEachRemaining(message -> templateDataWithinLimit(message.getValue(),
          path + ".messages." + message.getKey() + ".templateData", violations));
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
    if (templateData != null && templateData.isObject()
        && templateData.toString().length() > MessageLimits.TEMPLATE_DATA) {
      violations.add(path, "must be at most " + MessageLimits.TEMPLATE_DATA + " characters as JSON");
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String path, Violations violations,
      E fallback) {
    if (node == null || node.isNull() || !node.isTextual()) {
      violations.add(path, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
      return fallback;
    }
    try {
      return Enum.valueOf(type, node.asText());
    } catch (IllegalArgumentException e) {
      violations.add(path, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
      return fallback;
    }
  }
}
