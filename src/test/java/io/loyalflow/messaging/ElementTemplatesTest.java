package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.engine.JourneyStartVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Modeler templates analysts use for send tasks must match {@link SendStep}, the contract the Java
 * side reads: a renamed input or bean would otherwise only show up as a failing journey in production.
 */
class ElementTemplatesTest {

    private static final Path TEMPLATES = Path.of(".camunda/element-templates");
    private static final String SCHEMA =
            "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json";
    private static final String EMAIL_ID = "io.loyalflow.SendEmail";
    private static final String SMS_ID = "io.loyalflow.SendSms";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<Template> templates;

    /** One template and the file it came from (a file holds one template object or an array of them). */
    private record Template(Path file, JsonNode node) {

        String id() {
            return node.path("id").asText();
        }

        List<JsonNode> properties() {
            List<JsonNode> properties = new ArrayList<>();
            node.path("properties").forEach(properties::add);
            return properties;
        }

        List<JsonNode> bound(String bindingType) {
            return properties().stream()
                    .filter(p ->
                            bindingType.equals(p.path("binding").path("type").asText()))
                    .toList();
        }

        Optional<JsonNode> property(String name) {
            return bound("property").stream()
                    .filter(p -> name.equals(p.path("binding").path("name").asText()))
                    .findFirst();
        }

        Optional<JsonNode> input(String name) {
            return bound("camunda:inputParameter").stream()
                    .filter(p -> name.equals(p.path("binding").path("name").asText()))
                    .findFirst();
        }

        @Override
        public String toString() {
            return id() + " in " + file.getFileName();
        }
    }

