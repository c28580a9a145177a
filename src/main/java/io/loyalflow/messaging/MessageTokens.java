package io.loyalflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code {{tokens}}} in SMS texts and e-mail template data. A token names a profile field
 * ({@code {{firstName}}}) or a process variable ({@code {{var.discountCode}}}), optionally with a
 * fallback for an empty value ({@code {{firstName|there}}}). An unknown profile field is a modelling
 * error refused at deployment; a process variable that is missing at send time (and has no fallback)
 * stops the step with an incident instead of sending the token literally.
 *
 * <p>Tokens are found by a single left-to-right scan ({@link #tokens}), not by a regular expression: the
 * pattern this replaces backtracked cubically on <code>{{</code> followed by many spaces, and analysts submit
 * these texts. The scan is linear in the text's length whatever the text holds.
 */
public final class MessageTokens {

    public static final Set<String> PROFILE_TOKENS = Set.of(
            "firstName",
            "lastName",
            "customerId",
            "email",
            "phone",
            "unsubscribeUrl",
            "referralShareUrl",
            "successfulReferrals",
            "extendedRevenue");
    public static final String VARIABLE_PREFIX = "var.";

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageTokens() {}

    /** Every problem with the tokens of a text, for deployment-time validation; empty when fine. */
    public static List<String> problems(String text) {
        List<String> problems = new ArrayList<>();
        if (text == null) {
            return problems;
        }
        StringBuilder rest = new StringBuilder();
        int last = 0;
        for (Token token : tokens(text)) {
            rest.append(text, last, token.start());
            last = token.end();
            String name = token.name();
            if (name.startsWith(VARIABLE_PREFIX)) {
                if (!VARIABLE_NAME
                        .matcher(name.substring(VARIABLE_PREFIX.length()))
                        .matches()) {
                    problems.add("{{" + name + "}} is not a valid process variable token (use {{var.name}})");
                }
            } else if (!PROFILE_TOKENS.contains(name)) {
                problems.add("{{" + name + "}} is not a known token; known: "
                        + String.join(", ", sorted(PROFILE_TOKENS)) + ", or a process variable as {{var.name}}");
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
    public static String render(
            String text, Function<String, String> profile, Function<String, Optional<Object>> variables) {
        List<String> problems = problems(text);
        if (!problems.isEmpty()) {
            throw new MessageTemplateException(String.join("; ", problems));
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (Token token : tokens(text)) {
            out.append(text, last, token.start());
            last = token.end();
            String name = token.name();
            String fallback = token.fallback();
            String value;
            if (name.startsWith(VARIABLE_PREFIX)) {
                Optional<Object> variable = variables.apply(name.substring(VARIABLE_PREFIX.length()));
                if (variable.isEmpty() && fallback == null) {
                    throw new MessageTemplateException("{{" + name + "}} has no value: the process has no variable '"
                            + name.substring(VARIABLE_PREFIX.length()) + "' (give one, or a fallback as {{" + name
                            + "|text}})");
                }
                value = variable.map(String::valueOf).orElse(null);
            } else {
                value = profile.apply(name);
            }
            if (value == null || value.isEmpty()) {
                value = fallback == null ? "" : fallback;
            }
            out.append(value);
        }
        out.append(text, last, text.length());
        return out.toString();
    }

    /**
     * One {@code {{name}}} or {@code {{name|fallback}}} in a text.
     *
     * @param start index of its first brace
     * @param end index after its last brace
     * @param name what stands before the first {@code |}, without surrounding whitespace
     * @param fallback what stands after the first {@code |}, as written; null without a {@code |}
     */
    public record Token(int start, int end, String name, String fallback) {}

    /**
     * Every token of a text, left to right. A token is <code>{{</code>, then anything but braces, then
     * <code>}}</code>; a <code>{{</code> not closed that way is no token (the text's braces are then unbalanced,
     * which {@link #problems} reports). One pass: each character is looked at a bounded number of
     * times, so a hostile text costs no more than its length.
     */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        if (text == null) {
            return tokens;
        }
        int length = text.length();
        int from = 0;
        while (true) {
            int open = text.indexOf("{{", from);
            if (open < 0) {
                return tokens;
            }
            int contentStart = open + 2;
            int brace = contentStart;
            int bar = -1;
            while (brace < length && text.charAt(brace) != '{' && text.charAt(brace) != '}') {
                if (bar < 0 && text.charAt(brace) == '|') {
                    bar = brace;
                }
                brace++;
            }
            if (brace + 1 < length && text.charAt(brace) == '}' && text.charAt(brace + 1) == '}') {
                boolean hasFallback = bar >= 0;
                String name = trimWhitespace(text.substring(contentStart, hasFallback ? bar : brace));
                String fallback = hasFallback ? text.substring(bar + 1, brace) : null;
                tokens.add(new Token(open, brace + 2, name, fallback));
                from = brace + 2;
            } else {
                // no token opens here; one may open at the next brace (as in "{{{name}}"), and no brace lies in between
                from = open + 1;
            }
        }
    }

    /** The whitespace {@code \s} matches (ASCII), which is what the token syntax always allowed around a name. */
    private static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /**
     * Renders every string inside a template-data structure (maps and lists are walked). A value that is
     * exactly one process-variable token, {@code "{{var.recommendations}}"}, whose variable holds a JSON
     * array or object (as text, or as a list or map) becomes that array or object: SendGrid's Handlebars
     * iterates over arrays ({@code {{#each}}}), not over text. Its strings are data, not rendered again.
     */
    @SuppressWarnings("unchecked")
    public static Object renderValue(
            Object value, Function<String, String> profile, Function<String, Optional<Object>> variables) {
        if (value instanceof String text) {
            Optional<Object> structured = structuredVariable(text, variables);
            return structured.isPresent() ? structured.get() : render(text, profile, variables);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            map.forEach((k, v) -> rendered.put(String.valueOf(k), renderValue(v, profile, variables)));
            return rendered;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> renderValue(v, profile, variables)).toList();
        }
        return value;
    }

    private static Optional<Object> structuredVariable(String text, Function<String, Optional<Object>> variables) {
        List<Token> tokens = tokens(text);
        if (tokens.size() != 1) {
            return Optional.empty();
        }
        Token token = tokens.get(0);
        if (token.start() != 0
                || token.end() != text.length()
                || token.fallback() != null
                || !token.name().startsWith(VARIABLE_PREFIX)
                || !VARIABLE_NAME
                        .matcher(token.name().substring(VARIABLE_PREFIX.length()))
                        .matches()) {
            return Optional.empty();
        }
        Object variable = variables
                .apply(token.name().substring(VARIABLE_PREFIX.length()))
                .orElse(null);
        if (variable instanceof Map<?, ?> || variable instanceof List<?>) {
            return Optional.of(variable);
        }
        if (variable instanceof String json) {
            String trimmed = json.trim();
            if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
                try {
                    return Optional.of(JSON.readValue(trimmed, Object.class));
                } catch (JsonProcessingException notJson) {
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
