package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.experiment.Arms;
import io.loyalflow.messaging.MessageTokens;
import io.loyalflow.platform.web.Violations;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 */
public record CampaignSettings(Audience audience, Trigger trigger, Sender sender, Map<String, Message> messages,
    Map<String, String> waits, Map<String, String> arms, String followUp, Reentry reentry, ExitGoal exitGoal,
    Map<String, Boolean> options) {

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
      "followUp", "reentry", "exitGoal", "options");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
  private static final Pattern PROCESS_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  public static CampaignSettings empty() {
    return new CampaignSettings(null, new Trigger(TriggerType.API_ONLY, null), null, Map.of(), Map.of(), Map.of(),
        null, new Reentry(ReentryPolicy.AFTER_EXIT, null), ExitGoal.NONE, Map.of());
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
    Audience audience = audience(node.get("audience"), path + ".audience", violations);
    Trigger trigger = trigger(node.get("trigger"), path + ".trigger", violations);
    Sender sender = sender(node.get("sender"), path + ".sender", violations);
    Map<String, Message> messages = new LinkedHashMap<>();
    forEachEntry(node.get("messages"), path + ".messages", violations, (step, value, at) -> {
      if (!value.isObject()) {
        violations.add(at, "must be an object with templateId (e-mail) or smsText (SMS)");
        return;
      }
      unknownKeys(value, Set.of("templateId", "templateData", "smsText"), at, violations);
      String templateId = text(value, "templateId", at, violations, 100);
      String smsText = text(value, "smsText", at, violations, 1600);
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
      if (!value.isTextual() || !isDuration(value.asText())) {
        violations.add(at, "must be an ISO-8601 duration such as P3D or PT12H");
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
    return new CampaignSettings(audience, trigger, sender, Map.copyOf(messages), Map.copyOf(waits), Map.copyOf(arms),
        followUp, reentry, exitGoal, Map.copyOf(options));
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
    return node;
  }

  public boolean option(String name) {
    return Boolean.TRUE.equals(options.get(name));
  }

  private static Audience audience(JsonNode node, String path, Violations violations) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      violations.add(path, "must be an object with segment (and optionally conditions)");
      return null;
    }
    unknownKeys(node, Set.of("segment", "conditions"), path, violations);
    String segment = text(node, "segment", path, violations, 100);
    if (segment == null) {
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
        violations.add(path + ".every", "must be an ISO-8601 duration of at least PT5M");
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
    if (email == null || !EMAIL.matcher(email).matches()) {
      violations.add(path + ".email", "must be an e-mail address");
    }
    return new Sender(email, text(node, "name", path, violations, 100));
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
      return !duration.isNegative() && !duration.isZero();
    } catch (DateTimeParseException | ArithmeticException e) {
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
