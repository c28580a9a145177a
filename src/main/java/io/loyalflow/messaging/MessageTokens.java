package io.loyalflow.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{tokens}}} in SMS texts and e-mail template data. A token names a profile field
 * ({@code {{firstName}}}) or a process variable ({@code {{var.discountCode}}}), optionally with a
 * fallback for an empty value ({@code {{firstName|there}}}). An unknown profile field is a modelling
 * error refused at deployment; a process variable that is missing at send time (and has no fallback)
 * stops the step with an incident instead of sending the token literally.
 */
public final class MessageTokens {

  public static final Set<String> PROFILE_TOKENS = Set.of("firstName", "lastName", "customerId", "email", "phone",
      "unsubscribeUrl", "referralShareUrl", "successfulReferrals", "extendedRevenue");
  public static final String VARIABLE_PREFIX = "var.";

  private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^{}|]*?)\\s*(?:\\|([^{}]*))?}}");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern WHOLE_VARIABLE_TOKEN = Pattern.compile("\\{\\{\\s*var\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private MessageTokens() {
  }

  /** Every problem with the tokens of a text, for deployment-time validation; empty when fine. */
  public static List<String> problems(String text) {
    List<String> problems = new ArrayList<>();
    if (text == null) {
      return problems;
    }
    Matcher matcher = TOKEN.matcher(text);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (matcher.find()) {
      rest.append(text, last, matcher.start());
      last = matcher.end();
      String name = matcher.group(1);
      if (name.startsWith(VARIABLE_PREFIX)) {
        if (!VARIABLE_NAME.matcher(name.substring(VARIABLE_PREFIX.length())).matches()) {
          problems.add("{{" + name + "}} is not a valid process variable token (use {{var.name}})");
        }
      } else if (!PROFILE_TOKENS.contains(name)) {
        problems.add("{{" + name + "}} is not a known token; known: " + String.join(", ", sorted(PROFILE_TOKENS))
            + ", or a process variable as {{var.name}}");
      }
    }
    rest.append(text.substring(last));
    if (rest.indexOf("{{") >= 0 || rest.indexOf("}}") >= 0) {
      problems.add("unbalanced braces: a token is written {{name}}");
    }
    return problems;
  }

  /**
   * Replaces every token. {@code profile} answers profile fields (null when empty), {@code variables}
   * process variables (empty when the process has no such variable).
   */
  public static String render(String text, Function<String, String> profile,
      Function<String, Optional<Object>> variables) {
    List<String> problems = problems(text);
    if (!problems.isEmpty()) {
      throw new MessageTemplateException(String.join("; ", problems));
    }
    Matcher matcher = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String fallback = matcher.group(2);
      String value;
      if (name.startsWith(VARIABLE_PREFIX)) {
        Optional<Object> variable = variables.apply(name.substring(VARIABLE_PREFIX.length()));
        if (variable.isEmpty() && fallback == null) {
          throw new MessageTemplateException("{{" + name + "}} has no value: the process has no variable '"
              + name.substring(VARIABLE_PREFIX.length()) + "' (give one, or a fallback as {{" + name + "|text}})");
        }
        value = variable.map(String::valueOf).orElse(null);
      } else {
        value = profile.apply(name);
      }
      if (value == null || value.isEmpty()) {
        value = fallback == null ? "" : fallback;
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * Renders every string inside a template-data structure (maps and lists are walked). A value that is
   * exactly one process-variable token, {@code "{{var.recommendations}}"}, whose variable holds a JSON
   * array or object (as text, or as a list or map) becomes that array or object: SendGrid's Handlebars
   * iterates over arrays ({@code {{#each}}}), not over text. Its strings are data, not rendered again.
   */
  @SuppressWarnings("unchecked")
  public static Object renderValue(Object value, Function<String, String> profile,
      Function<String, Optional<Object>> variables) {
    if (value instanceof String text) {
      Optional<Object> structured = structuredVariable(text, variables);
      return structured.isPresent() ? structured.get() : render(text, profile, variables);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> rendered = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> rendered.put(String.valueOf(k), renderValue(v, profile, variables)));
      return rendered;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> renderValue(v, profile, variables)).toList();
    }
    return value;
  }

  private static Optional<Object> structuredVariable(String text, Function<String, Optional<Object>> variables) {
    Matcher whole = WHOLE_VARIABLE_TOKEN.matcher(text);
    if (!whole.matches()) {
      return Optional.empty();
    }
    Object variable = variables.apply(whole.group(1)).orElse(null);
    if (variable instanceof Map<?, ?> || variable instanceof List<?>) {
      return Optional.of(variable);
    }
    if (variable instanceof String json) {
      String trimmed = json.trim();
      if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
        try {
          return Optional.of(JSON.readValue(trimmed, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
          return Optional.empty(); // text that merely starts with a bracket: rendered as text
        }
      }
    }
    return Optional.empty();
  }

  /** Problems of every string inside a template-data structure. */
  public static List<String> problemsOfValue(Object value) {
    List<String> problems = new ArrayList<>();
    if (value instanceof String text) {
      problems.addAll(problems(text));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> problems.addAll(problemsOfValue(v)));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> problems.addAll(problemsOfValue(v)));
    }
    return problems;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }

  /** A message that cannot be rendered: a modelling error, never sent as is. */
  public static class MessageTemplateException extends RuntimeException {
    public MessageTemplateException(String message) {
      super(message);
    }
  }
}
