package io.loyalflow.platform.problem;

import java.util.List;

/**
 * A request a feature refuses, said in the domain's words: what kind of refusal, a detail that says what to
 * fix, and the fields at fault. Services throw it whoever called them (the API, a process step, a job); the
 * web layer alone decides how each kind reads as a problem document.
 */
public final class Refusal extends RuntimeException {

    /** What went wrong, from the caller's side. */
    public enum Kind {
        /** Some values are not acceptable; the violations name them. */
        INVALID,
        /** The thing asked for does not exist (or no longer does). */
        NOT_FOUND,
        /** The request is valid but clashes with the current state, e.g. the id is taken or a run is under way. */
        CONFLICT,
        /** This caller may make this request, but not with these values; the violations say which. */
        FORBIDDEN,
        /** The caller changed a version it read earlier that has moved on since; it should read again. */
        STALE_VERSION
    }

    private final Kind kind;
    private final List<FieldViolation> violations;

    private Refusal(Kind kind, String detail, List<FieldViolation> violations) {
        super(detail);
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    /** Invalid values, with a detail naming the field or, for several, how many and which. */
    public static Refusal invalid(List<FieldViolation> violations) {
        String detail = violations.size() == 1
                ? violations.get(0).field() + ": " + violations.get(0).message()
                : violations.size() + " fields are invalid: "
                        + String.join(
                                ", ",
                                violations.stream()
                                        .map(FieldViolation::field)
                                        .distinct()
                                        .toList());
        return invalid(detail, violations);
    }

    public static Refusal invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
    }

    /** Invalid values, with a detail of the caller's own, e.g. what could not be done because of them. */
    public static Refusal invalid(String detail, List<FieldViolation> violations) {
        return new Refusal(Kind.INVALID, detail, violations);
    }

    public static Refusal notFound(String detail) {
        return new Refusal(Kind.NOT_FOUND, detail, List.of());
    }

    public static Refusal conflict(String detail, List<FieldViolation> violations) {
        return new Refusal(Kind.CONFLICT, detail, violations);
    }

    public static Refusal forbidden(String detail, List<FieldViolation> violations) {
        return new Refusal(Kind.FORBIDDEN, detail, violations);
    }

    public static Refusal staleVersion(String detail) {
        return new Refusal(Kind.STALE_VERSION, detail, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
