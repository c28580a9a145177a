package io.loyalflow.platform.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model policy's reading of expressions and XML, file by file, without an engine: the tricks an
 * attacker would try beyond the plain paths that {@link ModelPolicyDeploymentTest} deploys through the
 * engine REST API.
 */
class ModelPolicyTest {

    private static final Set<String> BEANS = Set.of(
            "identityService",
            "jdbcTemplate",
            "environment",
            "campaign",
            "campaignEntry",
            "segmentRefreshSchedule",
            "sendEmail",
            "sendSms",
            "processEngine",
            "runtimeService");
    private static final String FEEL = DefaultDmnEngineConfiguration.FEEL_EXPRESSION_LANGUAGE;

    private final ModelPolicy policy = new ModelPolicy(
            BEANS::contains, new ModelPolicy.DmnLanguages(FEEL, FEEL, FEEL, FEEL), new ParsedOnceFeelEngine());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "${''.getClass().forName('java.lang.Runtime').getRuntime().exec('id')}",
                "${customerId.class}",
                "${customerId.class.classLoader}",
                "${customerId['class']}",
                "${customerId.toString()}",
                "#{identityService}",
                "${identityService.createMembership('ana', 'camunda-admin')}",
                "${jdbcTemplate.queryForList('select * from ACT_ID_USER')}",
                "${environment}",
                "${execution}",
                "${execution.processEngineServices.identityService}",
                "${execution.getProcessEngine()}",
                "${task.execution}",
                "${externalTask}",
                "${caseExecution}",
                "${variableContext}",
                "${campaign.settings(execution)}",
                "${campaign['templateId'](execution, 'x')}",
                "${campaign.templateId(execution.processEngine, 'x')}",
                "${campaign.templateId(identityService, 'x')}",
                "${campaignEntry.enterNextChunk('c', 0, 'r')}",
                "${segmentRefreshSchedule.class}",
                "${fn:exec('id')}",
                "${exec('id')}",
                "Hello ${name} and ${runtimeService}",
                "${x ? y : processEngine}",
                "${not valid(}",
            })
    void expressionsThatReachBeyondVariablesAndHelpersAreRefused(String expression) {
        assertThat(check(bpmn("<bpmn:sequenceFlow id=\"Flow_Cond\" sourceRef=\"Start\" targetRef=\"End\">"
                        + "<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">" + xml(expression)
                        + "</bpmn:conditionExpression></bpmn:sequenceFlow>")))
                .as(expression)
                .singleElement()
                .satisfies(violation -> assertThat(violation.elementId()).isEqualTo("Flow_Cond"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "${deliveryOutcome == 'SENT' || deliveryOutcome == 'UNKNOWN'}",
                "${hasEmail && emailConsent}",
                "${(orders + 1) * 2 >= 10 and not empty tier}",
                "${-1}",
                "${''}",
                "${true}",
                "#{arm eq 'A'}",
                "Hi ${firstName}, ${count > 1 ? 'items' : 'item'}",
                "${now()}",
                "${dateTime()}",
                "${currentUser()}",
                "${campaign.templateId(execution, 'Task_SendOffer')}",
                "${campaign.arms(execution, 'Task_Split', 'A:50, B:50')}",
                "${campaign.seriesTemplateId(execution, loopCounter)}",
                "${campaign.nameTeamTask(task)}",
                "${campaignEntry.campaignsToEnter()}",
                "${segmentRefreshSchedule.cycle}",
                "#{execution.processBusinessKey}",
                "plain text without expressions",
                "\\${identityService} is escaped text",
            })
    void variablesLiteralsOperatorsAndTheHelpersPass(String expression) {
        assertThat(check(bpmn("<bpmn:sequenceFlow id=\"Flow_Cond\" sourceRef=\"Start\" targetRef=\"End\">"
                        + "<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">" + xml(expression)
                        + "</bpmn:conditionExpression></bpmn:sequenceFlow>")))
                .as(expression)
                .isEmpty();
    }

    @Test
    void anExpressionSplitAcrossCdataOrWrittenWithCharacterReferencesIsReadAsTheEngineReadsIt() {
        assertThat(rules(bpmn("<bpmn:sequenceFlow id=\"Flow_Cdata\" sourceRef=\"Start\" targetRef=\"End\">"
                        + "<bpmn:conditionExpression>$<![CDATA[{identityService.createUser('x')}]]></bpmn:conditionExpression>"
                        + "</bpmn:sequenceFlow>")))
                .singleElement(STRING)
                .contains("Flow_Cdata", "identityService");
        assertThat(rules(bpmn("<bpmn:userTask id=\"Task_Encoded\" camunda:assignee=\"&#36;&#123;jdbcTemplate}\"/>")))
                .singleElement(STRING)
                .contains("Task_Encoded", "jdbcTemplate");
    }

    @Test
    void structuralRulesHoldInTheLegacyActivitiNamespaceAndWithoutNamespace() {
        assertThat(rules(bpmn("<bpmn:serviceTask id=\"Task_Legacy\" xmlns:activiti=\"http://activiti.org/bpmn\" "
                        + "activiti:class=\"java.lang.Object\"/>")))
                .singleElement(STRING)
                .contains("Task_Legacy", ModelPolicy.JAVA_CLASS);
        assertThat(
                        rules(
                                bpmn(
                                        "<bpmn:sequenceFlow id=\"Flow_Script\" sourceRef=\"Start\" targetRef=\"End\">"
                                                + "<bpmn:conditionExpression language=\"groovy\">true</bpmn:conditionExpression></bpmn:sequenceFlow>")))
                .singleElement(STRING)
                .contains("Flow_Script", ModelPolicy.SCRIPT);
        assertThat(rules(bpmn("<bpmn:userTask id=\"Task_Listener\"><bpmn:extensionElements>"
                        + "<camunda:taskListener event=\"create\" delegateExpression=\"${sendEmail}\"/>"
                        + "</bpmn:extensionElements></bpmn:userTask>")))
                .singleElement(STRING)
                .contains("Task_Listener", ModelPolicy.DELEGATE_ELSEWHERE);
        assertThat(rules(bpmn("<bpmn:serviceTask id=\"Task_Field\" camunda:delegateExpression=\"${sendEmail}\">"
                        + "<bpmn:extensionElements><camunda:field name=\"clock\" stringValue=\"x\"/></bpmn:extensionElements>"
                        + "</bpmn:serviceTask>")))
                .singleElement(STRING)
                .contains("Task_Field", ModelPolicy.FIELD_INJECTION);
        assertThat(rules(
                        bpmn("<bpmn:serviceTask id=\"Task_External\" camunda:type=\"external\" camunda:topic=\"t\"/>")))
                .singleElement(STRING)
                .contains("Task_External", ModelPolicy.EXTERNAL_TASK);
    }

    static Stream<Arguments> codeOutsideExpressions() {
        return Stream.of(
                Arguments.of("<bpmn:userTask id=\"Step\" camunda:formRef=\"form\"/>", ModelPolicy.FORM),
                Arguments.of(
                        "<bpmn:userTask id=\"Step\"><bpmn:extensionElements><camunda:formData><camunda:formField id=\"f\" "
                                + "type=\"string\"/></camunda:formData></bpmn:extensionElements></bpmn:userTask>",
                        ModelPolicy.FORM),
                Arguments.of(
                        "<bpmn:startEvent id=\"Step\" camunda:formKey=\"embedded:app:forms/x.html\"/>",
                        ModelPolicy.FORM),
                Arguments.of(
                        "<bpmn:callActivity id=\"Step\" calledElement=\"x\" "
                                + "camunda:variableMappingClass=\"java.lang.Object\"/>",
                        ModelPolicy.VARIABLE_MAPPING),
                Arguments.of("<bpmn:callActivity id=\"Step\" camunda:caseRef=\"case\"/>", ModelPolicy.CASE_CALL),
                Arguments.of(
                        "<bpmn:serviceTask id=\"Step\"><bpmn:extensionElements><camunda:connector>"
                                + "<camunda:connectorId>http-connector"
                                + "</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>",
                        ModelPolicy.CONNECTOR),
                Arguments.of(
                        "<bpmn:endEvent id=\"Step\"><bpmn:messageEventDefinition camunda:delegateExpression=\"${sendEmail}\"/>"
                                + "</bpmn:endEvent>",
                        ModelPolicy.DELEGATE_ELSEWHERE),
                Arguments.of(
                        "<bpmn:endEvent id=\"Step\"><bpmn:messageEventDefinition camunda:class=\"java.lang.Object\"/>"
                                + "</bpmn:endEvent>",
                        ModelPolicy.JAVA_CLASS),
                Arguments.of(
                        "<bpmn:userTask id=\"Step\"><bpmn:extensionElements><camunda:executionListener event=\"end\" "
                                + "class=\"java.lang.Object\"/></bpmn:extensionElements></bpmn:userTask>",
                        ModelPolicy.JAVA_CLASS),
                Arguments.of(
                        "<bpmn:userTask id=\"Step\"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter "
                                + "name=\"x\"><camunda:script scriptFormat=\"groovy\" resource=\"deployment://x.groovy\"/>"
                                + "</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>",
                        ModelPolicy.SCRIPT),
                Arguments.of(
                        "<bpmn:scriptTask id=\"Step\" camunda:resource=\"deployment://x.js\"/>",
                        ModelPolicy.SCRIPT_TASK),
                Arguments.of(
                        "<bpmn:sendTask id=\"Step\" camunda:expression=\"${x}\"/>",
                        ModelPolicy.EXPRESSION_IMPLEMENTATION));
    }

    @ParameterizedTest
    @MethodSource("codeOutsideExpressions")
    void everyWayToRunCodeOtherThanThroughAnExpressionIsRefused(String element, String rule) {
        assertThat(rules(bpmn(element)))
                .anySatisfy(problem -> assertThat(problem).contains("Step", rule));
    }

    @Test
    void aTaskRunsOnlyLoyalflowsStepsAndVariablesDoNotHideBeans() {
        assertThat(rules(bpmn("<bpmn:serviceTask id=\"Task_Send\" camunda:delegateExpression=\"${sendEmail}\"/>")))
                .isEmpty();
        assertThat(rules(
                        bpmn("<bpmn:serviceTask id=\"Task_Bean\" camunda:delegateExpression=\"${identityService}\"/>")))
                .singleElement(STRING)
                .contains("Task_Bean", "not one of Loyalflow's steps");
        assertThat(rules(bpmn("<bpmn:businessRuleTask id=\"Task_Rule\" camunda:decisionRef=\"d\" "
                        + "camunda:resultVariable=\"identityService\"/>")))
                .singleElement(STRING)
                .contains("Task_Rule", "'identityService'");
        assertThat(rules(bpmn("<bpmn:userTask id=\"Task_Out\"><bpmn:extensionElements><camunda:inputOutput>"
                        + "<camunda:outputParameter name=\"execution\">${1}</camunda:outputParameter>"
                        + "</camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>")))
                .singleElement(STRING)
                .contains("Task_Out", "'execution'");
    }

    @Test
    void onlyWellFormedBpmnAndDmnWithoutDoctypePass() {
        assertThat(policy.check("form.html", "<form></form>".getBytes(StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(violation -> assertThat(violation.rule()).isEqualTo(ModelPolicy.NOT_A_MODEL));
        assertThat(policy.check("case.cmmn", "<definitions/>".getBytes(StandardCharsets.UTF_8)))
                .hasSize(1);
        assertThat(policy.check(
                        "x.bpmn",
                        ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"${identityService}\">]>" + "<x>&e;</x>")
                                .getBytes(StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(violation -> assertThat(violation.rule()).isEqualTo(ModelPolicy.DOCTYPE));
        assertThat(policy.check("x.bpmn", "<x>".getBytes(StandardCharsets.UTF_8)))
                .singleElement()
                .satisfies(violation -> assertThat(violation.rule()).startsWith("the file is not well-formed XML"));
    }

    @Test
    void dmnJuelIsJudgedAsTheDmnEngineWrapsIt() {
        assertThat(rules(dmn(
                        "",
                        "<inputExpression id=\"In_Juel\" expressionLanguage=\"juel\">"
                                + "<text>identityService.createMembership('ana', 'camunda-admin')</text></inputExpression>",
                        "-",
                        "1")))
                .singleElement(STRING)
                .contains("In_Juel", "identityService");
        assertThat(rules(dmn(
                        "",
                        "<inputExpression id=\"In_Juel\" expressionLanguage=\"JUEL\"><text>spend * 2</text>"
                                + "</inputExpression>",
                        "-",
                        "1")))
                .isEmpty();
    }

    @Test
    void dmnInScriptLanguagesOrWithFeelReachingJavaIsRefused() {
        assertThat(rules(dmn(
                        "expressionLanguage=\"javascript\"",
                        "<inputExpression id=\"In_Spend\"><text>spend</text>" + "</inputExpression>",
                        "-",
                        "1")))
                .anySatisfy(rule -> assertThat(rule).contains("'javascript' is not allowed"))
                .anySatisfy(rule -> assertThat(rule).contains("In_Spend"));
        assertThat(
                        rules(
                                dmn(
                                        "",
                                        "<inputExpression id=\"In_Spend\"><text>spend</text></inputExpression>",
                                        "-",
                                        "function(x) external { java: { class: \"java.lang.System\", method signature: \"exit(int)\" } }")))
                .singleElement(STRING)
                .contains("Out_1", "FEEL");
        assertThat(rules(dmn(
                        "",
                        "<inputExpression id=\"In_Spend\"><text>spend.getClass()</text></inputExpression>",
                        "-",
                        "1")))
                .singleElement(STRING)
                .contains("In_Spend", "FEEL");
    }

    @Test
    void plainFeelTablesPass() {
        assertThat(rules(dmn(
                        "",
                        "<inputExpression id=\"In_Spend\" typeRef=\"number\"><text>spend</text>" + "</inputExpression>",
                        "&gt;= 150",
                        "if spend > 1000 then \"Gold\" else \"Silver\"")))
                .isEmpty();
        assertThat(rules(dmn(
                        "",
                        "<inputExpression id=\"In_Spend\"><text>spend</text></inputExpression>",
                        "]45..90]",
                        "date(\"2026-01-01\") + duration(\"P1D\")")))
                .isEmpty();
    }

    private List<ModelPolicy.Violation> check(Model model) {
        return policy.check(model.name(), model.content());
    }

    private List<String> rules(Model model) {
        return policy.check(model.name(), model.content()).stream()
                .map(ModelPolicy.Violation::toString)
                .toList();
    }

    private record Model(String name, byte[] content) {}

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Model bpmn(String elements) {
        return new Model(
                "p.bpmn",
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                + "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" "
                                + "xmlns:camunda=\"http://camunda.org/schema/1.0/bpmn\" "
                                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" id=\"Definitions_Test\" "
                                + "targetNamespace=\"http://loyalflow.io/test\">"
                                + "<bpmn:process id=\"Process_Test\" isExecutable=\"true\" camunda:historyTimeToLive=\"P1D\">"
                                + "<bpmn:startEvent id=\"Start\"/><bpmn:endEvent id=\"End\"/>" + elements
                                + "</bpmn:process></bpmn:definitions>")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static Model dmn(
            String definitionsAttributes, String inputExpression, String inputEntry, String outputEntry) {
        return new Model(
                "t.dmn",
                ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                + "<definitions xmlns=\"https://www.omg.org/spec/DMN/20191111/MODEL/\" id=\"Definitions_DMN\" "
                                + "name=\"DMN\" namespace=\"http://loyalflow.io/test\" " + definitionsAttributes + ">"
                                + "<decision id=\"Decision_Test\" name=\"Test\"><decisionTable id=\"Table\">"
                                + "<input id=\"Input_1\">" + inputExpression + "</input>"
                                + "<output id=\"Output_1\" name=\"result\"/>"
                                + "<rule id=\"Rule_1\"><inputEntry id=\"In_1\"><text>" + inputEntry
                                + "</text></inputEntry>"
                                + "<outputEntry id=\"Out_1\"><text>" + xml(outputEntry) + "</text></outputEntry></rule>"
                                + "</decisionTable></decision></definitions>")
                        .getBytes(StandardCharsets.UTF_8));
    }
}
