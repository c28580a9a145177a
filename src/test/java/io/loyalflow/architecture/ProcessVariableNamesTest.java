package io.loyalflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.experiment.ExperimentVariables;
import io.loyalflow.messaging.MessagingVariables;
import io.loyalflow.platform.engine.ProcessVariable;
import io.loyalflow.recommendation.RecommendationVariables;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.RegexPatternTypeFilter;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The shipped models and the code name the same process variables: every variable a model in
 * {@code bpmn/} reads in an expression or names (a task's input, a result, an arm or result variable it
 * asks a step to write), and every input of a decision in {@code dmn/}, is declared in one of the
 * modules' {@code *Variables} classes. A model that reads a variable no code declares (a typo, or a name
 * the code renamed) fails here rather than in a journey.
 */
class ProcessVariableNamesTest {

    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{(.*?)}", Pattern.DOTALL);
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    /** A name not after a dot (a property) and not before a dot or a parenthesis (a bean, a function). */
    private static final Pattern READ = Pattern.compile("(?<![\\w.])([A-Za-z_]\\w*)(?![\\w.(])");

    private static final Set<String> EL_WORDS = Set.of(
            "true",
            "false",
            "null",
            "empty",
            "not",
            "and",
            "or",
            "eq",
            "ne",
            "lt",
            "gt",
            "le",
            "ge",
            "div",
            "mod",
            "instanceof");
    /** What the engine itself puts into expressions. */
    private static final Set<String> ENGINE_NAMES = Set.of("execution", "task");
    /** Inputs whose value is the name of the variable the step writes (two steps call theirs the same). */
    private static final Set<String> NAMING_INPUTS = Set.copyOf(List.of(
            ExperimentVariables.ARM_VARIABLE.name(),
            MessagingVariables.SMART_SEND_RESULT_VARIABLE.name(),
            RecommendationVariables.RESULT_VARIABLE.name()));

    @Test
    void everyVariableTheModelsNameIsDeclared() throws Exception {
        Set<String> declared = declaredNames();
        Map<String, Set<String>> undeclared = new TreeMap<>();
        for (Path model : models("bpmn", ".bpmn")) {
            for (String name : namesInProcess(model)) {
                if (!declared.contains(name)) {
                    undeclared
                            .computeIfAbsent(model.toString(), m -> new TreeSet<>())
                            .add(name);
                }
            }
        }
        for (Path model : models("dmn", ".dmn")) {
            for (String name : decisionInputs(model)) {
                if (!declared.contains(name)) {
                    undeclared
                            .computeIfAbsent(model.toString(), m -> new TreeSet<>())
                            .add(name);
                }
            }
        }
        assertThat(undeclared)
                .as("variables the models name that no *Variables class declares")
                .isEmpty();
    }

    @Test
    void readsTheNamesWhereTheModelsPutThem() throws Exception {
        Set<String> names = namesInProcess(Path.of("bpmn/best-customer.bpmn"));
        assertThat(names)
                .as("a timer's date, a series' loop counter, a task input, a result variable input")
                .contains("smartSendAt", "loopCounter", "fallbackHour", "templateId");
        assertThat(names)
                .as("beans and the engine's own names are not variables")
                .doesNotContain("campaign", "execution", "sendEmail", "true");
        assertThat(namesInProcess(Path.of("bpmn/value-segment-upgrade.bpmn")))
                .contains("reminderArm", "tierChange", "deliveryOutcome", "campaignKey");
        assertThat(decisionInputs(Path.of("dmn/channel-choice.dmn")))
                .containsExactlyInAnyOrder("hasEmail", "hasPhone", "emailConsent", "smsConsent", "preferredChannel");
        assertThat(declaredNames())
                .contains(
                        "customerId",
                        "deliveryOutcome",
                        "journeyOutcome",
                        "fitOutcome",
                        "refreshOutcome",
                        "arm",
                        "recommendations",
                        "spendPercentile");
    }

    /** The names of every {@code ProcessVariable} a module declares in its {@code *Variables} class. */
    private static Set<String> declaredNames() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new RegexPatternTypeFilter(Pattern.compile("io\\.loyalflow\\.[\\w.]*Variables")));
        Set<String> names = new TreeSet<>();
        List<String> classes = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.loyalflow")) {
            Class<?> declarations = Class.forName(candidate.getBeanClassName());
            for (Field field : declarations.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProcessVariable.class) {
                    field.setAccessible(true);
                    names.add(((ProcessVariable<?>) field.get(null)).name());
                }
            }
            classes.add(declarations.getSimpleName());
        }
        assertThat(classes)
                .contains(
                        "JourneyStartVariables",
                        "JourneyVariables",
                        "MessagingVariables",
                        "ExperimentVariables",
                        "RecommendationVariables",
                        "ClvVariables",
                        "SegmentVariables");
        return names;
    }

    private static List<Path> models(String directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(directory))) {
            List<Path> models =
                    files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
            assertThat(models).as("models in " + directory).isNotEmpty();
            return models;
        }
    }

    /** What a process model reads in its expressions, and the variables it names in attributes and inputs. */
    static Set<String> namesInProcess(Path model) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Element element : elements(parse(model))) {
            NamedNodeMap attributes = element.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr attribute = (Attr) attributes.item(i);
                String name = attribute.getName();
                if (name.equals("camunda:delegateExpression")) {
                    continue; // a bean
                }
                if (name.equals("camunda:resultVariable") || name.equals("camunda:elementVariable")) {
                    names.add(attribute.getValue());
                }
                names.addAll(reads(attribute.getValue()));
            }
            String text = ownText(element);
            names.addAll(reads(text));
            if (element.getTagName().equals("camunda:inputParameter")) {
                String input = element.getAttribute("name");
                names.add(input);
                if (NAMING_INPUTS.contains(input) && !text.isBlank() && !text.contains("{")) {
                    names.add(text.trim());
                }
            }
        }
        return names;
    }

    /** The inputs a decision model's tables read (each input expression is one variable's name). */
    static Set<String> decisionInputs(Path model) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Element element : elements(parse(model))) {
            if (element.getLocalName().equals("inputExpression")) {
                names.add(element.getTextContent().trim());
            }
        }
        return names;
    }

    private static Set<String> reads(String text) {
        Set<String> names = new TreeSet<>();
        Matcher expression = EXPRESSION.matcher(text);
        while (expression.find()) {
            Matcher read = READ.matcher(QUOTED.matcher(expression.group(1)).replaceAll("''"));
            while (read.find()) {
                String name = read.group(1);
                if (!EL_WORDS.contains(name) && !ENGINE_NAMES.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static Document parse(Path model) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(model.toFile());
    }

    private static List<Element> elements(Document document) {
        NodeList all = document.getElementsByTagName("*");
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            elements.add((Element) all.item(i));
        }
        return elements;
    }

    private static String ownText(Element element) {
        StringBuilder text = new StringBuilder();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(child.getNodeValue());
            }
        }
        return text.toString();
    }
}
