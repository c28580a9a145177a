package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableInputImpl;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bulk refresh's FEEL engine answers exactly as Camunda's own (which journeys use): every table
 * in {@code dmn/} over a grid of inputs built from the table's own thresholds and values (each
 * threshold, just below and above it, nulls, values no rule names), results and failures compared.
 */
class ParsedOnceFeelEngineTest {

    private static final DmnEngine CAMUNDA =
            DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
    private static final DmnEngine PARSED_ONCE = ((DefaultDmnEngineConfiguration)
                    DmnEngineConfiguration.createDefaultDmnEngineConfiguration())
            .feelEngineFactory(ParsedOnceFeelEngine.factory())
            .buildEngine();
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    static Stream<Path> tables() throws Exception {
        return Files.list(Path.of("dmn"))
                .filter(p -> p.toString().endsWith(".dmn"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void answersAsCamundasEngineDoes(Path table) throws Exception {
        String key = table.getFileName().toString().replace(".dmn", "");
        String xml = Files.readString(table);
        DmnDecision camunda;
        DmnDecision parsedOnce;
        try (InputStream in = Files.newInputStream(table)) {
            camunda = CAMUNDA.parseDecision(key, in);
        }
        try (InputStream in = Files.newInputStream(table)) {
            parsedOnce = PARSED_ONCE.parseDecision(key, in);
        }
        List<VariableMap> grid = grid((DmnDecisionTableImpl) camunda.getDecisionLogic(), xml);
        assertThat(grid).hasSizeGreaterThanOrEqualTo(8);
        java.util.Set<String> outcomes = new java.util.HashSet<>();
        for (VariableMap inputs : grid) {
            outcomes.add(outcome(CAMUNDA, camunda, inputs));
            // twice on the parsed-once engine: the second answer comes from remembered expressions
            for (int round = 0; round < 2; round++) {
                assertThat(outcome(PARSED_ONCE, parsedOnce, inputs))
                        .as("%s with %s", key, inputs)
                        .isEqualTo(outcome(CAMUNDA, camunda, inputs));
            }
        }
        assertThat(outcomes)
                .as("the grid reaches several of the table's answers")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    private static String outcome(DmnEngine engine, DmnDecision decision, VariableMap inputs) {
        try {
            return engine.evaluateDecision(decision, inputs).getResultList().toString();
        } catch (RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }

    /** Every combination of candidate values of the inputs. */
    private static List<VariableMap> grid(DmnDecisionTableImpl table, String xml) {
        List<VariableMap> grid = new ArrayList<>();
        grid.add(Variables.createVariables());
        for (DmnDecisionTableInputImpl input : table.getInputs()) {
            String name = input.getExpression().getExpression();
            String type = input.getExpression().getTypeDefinition().getTypeName();
            List<VariableMap> next = new ArrayList<>();
            for (VariableMap partial : grid) {
                for (Object value : candidates(type, xml)) {
                    VariableMap variables = Variables.createVariables();
                    variables.putAll(partial);
                    variables.putValue(name, value);
                    next.add(variables);
                }
            }
            grid = next;
        }
        return grid;
    }

    private static List<Object> candidates(String type, String xml) {
        List<Object> values = new ArrayList<>();
        values.add(null);
        switch (type) {
            case "boolean" -> values.addAll(List.of(true, false));
            case "string" -> {
                TreeSet<String> named = new TreeSet<>();
                Matcher quoted = QUOTED.matcher(entries(xml));
                while (quoted.find()) {
                    named.add(quoted.group(1));
                }
                values.addAll(named);
                values.add("Something else");
            }
            default -> {
                TreeSet<Double> thresholds = new TreeSet<>(List.of(0.0));
                Matcher number = NUMBER.matcher(entries(xml).replaceAll("\"[^\"]*\"", ""));
                while (number.find()) {
                    thresholds.add(Double.parseDouble(number.group()));
                }
                for (double threshold : thresholds) {
                    if ("integer".equals(type)) {
                        for (long n : new long[] {(long) threshold - 1, (long) threshold, (long) threshold + 1}) {
                            values.add((int) n);
                        }
                    } else {
                        values.addAll(List.of(threshold - 0.01, threshold, threshold + 0.01));
                    }
                }
            }
        }
        return values.stream().distinct().toList();
    }

    /** The texts of the rules' input entries. */
    private static String entries(String xml) {
        StringBuilder texts = new StringBuilder();
        Matcher entry =
                Pattern.compile("<inputEntry[^>]*>\\s*<text>([^<]*)</text>").matcher(xml);
        while (entry.find()) {
            texts.append(entry.group(1)
                            .replace("&gt;", ">")
                            .replace("&lt;", "<")
                            .replace("&quot;", "\""))
                    .append(' ');
        }
        return texts.toString();
    }
}