    @BeforeAll
    static void readTemplates() throws IOException {
        assertThat(TEMPLATES).as("run from the project directory").isDirectory();
        templates = new ArrayList<>();
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                if (root.isArray()) {
                    root.forEach(node -> templates.add(new Template(file, node)));
                } else {
                    templates.add(new Template(file, root));
                }
            }
        }
    }

    @Test
    void everyTemplateIsSchemaShaped() {
        assertThat(templates).isNotEmpty();
        for (Template template : templates) {
            JsonNode node = template.node();
            assertThat(node.isObject()).as("%s is an object", template).isTrue();
            assertThat(node.path("$schema").asText())
                    .as("$schema of %s", template)
                    .isEqualTo(SCHEMA);
            assertThat(node.path("name").asText()).as("name of %s", template).isNotBlank();
            assertThat(node.path("id").asText()).as("id in %s", template.file()).isNotBlank();
            assertThat(node.path("appliesTo").isArray()
                            && !node.path("appliesTo").isEmpty())
                    .as("appliesTo of %s", template)
                    .isTrue();
            node.path("appliesTo")
                    .forEach(type -> assertThat(type.asText())
                            .as("appliesTo of %s", template)
                            .matches("bpmn:[A-Za-z]+"));
            assertThat(node.path("properties").isArray())
                    .as("properties of %s", template)
                    .isTrue();
            for (JsonNode property : template.properties()) {
                assertThat(property.path("binding").path("type").asText())
                        .as("a binding type in %s", template)
                        .isNotBlank();
            }
        }
    }

    @Test
    void templateIdsAreUniqueAcrossAllFiles() {
        // The Modeler keys templates by id and version; a clash silently hides one of them. Versions of one
        // template live side by side in its own file (README, "Changing a template"), never in another file.
        Set<String> seen = new HashSet<>();
        Map<String, Path> fileOfId = new HashMap<>();
        for (Template template : templates) {
            String key = template.id() + "@" + template.node().path("version").asText("none");
            assertThat(seen.add(key)).as("template %s is defined twice", key).isTrue();
            Path file = fileOfId.putIfAbsent(template.id(), template.file());
            assertThat(file == null || file.equals(template.file()))
                    .as("template id %s is used in %s and %s", template.id(), file, template.file())
                    .isTrue();
        }
    }

    @Test
    void everyPropertyHasALabelAndAKnownGroup() {
        for (Template template : templates) {
            Set<String> groups = new HashSet<>();
            template.node()
                    .path("groups")
                    .forEach(group -> groups.add(group.path("id").asText()));
            for (JsonNode property : template.properties()) {
                assertThat(property.path("label").asText())
                        .as("label of %s in %s", property.path("binding"), template)
                        .isNotBlank();
                if (property.has("group")) {
                    assertThat(groups)
                            .as("group of %s in %s", property.path("label").asText(), template)
                            .contains(property.path("group").asText());
                }
            }
        }
    }

    @Test
    void sendEmailMatchesTheSendStepContract() {
        Template email = template(EMAIL_ID);

        assertSendStep(email, SendStep.SEND_EMAIL_BEAN, SendStep.EMAIL_INPUTS, MessagingVariables.TEMPLATE_ID.name());
        assertThat(email.input(MessagingVariables.TEMPLATE_ID.name())
                        .orElseThrow()
                        .path("constraints")
                        .path("pattern")
                        .path("value")
                        .asText())
                .isEqualTo("^d-[0-9a-f]{32}$");
    }

    @Test
    void sendSmsMatchesTheSendStepContract() {
        assertSendStep(
                template(SMS_ID), SendStep.SEND_SMS_BEAN, SendStep.SMS_INPUTS, MessagingVariables.SMS_TEXT.name());
    }

    private static void assertSendStep(Template template, String bean, List<String> inputs, String requiredInput) {
        JsonNode implementation =
                template.property("camunda:delegateExpression").orElseThrow();
        assertThat(implementation.path("type").asText()).isEqualTo("Hidden");
        assertThat(implementation.path("value").asText()).isEqualTo("${" + bean + "}");

        // Rule 5: every send is its own job, retried and turned into an incident by the engine.
        JsonNode async = template.property("camunda:asyncBefore").orElseThrow();
        assertThat(async.path("type").asText()).isEqualTo("Hidden");
        assertThat(async.path("value").asText()).isEqualTo("true");

        assertThat(template.node().path("appliesTo"))
                .extracting(JsonNode::asText)
                .contains("bpmn:ServiceTask");

        List<String> names = template.bound("camunda:inputParameter").stream()
                .map(p -> p.path("binding").path("name").asText())
                .toList();
        assertThat(names).as("inputs of %s", template).doesNotHaveDuplicates();
        assertThat(inputs).as("SendStep's inputs").containsAll(names);
        assertThat(names).as("inputs of %s", template).containsExactlyInAnyOrderElementsOf(inputs);

        assertThat(template.input(requiredInput)
                        .orElseThrow()
                        .path("constraints")
                        .path("notEmpty")
                        .asBoolean())
                .as("%s is required", requiredInput)
                .isTrue();

        JsonNode whenCapped =
                template.input(MessagingVariables.WHEN_CAPPED.name()).orElseThrow();
        assertThat(whenCapped.path("type").asText()).isEqualTo("Dropdown");
        assertThat(whenCapped.path("value").asText()).isEqualTo("SKIP");
        assertThat(whenCapped.path("choices"))
                .extracting(choice -> choice.path("value").asText())
                .containsExactlyInAnyOrder("SKIP", "DEFER");

        assertThat(template.input(JourneyStartVariables.CUSTOMER_ID.name())
                        .orElseThrow()
                        .path("value")
                        .asText())
                .isEqualTo("${customerId}");

        // Outputs are written by the step itself; a template output mapping would shadow them.
        assertThat(template.bound("camunda:outputParameter")).isEmpty();
        assertThat(labels(template.node().path("groups"))).contains("Message", "Delivery rules", "Customer");
    }

    private static Set<String> labels(JsonNode groups) {
        Set<String> labels = new HashSet<>();
        groups.forEach(group -> labels.add(group.path("label").asText()));
        return labels;
    }

    private static Template template(String id) {
        List<Template> found = templates.stream().filter(t -> id.equals(t.id())).toList();
        assertThat(found).as("template %s", id).hasSize(1);
        return found.get(0);
    }
}
