package io.loyalflow.platform.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Collects what is wrong with a request so the caller hears about every fault at once. */
public final class Violations {

    private final List<FieldViolation> violations = new ArrayList<>();

    public Violations add(String field, String message) {
        violations.add(new FieldViolation(field, message));
        return this;
    }

    /** Adds Bean Validation results, with JSON-style paths such as {@code items[0].quantity}. */
    public Violations addAll(String prefix, Set<? extends ConstraintViolation<?>> constraintViolations) {
        constraintViolations.stream()
                .map(v -> new FieldViolation(join(prefix, jsonPath(v.getPropertyPath())), v.getMessage()))
                .sorted(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message))
                .forEach(violations::add);
        return this;
    }

    /**
     * Adds "must be at most N characters" when {@code value} is longer; a missing value is within any limit.
     *
     * @return whether the value is within the limit, so callers can skip checks a text of any length would cost
     */
    public boolean withinLength(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            add(field, "must be at most " + maxLength + " characters");
            return false;
        }
        return true;
    }

    public List<FieldViolation> list() {
        return List.copyOf(violations);
    }

    public void throwIfAny() {
        if (!violations.isEmpty()) {
            throw Refusal.invalid(list());
        }
    }

    /** Hibernate Validator renders {@code items[0].quantity}; container elements appear as {@code <list element>}. */
    public static String jsonPath(Path path) {
        return path.toString().replaceAll("\\.?<[^>]+>", "");
    }

    private static String join(String prefix, String path) {
        if (prefix == null || prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "." + path;
    }
}
