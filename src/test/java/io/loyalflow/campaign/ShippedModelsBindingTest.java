package io.loyalflow.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.audience.AudienceDispatchProcess;
import io.loyalflow.audience.AudienceSyncProcess;
import io.loyalflow.clv.ClvRefitProcess;
import io.loyalflow.experiment.ExperimentReviewProcess;
import io.loyalflow.journey.CampaignEntryProcess;
import io.loyalflow.journey.JourneyConsistencyCheckProcess;
import io.loyalflow.messaging.EngagementMessages;
import io.loyalflow.platform.retention.StorageCleanupProcess;
import io.loyalflow.recommendation.RecommendationRefreshProcess;
import io.loyalflow.segment.SegmentRefreshProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every custom step in the shipped models is bound exactly as its element template binds it, so an
 * analyst who opens a model in Modeler sees the template's form, and what the form writes is what
 * runs: the template id and version, each hidden value as given, each input the template has with a
 * value its constraints allow, and nothing the template does not know.
 */
class ShippedModelsBindingTest {

    /** Operators' schedules, not campaign steps: their one task calls a Loyalflow job, not a template. */
    private static final Set<String> SYSTEM_PROCESSES = Set.of(
            SegmentRefreshProcess.KEY,
            CampaignEntryProcess.KEY,
            ClvRefitProcess.KEY,
            RecommendationRefreshProcess.KEY,
            JourneyConsistencyCheckProcess.KEY,
            ExperimentReviewProcess.KEY,
            AudienceDispatchProcess.KEY,
            AudienceSyncProcess.KEY,
            StorageCleanupProcess.KEY);
    /** Engagement messages catch events wait for; other message catches wait for customer events or orders. */
    private static final Set<String> ENGAGEMENT_MESSAGES = EngagementMessages.ALL;

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> models() throws IOException {
        return Files.list(Path.of("bpmn"))
                .filter(p -> p.toString().endsWith(".bpmn"))
                .sorted();
    }

