package io.loyalflow.platform.problem;

/** One thing wrong with a request: the JSON path of the field at fault and what is wrong with it. */
public record FieldViolation(String field, String message) {}
