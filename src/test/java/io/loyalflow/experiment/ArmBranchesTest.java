package io.loyalflow.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.junit.jupiter.api.Test;

/** The arms a gateway after an A/B split routes, as the split step and activation read them from the model. */
class ArmBranchesTest {

    /** A split followed by a gateway with one flow per condition (null: no condition), the last the default if asked. */
    private static ArmBranches branches(String armVariable, boolean lastIsDefault, String... conditions) {
        StringBuilder flows = new StringBuilder();
        StringBuilder ends = new StringBuilder();
        for (int i = 0; i < conditions.length; i++) {
            flows.append("<bpmn:sequenceFlow id=\"Flow_")
                    .append(i)
                    .append("\" sourceRef=\"Gateway_Arm\" targetRef=\"End_")
                    .append(i)
                    .append("\">");
            if (conditions[i] != null) {
                flows.append("<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\"><![CDATA[")
                        .append(conditions[i])
                        .append("]]></bpmn:conditionExpression>");
            }
            flows.append("</bpmn:sequenceFlow>");
            ends.append("<bpmn:endEvent id=\"End_").append(i).append("\"/>");
        }
        String xml =
                """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            targetNamespace="http://loyalflow.io/test">
          <bpmn:process id="p" isExecutable="true">
            <bpmn:serviceTask id="Task_Split" camunda:delegateExpression="${abSplit}"/>
            <bpmn:exclusiveGateway id="Gateway_Arm" name="Arm?" %s/>
            <bpmn:sequenceFlow id="Flow_ToGateway" sourceRef="Task_Split" targetRef="Gateway_Arm"/>
            %s %s
          </bpmn:process>
        </bpmn:definitions>""".formatted(lastIsDefault ? "default=\"Flow_" + (conditions.length - 1) + "\"" : "", flows, ends);
        var model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return ArmBranches.after(model.<FlowNode>getModelElementById("Task_Split"), armVariable);
    }

    @Test
    void eachConditionNamesItsArmsInTheUsualSpellings() {
        ArmBranches branches = branches(
                "incentive",
                false,
                "${incentive == 'VOUCHER'}",
                "${\"REMINDER\" eq incentive}",
                "${incentive == 'X' || incentive == \"Y\"}");
        assertThat(branches.modelFaults()).isEmpty();
        assertThat(branches.arms()).containsExactly("VOUCHER", "REMINDER", "X", "Y");
        assertThat(branches.faults(Arms.parse("VOUCHER:1, REMINDER:1, X:0, Y:0")))
                .isEmpty();
    }

    @Test
    void anArmWithoutABranchIsNamed() {
        ArmBranches branches = branches(null, false, "${arm == 'A'}", "${arm == 'B'}");
        assertThat(branches.unrouted(Arms.parse("A:50, C:50, D:0"))).containsExactly("C", "D");
        assertThat(branches.faults(Arms.parse("A:50, C:50")))
                .singleElement()
                .asString()
                .isEqualTo("arm 'C' has no branch after the gateway 'Arm?' (Gateway_Arm), which routes only A, B");
    }

    @Test
    void aDefaultBranchOrABranchThatDoesNotNameItsArmIsAFaultOfTheModel() {
        assertThat(branches("reminderArm", true, "${reminderArm == 'A'}", null).modelFaults())
                .singleElement()
                .asString()
                .contains("has a default branch (Flow_1)");
        assertThat(branches("reminderArm", false, "${reminderArm == 'A'}", "${reminderArm != 'A'}")
                        .modelFaults())
                .singleElement()
                .asString()
                .contains("Flow_1")
                .contains("does not name its arms");
        assertThat(branches("reminderArm", false, "${reminderArm == 'A'}", "${hasEmail}")
                        .modelFaults())
                .singleElement()
                .asString()
                .contains("Flow_1");
        // another variable of a similar name is not the arm
        assertThat(branches("arm", false, "${arm == 'A'}", "${charm == 'B'}").modelFaults())
                .hasSize(1);
        assertThat(branches("arm", false, "${arm == 'A'}", "${arm == 'A'}").modelFaults())
                .singleElement()
                .asString()
                .contains("arm 'A' has two branches");
    }

    @Test
    void aSplitNotFollowedByAGatewayIsAFault() {
        String xml = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://loyalflow.io/test">
          <bpmn:process id="p" isExecutable="true">
            <bpmn:serviceTask id="Task_Split" camunda:delegateExpression="${abSplit}"/>
            <bpmn:endEvent id="End"/>
            <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="Task_Split" targetRef="End"/>
          </bpmn:process>
        </bpmn:definitions>""";
        var model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        ArmBranches branches = ArmBranches.after(model.<FlowNode>getModelElementById("Task_Split"), "arm");
        assertThat(branches.arms()).isEmpty();
        assertThat(branches.faults(Arms.parse("A:1, B:1")))
                .isEqualTo(
                        List.of(
                                "it must be followed by an exclusive gateway with one branch per arm (conditions like ${arm == 'A'})"));
    }
}
