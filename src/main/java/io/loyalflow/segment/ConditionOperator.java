package io.loyalflow.segment;

import java.util.Arrays;
import java.util.Optional;

/** The comparison operators of a condition leaf, by their JSON names. */
enum ConditionOperator {
    EQ("eq"),
    NE("ne"),
    LT("lt"),
    LTE("lte"),
    GT("gt"),
    GTE("gte"),
    BETWEEN("between"),
    IN("in"),
    CONTAINS("contains"),
    EXISTS("exists");

    private final String json;

    ConditionOperator(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** Exact, case-sensitive match: the JSON names are part of the API contract. */
    public static Optional<ConditionOperator> fromJson(String name) {
        return Arrays.stream(values()).filter(op -> op.json.equals(name)).findFirst();
    }
}
