package io.loyalflow.platform.engine;

import static io.loyalflow.testsupport.TestUsers.ADMIN;
import static io.loyalflow.testsupport.TestUsers.ANALYST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.security.LoyalflowGroups;
import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Analysts deploy from Camunda Modeler through the engine REST API. A model that would run code of its
 * author's choosing (any Spring bean, a script, a Java class, the engine's objects) is refused for them,
 * whichever place of the model carries it, and nothing of it is stored; an administrator may deploy the
 * same model; every shipped model and every element template's step passes.
 *
 * <p>Runs in a JVM of its own ("isolated"): it deploys new versions of the shipped models, and
 * Camunda's REST API finds its engine in a static registry, which the first Spring context of a shared
 * test JVM would own.
 */
@Tag("isolated")
class ModelPolicyDeploymentTest extends IntegrationTest {

    /** A user without groups whom the hostile models try to make an administrator. */
    private static final String PROBE = "policy-probe";

    private static final String ESCALATE = "${identityService.createMembership('" + PROBE + "', 'camunda-admin')}";
    /** The timer start event's cycle is evaluated while the model is deployed, by the deploying user's command. */
    private static final String ESCALATE_WHILE_DEPLOYING = "${jdbcTemplate.batchUpdate(\"INSERT INTO "
            + "ACT_ID_MEMBERSHIP (USER_ID_, GROUP_ID_) VALUES ('" + PROBE
            + "', 'camunda-admin')\") != null ? 'R/PT24H' "
            + ": 'R/PT24H'}";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RepositoryService repositoryService;

    @Autowired
    ManagementService managementService;

    /** A hostile model: its files, the element and rule the refusal must name. */
    record Hostile(
            String path,
            String name,
            Map<String, String> files,
            String elementId,
            String rule,
            boolean escalatesWhenDeployed) {

        @Override
        public String toString() {
            return path;
        }
    }

