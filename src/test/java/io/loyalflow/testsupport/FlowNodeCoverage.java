package io.loyalflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowNode;

/**
 * Flow-node coverage of a shipped model, from the engine's history: every flow node of
 * {@code bpmn/<key>.bpmn} must have run in the test database. Each model's journey test checks it
 * last, so a path without a test fails the build; the figures go to {@code target/process-coverage/}.
 */
public final class FlowNodeCoverage {

    private FlowNodeCoverage() {}

    public static void assertEveryFlowNodeRan(HistoryService history, RepositoryService repository, String processKey) {
        Set<String> nodes = new TreeSet<>();
        Bpmn.readModelFromFile(Path.of("bpmn", processKey + ".bpmn").toFile())
                .getModelElementsByType(FlowNode.class)
                .forEach(node -> nodes.add(node.getId()));
        Set<String> ran = new TreeSet<>();
        for (ProcessDefinition definition : repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(processKey)
                .list()) {
            history.createHistoricActivityInstanceQuery().processDefinitionId(definition.getId()).list().stream()
                    .map(HistoricActivityInstance::getActivityId)
                    .forEach(ran::add);
        }
        Set<String> missing = new TreeSet<>(nodes);
        missing.removeAll(ran);
        int covered = nodes.size() - missing.size();
        try {
            Path report = Path.of("target", "process-coverage", processKey + ".txt");
            Files.createDirectories(report.getParent());
            Files.writeString(
                    report,
                    processKey + ": " + covered + " of " + nodes.size() + " flow nodes ran"
                            + (missing.isEmpty() ? "" : "; never: " + String.join(", ", missing))
                            + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(missing)
                .as("flow nodes of %s that no test ran (%d of %d covered)", processKey, covered, nodes.size())
                .isEmpty();
    }
}
