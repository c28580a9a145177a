package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.loyalflow.testsupport.IntegrationTest;
import io.loyalflow.testsupport.TestUsers;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A send task that cannot work is refused at deployment, with a reason the analyst can act on. */
class SendTaskValidationTest extends IntegrationTest {

    private static final String EMAIL = "${sendEmail}";
    private static final String SMS = "${sendSms}";

    @Autowired
    private RepositoryService repositoryService;

    private final List<String> deployments = new ArrayList<>();

    @AfterEach
    void removeDeployments() {
        deployments.forEach(id -> repositoryService.deleteDeployment(id, true));
    }

    // ---- deployments

    @Test
    void anEmailTaskWithoutAsyncBeforeIsRefusedNamingTheTask() {
        String key = key();
        String xml = process(
                key, "serviceTask", "Task_Welcome", "Send welcome", EMAIL, false, inputs("templateId", "d-123"));

        assertRefused(
                key,
                xml,
                "Send task 'Task_Welcome' (Send welcome) cannot be deployed",
                "it must be 'Asynchronous before' (camunda:asyncBefore=\"true\")");
    }

    @Test
    void anSmsTaskWithoutAsyncBeforeIsRefusedEvenWithSpacesInTheExpression() {
        String key = key();
        String xml = process(
                key, "serviceTask", "Task_Sms", null, "${ sendSms }", false, inputs("smsText", "Hi {{firstName}}"));

        assertRefused(key, xml, "Send task 'Task_Sms' cannot be deployed", "'Asynchronous before'");
    }

    @Test
    void aSendTaskElementIsCheckedLikeAServiceTask() {
        String key = key();
        String xml = process(key, "sendTask", "Task_SendTaskElement", null, EMAIL, false, inputs("templateId", "d-1"));

        assertRefused(key, xml, "Send task 'Task_SendTaskElement'", "'Asynchronous before'");
    }

    @Test
    void anEmailTaskWithoutTemplateIdIsRefused() {
        String key = key();
        String xml = process(
                key,
                "serviceTask",
                "Task_NoTemplate",
                "No template",
                EMAIL,
                true,
                inputs("templateData", "{\"a\": \"b\"}"));

        assertRefused(key, xml, "'Task_NoTemplate'", "the input parameter 'templateId' is missing");
    }

    @Test
    void aBlankTemplateIdIsMissingToo() {
        String key = key();
        String xml = process(key, "serviceTask", "Task_BlankTemplate", null, EMAIL, true, inputs("templateId", "   "));

        assertRefused(key, xml, "'Task_BlankTemplate'", "the input parameter 'templateId' is missing");
    }

    @Test
    void anSmsTextWithAnUnknownTokenIsRefusedNamingTheToken() {
        String key = key();
        String xml = process(
                key,
                "serviceTask",
                "Task_Typo",
                "Reminder",
                SMS,
                true,
                inputs("smsText", "Hi {{fistName}}, your code {{var.discountCode}}"));

        assertRefused(
                key, xml, "Send task 'Task_Typo' (Reminder) cannot be deployed", "{{fistName}} is not a known token");
    }

    @Test
    void anSmsTaskWithoutTextIsRefused() {
        String key = key();
        String xml = process(key, "serviceTask", "Task_Silent", null, SMS, true, inputs("category", "reminders"));

        assertRefused(key, xml, "'Task_Silent'", "the input parameter 'smsText' is missing");
    }

    @Test
    void templateDataThatIsNotAJsonObjectIsRefused() {
        String array = key();
        assertRefused(
                array,
                process(
                        array,
                        "serviceTask",
                        "Task_ArrayData",
                        null,
                        EMAIL,
                        true,
                        inputs("templateId", "d-1", "templateData", "[1, 2]")),
                "'Task_ArrayData'",
                "templateData must be a JSON object");

        String broken = key();
        assertRefused(
                broken,
                process(
                        broken,
                        "serviceTask",
                        "Task_BrokenData",
                        null,
                        EMAIL,
                        true,
                        inputs("templateId", "d-1", "templateData", "{\"greeting\": ")),
                "'Task_BrokenData'",
                "templateData is not JSON");
    }

    @Test
    void templateDataWithAnUnknownTokenIsRefused() {
        String key = key();
        String xml = process(
                key,
                "serviceTask",
                "Task_DataTypo",
                null,
                EMAIL,
                true,
                inputs("templateId", "d-1", "templateData", "{\"items\": [{\"name\": \"{{lastNme}}\"}]}"));

        assertRefused(key, xml, "'Task_DataTypo'", "{{lastNme}} is not a known token");
    }

    @Test
    void anUnknownCapPolicyIsRefused() {
        String key = key();
        String xml = process(
                key, "serviceTask", "Task_Later", null, SMS, true, inputs("smsText", "Hi", "whenCapped", "LATER"));

        assertRefused(key, xml, "'Task_Later'", "whenCapped must be SKIP or DEFER, not 'LATER'");
    }

