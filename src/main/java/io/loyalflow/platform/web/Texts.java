package io.loyalflow.platform.web;

import io.loyalflow.platform.problem.Violations;

/**
 * Rules for single-line text: names, identifiers, e-mail senders and headers. A line break in a
 * sender name would start a new mail header; any control character in a name is a mistake or an
 * attack, never content.
 */
public final class Texts {

    /** How refusals describe what is not allowed. */
    public static final String CONTROL_CHARACTERS = "control characters (such as NUL, CR or LF)";

    private Texts() {}

    public static boolean hasControlCharacter(String text) {
        return text != null && text.codePoints().anyMatch(Character::isISOControl);
    }

    /**
     * Adds a violation at {@code field} when {@code text} is not a single line: a control character,
     * line breaks included. Null is left to the caller's own rules.
     */
    public static boolean requireSingleLine(String text, String field, Violations violations) {
        if (hasControlCharacter(text)) {
            violations.add(field, "must be a single line without " + CONTROL_CHARACTERS);
            return false;
        }
        return true;
    }
}