    static Stream<Hostile> hostileModels() {
        return Stream.of(
                hostile(
                        "expression task",
                        "Process_ExpressionTask",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:serviceTask id=\"Task_Escalate\" camunda:expression=\"" + ESCALATE + "\"/>"),
                        "Task_Escalate",
                        ModelPolicy.EXPRESSION_IMPLEMENTATION),
                hostile(
                        "execution listener",
                        "Process_ExecutionListener",
                        linear(
                                "<bpmn:startEvent id=\"Start\"><bpmn:extensionElements><camunda:executionListener event=\"start\" "
                                        + "expression=\"" + ESCALATE
                                        + "\"/></bpmn:extensionElements></bpmn:startEvent>",
                                "<bpmn:userTask id=\"Task_Plain\"/>"),
                        "Start",
                        "uses the Spring bean 'identityService'"),
                hostile(
                        "task listener",
                        "Process_TaskListener",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:userTask id=\"Task_Listened\"><bpmn:extensionElements>"
                                        + "<camunda:taskListener event=\"create\" expression=\"" + ESCALATE + "\"/>"
                                        + "</bpmn:extensionElements></bpmn:userTask>"),
                        "Task_Listened",
                        "uses the Spring bean 'identityService'"),
                hostile(
                        "script task",
                        "Process_ScriptTask",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:scriptTask id=\"Task_Script\" scriptFormat=\"juel\">" + "<bpmn:script>"
                                        + ESCALATE + "</bpmn:script></bpmn:scriptTask>"),
                        "Task_Script",
                        ModelPolicy.SCRIPT_TASK),
                hostile(
                        "script listener",
                        "Process_ScriptListener",
                        linear(
                                "<bpmn:startEvent id=\"Start\"><bpmn:extensionElements><camunda:executionListener event=\"start\">"
                                        + "<camunda:script scriptFormat=\"juel\">" + ESCALATE
                                        + "</camunda:script></camunda:executionListener>"
                                        + "</bpmn:extensionElements></bpmn:startEvent>",
                                "<bpmn:userTask id=\"Task_Plain\"/>"),
                        "Start",
                        ModelPolicy.SCRIPT),
                hostile(
                        "Java class",
                        "Process_JavaClass",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:serviceTask id=\"Task_Class\" camunda:class=\"io.loyalflow.journey.StartScenarioDelegate\"/>"),
                        "Task_Class",
                        ModelPolicy.JAVA_CLASS),
                hostile(
                        "sequence flow condition",
                        "Process_Condition",
                        "<bpmn:startEvent id=\"Start\"/><bpmn:exclusiveGateway id=\"Gateway_Check\" default=\"Flow_Default\"/>"
                                + "<bpmn:endEvent id=\"End_Escalated\"/><bpmn:endEvent id=\"End_Default\"/>"
                                + "<bpmn:sequenceFlow id=\"Flow_In\" sourceRef=\"Start\" targetRef=\"Gateway_Check\"/>"
                                + "<bpmn:sequenceFlow id=\"Flow_Escalate\" sourceRef=\"Gateway_Check\" targetRef=\"End_Escalated\">"
                                + "<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">"
                                + "${identityService.createMembership('" + PROBE + "', 'camunda-admin') == null}"
                                + "</bpmn:conditionExpression></bpmn:sequenceFlow>"
                                + "<bpmn:sequenceFlow id=\"Flow_Default\" sourceRef=\"Gateway_Check\" targetRef=\"End_Default\"/>",
                        "Flow_Escalate",
                        "uses the Spring bean 'identityService'"),
                hostile(
                        "input and output mapping",
                        "Process_Mapping",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:userTask id=\"Task_Mapped\"><bpmn:extensionElements>"
                                        + "<camunda:inputOutput><camunda:inputParameter name=\"ignored\">" + ESCALATE
                                        + "</camunda:inputParameter>"
                                        + "<camunda:outputParameter name=\"passwords\">${jdbcTemplate.queryForList('SELECT PWD_ FROM "
                                        + "ACT_ID_USER')}</camunda:outputParameter></camunda:inputOutput>"
                                        + "</bpmn:extensionElements></bpmn:userTask>"),
                        "Task_Mapped",
                        "uses the Spring bean 'jdbcTemplate'"),
                new Hostile(
                        "timer start event",
                        "Process_TimerStart",
                        Map.of(
                                "Process_TimerStart.bpmn",
                                bpmn(
                                        "Process_TimerStart",
                                        "",
                                        linear(
                                                "<bpmn:startEvent id=\"Start\"><bpmn:timerEventDefinition "
                                                        + "id=\"Timer_Escalate\"><bpmn:timeCycle xsi:type=\"bpmn:tFormalExpression\">"
                                                        + ESCALATE_WHILE_DEPLOYING.replace("\"", "&quot;")
                                                        + "</bpmn:timeCycle></bpmn:timerEventDefinition>"
                                                        + "</bpmn:startEvent>",
                                                "<bpmn:userTask id=\"Task_Plain\"/>"))),
                        "Timer_Escalate",
                        "uses the Spring bean 'jdbcTemplate'",
                        true),
                new Hostile(
                        "message name",
                        "Process_MessageName",
                        Map.of(
                                "Process_MessageName.bpmn",
                                bpmn(
                                        "Process_MessageName",
                                        "<bpmn:message id=\"Message_Escalate\" name=\"" + ESCALATE + "\"/>",
                                        linear(
                                                "<bpmn:startEvent id=\"Start\"/>",
                                                "<bpmn:intermediateCatchEvent id=\"Catch_Message\">"
                                                        + "<bpmn:messageEventDefinition id=\"Definition_Message\" messageRef=\"Message_Escalate\"/>"
                                                        + "</bpmn:intermediateCatchEvent>"))),
                        "Message_Escalate",
                        "uses the Spring bean 'identityService'",
                        false),
                hostile(
                        "call activity mapping",
                        "Process_CallActivity",
                        linear(
                                "<bpmn:startEvent id=\"Start\"/>",
                                "<bpmn:callActivity id=\"Call_Other\" "
                                        + "calledElement=\"Process_Elsewhere\"><bpmn:extensionElements><camunda:in sourceExpression=\""
                                        + ESCALATE
                                        + "\" target=\"copied\"/></bpmn:extensionElements></bpmn:callActivity>"),
                        "Call_Other",
                        "uses the Spring bean 'identityService'"),
                new Hostile(
                        "form resource",
                        "Process_Form",
                        Map.of(
                                "Process_Form.bpmn",
                                bpmn(
                                        "Process_Form",
                                        "",
                                        linear(
                                                "<bpmn:startEvent id=\"Start\"/>",
                                                "<bpmn:userTask id=\"Task_Form\" camunda:formKey=\"embedded:deployment:steal.html\"/>")),
                                "steal.html",
                                "<form><script>fetch('/engine-rest/user').then(r => r.text()).then(alert)</script></form>"),
                        "Task_Form",
                        ModelPolicy.FORM,
                        false),
                new Hostile(
                        "DMN in JUEL",
                        "Decision_Juel",
                        Map.of(
                                "Decision_Juel.dmn",
                                dmn(
                                        "Decision_Juel",
                                        "<inputExpression id=\"Input_Escalate\" expressionLanguage=\"juel\"><text>identityService.createMembership('"
                                                + PROBE + "', 'camunda-admin')</text></inputExpression>",
                                        "1")),
                        "Input_Escalate",
                        "uses the Spring bean 'identityService'",
                        false),
                new Hostile(
                        "DMN in FEEL with an external Java function",
                        "Decision_Feel",
                        Map.of(
                                "Decision_Feel.dmn",
                                dmn(
                                        "Decision_Feel",
                                        "<inputExpression id=\"Input_Spend\"><text>spend</text></inputExpression>",
                                        "function(x) external { java: { class: &quot;java.lang.System&quot;, "
                                                + "method signature: &quot;exit(int)&quot; } }")),
                        "Output_Entry",
                        "FEEL",
                        false),
                new Hostile(
                        "DMN in a script language",
                        "Decision_Script",
                        Map.of(
                                "Decision_Script.dmn",
                                dmn(
                                        "Decision_Script",
                                        "<inputExpression id=\"Input_Script\" expressionLanguage=\"javascript\">"
                                                + "<text>java.lang.System.exit(1)</text></inputExpression>",
                                        "1")),
                        "Input_Script",
                        "'javascript' is not allowed",
                        false));
    }

    @BeforeEach
    void probeUserWithoutGroups() {
        if (identityService.createUserQuery().userId(PROBE).count() == 0) {
            User probe = identityService.newUser(PROBE);
            probe.setPassword("probe-password-for-tests");
            identityService.saveUser(probe);
        }
        identityService.deleteMembership(PROBE, LoyalflowGroups.ADMIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileModels")
    void aHostileModelIsRefusedForAnAnalystAndChangesNothingButAnAdministratorMayDeployIt(Hostile model) {
        JsonPath refusal = deploy(ANALYST, model.name(), model.files(), true)
                .then()
                .statusCode(400)
                .body("type", equalTo("ParseException"))
                .body("message", containsString("model policy refused"))
                .body("message", containsString(model.elementId()))
                .body("message", containsString(model.rule()))
                .extract()
                .jsonPath();
        List<Map<String, Object>> errors = new ArrayList<>();
        Map<String, Map<String, List<Map<String, Object>>>> details = refusal.getMap("details");
        details.values().forEach(report -> errors.addAll(report.get("errors")));
        assertThat(errors).anySatisfy(error -> {
            assertThat(error.get("mainElementId")).isEqualTo(model.elementId());
            assertThat((String) error.get("message")).contains(model.rule());
        });
        assertNothingDeployed(model);

        String deploymentId = deploy(ADMIN, model.name(), model.files(), true)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertThat(repositoryService
                        .createDeploymentQuery()
                        .deploymentId(deploymentId)
                        .count())
                .isOne();
        if (model.escalatesWhenDeployed()) {
            assertThat(isAdmin(PROBE))
                    .as("the model really runs its expression while it is deployed")
                    .isTrue();
        }
        repositoryService.deleteDeployment(deploymentId, true);
    }

    @Test
    void anAnalystCannotRedeployAnAdministratorsModelThatBreaksThePolicy() {
        Hostile model = hostileModels()
                .filter(hostile -> hostile.path().equals("expression task"))
                .findFirst()
                .orElseThrow();
        String adminDeployment = deploy(ADMIN, model.name(), model.files(), true)
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        long deployments = repositoryService.createDeploymentQuery().count();

        engine(ANALYST)
                .contentType("application/json")
                .body("{}")
                .post("/engine-rest/deployment/{id}/redeploy", adminDeployment)
                .then()
                .statusCode(400)
                .body("message", containsString("Task_Escalate"))
                .body("message", containsString(ModelPolicy.EXPRESSION_IMPLEMENTATION));
        assertThat(repositoryService.createDeploymentQuery().count()).isEqualTo(deployments);
        repositoryService.deleteDeployment(adminDeployment, true);
    }

    @Test
    void everyShippedModelPassesWhenAnAnalystDeploysIt() throws IOException {
        List<Path> models = new ArrayList<>();
        for (String folder : List.of("bpmn", "dmn")) {
            try (Stream<Path> files = Files.list(Path.of(folder))) {
                files.filter(file -> file.toString().endsWith(".bpmn")
                                || file.toString().endsWith(".dmn"))
                        .sorted()
                        .forEach(models::add);
            }
        }
        assertThat(models).as("run from the project directory").hasSizeGreaterThan(10);
        for (Path model : models) {
            String file = model.getFileName().toString();
            String key = file.substring(0, file.lastIndexOf('.'));
            // a new deployment even though the service deployed the same file at start: the policy sees every model
            String deploymentId = deploy(ANALYST, key, Map.of(file, Files.readString(model)), false)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");
            assertThat(repositoryService.getDeploymentResourceNames(deploymentId))
                    .as(file)
                    .containsExactly(file);
        }
        assertThat(isAdmin(ANALYST.id)).isFalse();
    }

    @Test
    void everyElementTemplatesStepPassesWhenAnAnalystDeploysIt() throws IOException {
        List<JsonNode> templates = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(".camunda/element-templates"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                if (root.isArray()) {
                    root.forEach(templates::add);
                } else {
                    templates.add(root);
                }
            }
        }
        assertThat(templates).hasSizeGreaterThan(10);
        for (JsonNode template : templates) {
            String key = "Process_" + template.path("id").asText().replaceAll("[^A-Za-z0-9]", "_");
            deploy(ANALYST, key, Map.of(key + ".bpmn", withTemplateApplied(key, template)), false)
                    .then()
                    .statusCode(200)
                    .body("deployedProcessDefinitions", org.hamcrest.Matchers.aMapWithSize(1));
        }
    }

    private void assertNothingDeployed(Hostile model) {
        assertThat(repositoryService
                        .createDeploymentQuery()
                        .deploymentName(model.name())
                        .count())
                .isZero();
        assertThat(repositoryService
                        .createProcessDefinitionQuery()
                        .processDefinitionKey(model.name())
                        .count())
                .isZero();
        assertThat(repositoryService
                        .createDecisionDefinitionQuery()
                        .decisionDefinitionKey(model.name())
                        .count())
                .isZero();
        assertThat(managementService
                        .createJobQuery()
                        .processDefinitionKey(model.name())
                        .count())
                .isZero();
        assertThat(isAdmin(PROBE)).isFalse();
        assertThat(isAdmin(ANALYST.id)).isFalse();
        assertThat(identityService.createGroupQuery().groupMember(ANALYST.id).list())
                .extracting(Group::getId)
                .containsExactly(LoyalflowGroups.ANALYST);
    }

    private boolean isAdmin(String userId) {
        return identityService
                        .createUserQuery()
                        .userId(userId)
                        .memberOfGroup(LoyalflowGroups.ADMIN)
                        .count()
                > 0;
    }

    private RequestSpecification engine(TestUsers user) {
        return RestAssured.given().port(port).auth().preemptive().basic(user.id, user.password);
    }

    /** As Camunda Modeler deploys: multipart, one diagram (and its files), source "Camunda Modeler". */
    private Response deploy(TestUsers user, String name, Map<String, String> files, boolean changedOnly) {
        RequestSpecification request = engine(user)
                .multiPart("deployment-name", name)
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart("deploy-changed-only", String.valueOf(changedOnly))
                .multiPart("enable-duplicate-filtering", String.valueOf(changedOnly));
        new LinkedHashMap<>(files)
                .forEach((file, content) -> request.multiPart(
                        file, file, content.getBytes(StandardCharsets.UTF_8), "application/octet-stream"));
        return request.post("/engine-rest/deployment/create");
    }

    private static Hostile hostile(String path, String key, String elements, String elementId, String rule) {
        return new Hostile(path, key, Map.of(key + ".bpmn", bpmn(key, "", elements)), elementId, rule, false);
    }

    /** Start, one element, end, in a line. */
    private static String linear(String start, String element) {
        String elementId = element.replaceFirst("(?s)^<[^ ]+ id=\"([^\"]+)\".*$", "$1");
        return start + element + "<bpmn:endEvent id=\"End\"/>"
                + "<bpmn:sequenceFlow id=\"Flow_1\" sourceRef=\"Start\" targetRef=\"" + elementId + "\"/>"
                + "<bpmn:sequenceFlow id=\"Flow_2\" sourceRef=\"" + elementId + "\" targetRef=\"End\"/>";
    }

    private static String bpmn(String key, String rootElements, String processElements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
                + "xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "id=\"Definitions_" + key
                + "\" targetNamespace=\"http://loyalflow.io/test\" exporter=\"Camunda Modeler\" "
                + "exporterVersion=\"5.31.0\">\n" + rootElements
                + "<bpmn:process id=\"" + key + "\" isExecutable=\"true\" camunda:historyTimeToLive=\"P30D\">\n"
                + processElements + "\n</bpmn:process>\n</bpmn:definitions>\n";
    }

    private static String dmn(String key, String inputExpression, String outputEntry) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" "
                + "xmlns:camunda=\"http://camunda.org/schema/1.0/dmn\" id=\"Definitions_" + key
                + "\" name=\"Policy check\" "
                + "namespace=\"http://loyalflow.io/test\">\n"
                + "<decision id=\"" + key + "\" name=\"Policy check\" camunda:historyTimeToLive=\"P30D\">"
                + "<decisionTable id=\"Table_" + key + "\"><input id=\"Input_1\" label=\"Input\">" + inputExpression
                + "</input>"
                + "<output id=\"Output_1\" name=\"result\" typeRef=\"string\"/>"
                + "<rule id=\"Rule_1\"><inputEntry id=\"Input_Entry\"><text>-</text></inputEntry>"
                + "<outputEntry id=\"Output_Entry\"><text>" + outputEntry + "</text></outputEntry></rule>"
                + "</decisionTable></decision>\n</definitions>\n";
    }

    /**
     * A process whose one element is made as Camunda Modeler makes it when the template is applied: each binding
     * written with the template's value, or, for a required field without one, a value the field accepts.
     */
    private static String withTemplateApplied(String key, JsonNode template) {
        String type = template.path("appliesTo").get(0).asText().replace("bpmn:", "");
        String elementName = Character.toLowerCase(type.charAt(0)) + type.substring(1);
        StringBuilder attributes = new StringBuilder(
                " camunda:modelerTemplate=\"" + template.path("id").asText() + "\"");
        StringBuilder inputs = new StringBuilder();
        StringBuilder properties = new StringBuilder();
        String messageName = null;
        for (JsonNode property : template.path("properties")) {
            String binding = property.path("binding").path("type").asText();
            String name = property.path("binding").path("name").asText();
            String value = property.has("value")
                    ? property.path("value").asText()
                    : property.path("constraints").path("notEmpty").asBoolean() ? sampleValue(name) : null;
            if (value == null) {
                continue;
            }
            switch (binding) {
                case "property" ->
                    attributes
                            .append(' ')
                            .append(name)
                            .append("=\"")
                            .append(xml(value))
                            .append('"');
                case "camunda:inputParameter" ->
                    inputs.append("<camunda:inputParameter name=\"")
                            .append(name)
                            .append("\">")
                            .append(xml(value))
                            .append("</camunda:inputParameter>");
                case "camunda:property" ->
                    properties
                            .append("<camunda:property name=\"")
                            .append(name)
                            .append("\" value=\"")
                            .append(xml(value))
                            .append("\"/>");
                case "bpmn:Message#property" -> messageName = value;
                default ->
                    throw new IllegalStateException(
                            "no test for the binding " + binding + " of " + template.path("id"));
            }
        }
        StringBuilder extensions = new StringBuilder();
        if (!properties.isEmpty()) {
            extensions.append("<camunda:properties>").append(properties).append("</camunda:properties>");
        }
        if (!inputs.isEmpty()) {
            extensions.append("<camunda:inputOutput>").append(inputs).append("</camunda:inputOutput>");
        }
        if (type.equals("UserTask")) {
            // the task listener the team task's documentation asks for
            extensions.append("<camunda:taskListener expression=\"${campaign.nameTeamTask(task)}\" event=\"create\"/>");
        }
        String body = extensions.isEmpty() ? "" : "<bpmn:extensionElements>" + extensions + "</bpmn:extensionElements>";
        if (messageName != null) {
            body += "<bpmn:messageEventDefinition id=\"Definition_Message\" messageRef=\"Message_Template\"/>";
        }
        String element = "<bpmn:" + elementName + " id=\"Step_Template\"" + attributes + ">" + body + "</bpmn:"
                + elementName + ">";
        String message =
                messageName == null ? "" : "<bpmn:message id=\"Message_Template\" name=\"" + messageName + "\"/>";
        return bpmn(key, message, linear("<bpmn:startEvent id=\"Start\"/>", element));
    }

    /** A value a required template field without a default accepts. */
    private static String sampleValue(String name) {
        return switch (name) {
            case "templateId" -> "d-0123456789abcdef0123456789abcdef";
            case "smsText" -> "Hi {{firstName|there}}, 15% off: BACK15";
            case "experimentKey" -> "policy-check";
            case "camunda:resultVariable" -> "decisionResult";
            case "adAudience" -> "lapsed-buyers";
            default -> throw new IllegalStateException("no sample value for the required field " + name);
        };
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