    @Test
    void aMultiInstanceSendTaskIsRefusedAndPointedToAMultiInstanceSubprocess() {
        String key = key();
        String xml = process(key, "serviceTask", "Task_Each", "Send each", EMAIL, true, inputs("templateId", "d-1"))
                .replace(
                        "</bpmn:extensionElements>",
                        "</bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics "
                                + "isSequential=\"true\"><bpmn:loopCardinality>3</bpmn:loopCardinality>"
                                + "</bpmn:multiInstanceLoopCharacteristics>");

        assertRefused(
                key,
                xml,
                "Send task 'Task_Each' (Send each) cannot be deployed",
                "a send task cannot be multi-instance itself: put it in a multi-instance subprocess");
    }

    @Test
    void everyProblemOfATaskIsListedAtOnce() {
        String key = key();
        String xml = process(
                key,
                "serviceTask",
                "Task_AllWrong",
                null,
                EMAIL,
                false,
                inputs("templateData", "[]", "whenCapped", "NEVER"));

        assertRefused(
                key,
                xml,
                "'Task_AllWrong'",
                "'Asynchronous before'",
                "'templateId' is missing",
                "templateData must be a JSON object",
                "whenCapped must be SKIP or DEFER, not 'NEVER'");
    }

    @Test
    void correctSendTasksDeploy() {
        String email = key();
        deploy(process(
                email,
                "serviceTask",
                "Task_Offer",
                "Offer",
                EMAIL,
                true,
                inputs(
                        "templateId",
                        "d-0123",
                        "templateData",
                        "{\"greeting\": \"Hi {{firstName|there}}\", \"code\": \"{{var.discountCode}}\"}",
                        "whenCapped",
                        "defer",
                        "category",
                        "summer")));
        String sms = key();
        deploy(process(
                sms,
                "serviceTask",
                "Task_Reminder",
                null,
                SMS,
                true,
                inputs(
                        "smsText",
                        "Hi {{firstName}}, {{var.discountCode}}. Stop: {{unsubscribeUrl}}",
                        "whenCapped",
                        "SKIP")));

        assertThat(definitions(email)).isEqualTo(1);
        assertThat(definitions(sms)).isEqualTo(1);
    }

    @Test
    void expressionsAndStructuredInputsAreLeftToRunTime() {
        String key = key();
        String structuredData = "<camunda:inputParameter name=\"templateData\"><camunda:map>"
                + "<camunda:entry key=\"greeting\">Hi</camunda:entry></camunda:map></camunda:inputParameter>";
        String xml = process(
                key,
                "serviceTask",
                "Task_Expressions",
                null,
                EMAIL,
                true,
                inputs("templateId", "${templates.idFor(customerId)}", "whenCapped", "${whenCapped}") + structuredData);

        deploy(xml);

        assertThat(definitions(key)).isEqualTo(1);
    }

    @Test
    void otherServiceTasksAreNotConcerned() {
        String key = key();
        deploy(process(key, "serviceTask", "Task_Other", null, "${somethingElse}", false, ""));

        assertThat(definitions(key)).isEqualTo(1);
    }

    @Test
    void oneFaultyTaskRefusesTheWholeDeploymentIncludingItsOtherProcesses() {
        String good = key();
        String bad = key();
        String xml = bpmn(processElement(good, "serviceTask", "Task_Good", null, SMS, true, inputs("smsText", "Hi"))
                + processElement(
                        bad, "serviceTask", "Task_Bad", null, SMS, true, inputs("smsText", "Hi {{nickname}}")));
        long deploymentsBefore = repositoryService.createDeploymentQuery().count();

        assertThatThrownBy(() -> deploy(xml))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("'Task_Bad'")
                .hasMessageContaining("{{nickname}}");

        assertThat(definitions(good)).isZero();
        assertThat(definitions(bad)).isZero();
        assertThat(repositoryService.createDeploymentQuery().count()).isEqualTo(deploymentsBefore);
    }

    // ---- the rule itself

    @Test
    void problemsOfACorrectEmailTaskAreNone() {
        assertThat(SendTaskValidation.problems(true, true, Map.of("templateId", "d-1")))
                .isEmpty();
        assertThat(SendTaskValidation.problems(
                        true, true, Map.of("templateId", "d-1", "templateData", "{}", "whenCapped", " Skip ")))
                .isEmpty();
    }

    @Test
    void problemsOfAnEmptySmsTaskNameTheBoundaryAndTheText() {
        assertThat(SendTaskValidation.problems(false, false, Map.of()))
                .containsExactly(
                        "it must be 'Asynchronous before' (camunda:asyncBefore=\"true\"), so the send runs as its own retried job",
                        "the input parameter 'smsText' is missing");
    }

    @Test
    void problemsLeaveExpressionsAlone() {
        assertThat(SendTaskValidation.problems(false, true, Map.of("smsText", "${text}", "whenCapped", "#{policy}")))
                .isEmpty();
        assertThat(SendTaskValidation.problems(true, true, Map.of("templateId", "d-1", "templateData", "${data}")))
                .isEmpty();
    }

