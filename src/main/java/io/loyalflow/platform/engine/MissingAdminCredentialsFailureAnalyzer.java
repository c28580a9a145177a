package io.loyalflow.platform.engine;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing-credentials start failure into a short explanation instead of a stack trace. */
public class MissingAdminCredentialsFailureAnalyzer extends AbstractFailureAnalyzer<MissingAdminCredentialsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingAdminCredentialsException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Set LOYALFLOW_ADMIN_USER and LOYALFLOW_ADMIN_PASSWORD (at least 12 characters) in the environment.",
                cause);
    }
}
