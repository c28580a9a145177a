package io.loyalflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A model added to bpmn/ without a full-stack test that checks its flow-node coverage fails here (the
 * engine-only path tests check flow nodes and sequence flows: {@code ProcessContractsTest}).
 */
class ShippedModelsCoverageGuardTest {

    @Test
    void everyShippedModelHasItsCoverageChecked() throws IOException {
        StringBuilder tests = new StringBuilder();
        try (Stream<Path> sources = Files.walk(Path.of("src/test/java"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                tests.append(Files.readString(source));
            }
        }
        List<String> unchecked;
        try (Stream<Path> models = Files.list(Path.of("bpmn"))) {
            unchecked = models.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".bpmn"))
                    .map(name -> name.substring(0, name.length() - ".bpmn".length()))
                    .filter(key -> !tests.toString()
                            .matches("(?s).*assertEveryFlowNodeRan\\([^;]*" + contract(key) + "\\.KEY\\);.*"))
                    .toList();
        }
        assertThat(unchecked)
                .as("models in bpmn/ whose flow-node coverage no test checks")
                .isEmpty();
    }

    /** The contract class of a process key: win-back → WinBackProcess. */
    private static String contract(String key) {
        StringBuilder name = new StringBuilder();
        for (String word : key.split("-")) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.append("Process").toString();
    }
}