    @Test
    void problemsOfAnSmsTextListEveryBadToken() {
        assertThat(SendTaskValidation.problems(false, true, Map.of("smsText", "{{fistName}} {{var.9}} {{")))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("{{fistName}} is not a known token"))
                .anySatisfy(p -> assertThat(p).startsWith("{{var.9}} is not a valid process variable token"))
                .anySatisfy(p -> assertThat(p).startsWith("unbalanced braces"));
    }

    @Test
    void anEmailTaskIgnoresAnSmsTextAndViceVersa() {
        assertThat(SendTaskValidation.problems(true, true, Map.of("templateId", "d-1", "smsText", "{{nope}}")))
                .isEmpty();
        assertThat(SendTaskValidation.problems(false, true, Map.of("smsText", "Hi", "templateData", "[1]")))
                .isEmpty();
    }

    @Test
    void modelerDeployingABrokenSendTaskGetsA400NamingTheElementNotA500() {
        String key = key();
        String xml = process(
                key, "serviceTask", "Task_Welcome", "Send welcome", EMAIL, false, inputs("templateId", "d-123"));

        JsonPath refusal = RestAssured.given()
                .port(port)
                .auth()
                .preemptive()
                .basic(TestUsers.ANALYST.id, TestUsers.ANALYST.password)
                .multiPart("deployment-name", key)
                .multiPart("deployment-source", "Camunda Modeler")
                .multiPart(
                        key + ".bpmn", key + ".bpmn", xml.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .post("/engine-rest/deployment/create")
                .then()
                .statusCode(400)
                .body("type", equalTo("ParseException"))
                .body("message", containsString("Send task 'Task_Welcome' (Send welcome) cannot be deployed"))
                .extract()
                .jsonPath();

        Map<String, Map<String, List<Map<String, Object>>>> details = refusal.getMap("details");
        assertThat(details.values())
                .flatMap(report -> report.get("errors"))
                .anySatisfy(error -> assertThat(error).containsEntry("mainElementId", "Task_Welcome"));

        assertThat(definitions(key)).isZero();
    }

    // ---- helpers

    private void assertRefused(String key, String xml, String... expectedInMessage) {
        long before = definitions(key);
        long deploymentsBefore = repositoryService.createDeploymentQuery().count();

        var thrown = assertThatThrownBy(() -> deploy(xml)).isInstanceOf(ProcessEngineException.class);
        for (String expected : expectedInMessage) {
            thrown.hasMessageContaining(expected);
        }

        assertThat(before).isZero();
        assertThat(definitions(key)).isZero();
        assertThat(repositoryService.createDeploymentQuery().count()).isEqualTo(deploymentsBefore);
    }

    private void deploy(String xml) {
        Deployment deployment = repositoryService
                .createDeployment()
                .name("send-task-validation-test")
                .addString("x.bpmn", xml)
                .deploy();
        deployments.add(deployment.getId());
    }

    private long definitions(String key) {
        return repositoryService
                .createProcessDefinitionQuery()
                .processDefinitionKey(key)
                .count();
    }

    private static String key() {
        return "validation-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String inputs(String... namesAndValues) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            inputs.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        StringBuilder xml = new StringBuilder();
        inputs.forEach((name, value) -> xml.append("<camunda:inputParameter name=\"")
                .append(name)
                .append("\">")
                .append(escape(value))
                .append("</camunda:inputParameter>"));
        return xml.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String process(
            String key,
            String element,
            String taskId,
            String taskName,
            String delegate,
            boolean asyncBefore,
            String inputParameters) {
        return bpmn(processElement(key, element, taskId, taskName, delegate, asyncBefore, inputParameters));
    }

    private static String bpmn(String processes) {
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Validation"
            targetNamespace="http://loyalflow.io/test">
        %s
        </bpmn:definitions>
        """.formatted(processes);
    }

    private static String processElement(
            String key,
            String element,
            String taskId,
            String taskName,
            String delegate,
            boolean asyncBefore,
            String inputParameters) {
        return """
          <bpmn:process id="%1$s" isExecutable="true" camunda:historyTimeToLive="P1D">
            <bpmn:startEvent id="Start_%2$s"/>
            <bpmn:sequenceFlow id="Flow_In_%2$s" sourceRef="Start_%2$s" targetRef="%2$s"/>
            <bpmn:%3$s id="%2$s"%4$s camunda:delegateExpression="%5$s"%6$s>
              <bpmn:extensionElements>
                <camunda:inputOutput>%7$s</camunda:inputOutput>
              </bpmn:extensionElements>
            </bpmn:%3$s>
            <bpmn:sequenceFlow id="Flow_Out_%2$s" sourceRef="%2$s" targetRef="End_%2$s"/>
            <bpmn:endEvent id="End_%2$s"/>
          </bpmn:process>
        """.formatted(
                        key,
                        taskId,
                        element,
                        taskName == null ? "" : " name=\"" + taskName + "\"",
                        delegate,
                        asyncBefore ? " camunda:asyncBefore=\"true\"" : "",
                        inputParameters);
    }
}
