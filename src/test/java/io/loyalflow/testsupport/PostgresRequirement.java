package io.loyalflow.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * In the PostgreSQL run: when no PostgreSQL answers, a developer's machine skips those tests with
 * a loud notice (see {@link SkippedTestsBanner}); CI ({@code LOYALFLOW_REQUIRE_POSTGRES=true},
 * set by .ci/run) fails them instead.
 */
public class PostgresRequirement implements ExecutionCondition {

    private static volatile String unreachable;
    private static volatile boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!TestDatabase.postgres()) {
            return ConditionEvaluationResult.enabled("not the PostgreSQL run");
        }
        String reason = reason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + TestDatabase.postgresServerUrl());
        }
        if (required()) {
            throw new IllegalStateException(
                    "PostgreSQL is required (LOYALFLOW_REQUIRE_POSTGRES=true) but does not answer at "
                            + TestDatabase.postgresServerUrl() + ": " + reason);
        }
        SkippedTestsBanner.postgresSkipped(reason);
        return ConditionEvaluationResult.disabled(
                "PostgreSQL tests SKIPPED: no PostgreSQL at " + TestDatabase.postgresServerUrl() + " (" + reason + ")");
    }

    /**
     * For tests that need PostgreSQL in any run (a crash test creates its own database): fails when
     * PostgreSQL is required and does not answer, else skips the test.
     */
    public static void assumeReachable() {
        String reason = reason();
        if (reason == null) {
            return;
        }
        if (required()) {
            throw new IllegalStateException(
                    "PostgreSQL is required (LOYALFLOW_REQUIRE_POSTGRES=true) but does not answer at "
                            + TestDatabase.postgresServerUrl() + ": " + reason);
        }
        SkippedTestsBanner.postgresSkipped(reason);
        org.junit.jupiter.api.Assumptions.abort(
                "PostgreSQL SKIPPED: no PostgreSQL at " + TestDatabase.postgresServerUrl() + " (" + reason + ")");
    }

    static boolean required() {
        return Boolean.parseBoolean(System.getenv().getOrDefault("LOYALFLOW_REQUIRE_POSTGRES", "false"));
    }

    private static String reason() {
        if (!checked) {
            synchronized (PostgresRequirement.class) {
                if (!checked) {
                    unreachable = TestDatabase.postgresUnreachableReason();
                    checked = true;
                }
            }
        }
        return unreachable;
    }
}
