package io.loyalflow.audience;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a half-configured Meta provider into a short explanation instead of a stack trace. */
public class MissingAudienceSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingAudienceSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingAudienceSettingsException cause) {
        StringBuilder action = new StringBuilder("Set in the environment:");
        for (String setting : cause.missing()) {
            action.append(System.lineSeparator()).append("    ").append(setting);
        }
        action.append(System.lineSeparator())
                .append("or set LOYALFLOW_AUDIENCES_PROVIDER=log to log audience changes instead of sending them.");
        return new FailureAnalysis(cause.getMessage(), action.toString(), cause);
    }
}