    private static Map<String, JsonNode> templates() throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of(".camunda/element-templates"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                for (JsonNode template :
                        node.isArray() ? node : JSON.createArrayNode().add(node)) {
                    byId.put(template.path("id").asText(), template);
                }
            }
        }
        return byId;
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyCustomStepIsBoundAsItsElementTemplate(Path file) throws IOException {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        String process = file.getFileName().toString().replace(".bpmn", "");
        Map<String, JsonNode> templates = templates();
        List<String> problems = new ArrayList<>();
        int bound = 0;
        for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
            String templateId = node.getAttributeValueNs(CAMUNDA, "modelerTemplate");
            if (templateId == null) {
                if (custom(node) && !SYSTEM_PROCESSES.contains(process)) {
                    problems.add(node.getId() + " is a custom step without an element template");
                }
                continue;
            }
            bound++;
            JsonNode template = templates.get(templateId);
            if (template == null) {
                problems.add(node.getId() + ": no element template " + templateId);
                continue;
            }
            if (!template.path("version")
                    .asText()
                    .equals(node.getAttributeValueNs(CAMUNDA, "modelerTemplateVersion"))) {
                problems.add(node.getId() + ": template version "
                        + node.getAttributeValueNs(CAMUNDA, "modelerTemplateVersion") + ", the template is at "
                        + template.path("version").asText());
            }
            List<String> appliesTo = new ArrayList<>();
            template.path("appliesTo").forEach(t -> appliesTo.add(t.asText()));
            if (appliesTo.stream()
                    .noneMatch(type -> type.equalsIgnoreCase(
                            "bpmn:" + node.getElementType().getTypeName()))) {
                problems.add(node.getId() + ": a " + node.getElementType().getTypeName() + ", the template applies to "
                        + appliesTo);
            }
            check(node, template, problems);
        }
        assertThat(problems)
                .as(file + " (" + bound + " steps bound to templates)")
                .isEmpty();
    }

    private static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";

    /** A step that calls Loyalflow code or a decision, or waits for an engagement: it must come from a template. */
    private static boolean custom(FlowNode node) {
        if (node instanceof ServiceTask task) {
            return task.getCamundaDelegateExpression() != null
                    || task.getCamundaClass() != null
                    || task.getCamundaExpression() != null;
        }
        if (node instanceof BusinessRuleTask) {
            return true;
        }
        return engagementMessage(node) != null;
    }

    private static String engagementMessage(FlowNode node) {
        if (node instanceof IntermediateCatchEvent event) {
            for (var definition : event.getEventDefinitions()) {
                if (definition instanceof MessageEventDefinition message
                        && message.getMessage() != null
                        && ENGAGEMENT_MESSAGES.contains(message.getMessage().getName())) {
                    return message.getMessage().getName();
                }
            }
        }
        return null;
    }

    private static void check(FlowNode node, JsonNode template, List<String> problems) {
        Map<String, String> inputs = new HashMap<>();
        node.getModelInstance().getModelElementsByType(CamundaInputParameter.class).stream()
                .filter(input -> owner(input) == node)
                .forEach(input -> inputs.put(input.getCamundaName(), input.getTextContent()));
        Map<String, String> properties = new HashMap<>();
        node.getModelInstance().getModelElementsByType(CamundaProperty.class).stream()
                .filter(property -> owner(property) == node)
                .forEach(property -> properties.put(property.getCamundaName(), property.getCamundaValue()));
        Set<String> knownInputs = new java.util.HashSet<>();
        Set<String> knownProperties = new java.util.HashSet<>();
        for (JsonNode property : template.path("properties")) {
            JsonNode binding = property.path("binding");
            String name = binding.path("name").asText();
            String type = binding.path("type").asText();
            String expected = property.has("value") ? property.path("value").asText() : null;
            boolean hidden = "Hidden".equals(property.path("type").asText());
            boolean optional = property.path("optional").asBoolean(false);
            String actual;
            switch (type) {
                case "property" ->
                    actual = node.getAttributeValue(name) != null
                            ? node.getAttributeValue(name)
                            : node.getAttributeValueNs(CAMUNDA, name.replace("camunda:", ""));
                case "camunda:inputParameter" -> {
                    knownInputs.add(name);
                    actual = inputs.get(name);
                }
                case "camunda:property" -> {
                    knownProperties.add(name);
                    actual = properties.get(name);
                }
                case "bpmn:Message#property" -> actual = engagementMessage(node);
                default -> {
                    problems.add(node.getId() + ": binding type " + type + " is not checked here");
                    continue;
                }
            }
            String what = node.getId() + " " + type + " " + name;
            if (actual == null) {
                if (!optional
                        && (hidden
                                || property.path("constraints").path("notEmpty").asBoolean(false))) {
                    problems.add(what + " is missing (the template sets " + expected + ")");
                }
                continue;
            }
            if (hidden && !expected.equals(actual)) {
                problems.add(what + " is " + actual + ", the template fixes it to " + expected);
            }
            JsonNode pattern = property.path("constraints").path("pattern");
            String regex = pattern.isTextual()
                    ? pattern.asText()
                    : pattern.path("value").asText(null);
            if (regex != null && !actual.matches(regex)) {
                problems.add(what + " = " + actual + " does not match the template's pattern " + regex);
            }
            if ("Dropdown".equals(property.path("type").asText())) {
                List<String> choices = new ArrayList<>();
                property.path("choices")
                        .forEach(c -> choices.add(c.path("value").asText()));
                if (!choices.contains(actual)) {
                    problems.add(what + " = " + actual + " is none of the template's choices " + choices);
                }
            }
        }
        inputs.keySet().stream()
                .filter(name -> !knownInputs.contains(name))
                .forEach(name -> problems.add(node.getId() + " has an input " + name + " its template does not know"));
        properties.keySet().stream()
                .filter(name -> !knownProperties.contains(name))
                .forEach(name -> problems.add(
                        node.getId() + " has an extension property " + name + " its template does not know"));
    }

    private static ModelElementInstance owner(ModelElementInstance element) {
        for (ModelElementInstance at = element.getParentElement(); at != null; at = at.getParentElement()) {
            if (at instanceof FlowNode) {
                return at;
            }
        }
        return null;
    }
}
