package io.loyalflow.platform.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.Problem;
import org.camunda.bpm.engine.ResourceReport;

/**
 * A deployment the model policy refused. It is the engine's {@link ParseException}, so the engine REST API
 * answers it as it answers a model the engine cannot parse: 400, with the message and, per file, the refused
 * elements (id, line, column, rule), which Camunda Modeler shows in its deploy dialog.
 */
class ModelPolicyViolation extends ParseException {

    private static final int LISTED = 20;

    private final List<ModelPolicy.Violation> violations;

    public ModelPolicyViolation(List<ModelPolicy.Violation> violations) {
        super(message(violations), violations.get(0).resource(), new ArrayList<Problem>(violations), List.of());
        this.violations = List.copyOf(violations);
        Map<String, List<Problem>> byResource = new LinkedHashMap<>();
        violations.forEach(violation -> byResource
                .computeIfAbsent(violation.resource(), resource -> new ArrayList<>())
                .add(violation));
        resorceReports = byResource.entrySet().stream()
                .map(entry -> (ResourceReport) new Report(entry.getKey(), List.copyOf(entry.getValue())))
                .toList();
    }

    public List<ModelPolicy.Violation> violations() {
        return violations;
    }

    private static String message(List<ModelPolicy.Violation> violations) {
        String listed = violations.stream()
                .limit(LISTED)
                .map(ModelPolicy.Violation::toString)
                .collect(Collectors.joining("; "));
        return "The model policy refused this deployment; nothing was deployed. Only administrators may deploy models "
                + "beyond it (docs/analyst-guide.md, \"What a model may contain\"). " + listed
                + (violations.size() > LISTED ? "; and " + (violations.size() - LISTED) + " more" : "");
    }

    private record Report(String resourceName, List<Problem> errors) implements ResourceReport {

        @Override
        public String getResourceName() {
            return resourceName;
        }

        @Override
        public List<Problem> getErrors() {
            return errors;
        }

        @Override
        public List<Problem> getWarnings() {
            return List.of();
        }
    }
}
