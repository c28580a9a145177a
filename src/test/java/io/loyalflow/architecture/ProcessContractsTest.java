package io.loyalflow.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.audience.AudienceDispatchProcess;
import io.loyalflow.audience.AudienceSyncProcess;
import io.loyalflow.clv.ClvRefitProcess;
import io.loyalflow.experiment.ExperimentReviewProcess;
import io.loyalflow.journey.AbandonedCartProcess;
import io.loyalflow.journey.AdvocateProcess;
import io.loyalflow.journey.AdvocateReferralProcess;
import io.loyalflow.journey.BestCustomerProcess;
import io.loyalflow.journey.CampaignEntryProcess;
import io.loyalflow.journey.CrossSellProcess;
import io.loyalflow.journey.JourneyConsistencyCheckProcess;
import io.loyalflow.journey.RetentionProcess;
import io.loyalflow.journey.SatisfactionSurveyProcess;
import io.loyalflow.journey.ValueSegmentUpgradeProcess;
import io.loyalflow.journey.WelcomeProcess;
import io.loyalflow.journey.WinBackProcess;
import io.loyalflow.platform.engine.ModelElement;
import io.loyalflow.platform.engine.ModelMessage;
import io.loyalflow.platform.retention.StorageCleanupProcess;
import io.loyalflow.recommendation.RecommendationRefreshProcess;
import io.loyalflow.segment.SegmentRefreshProcess;
import java.io.File;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped model has a contract class, and the contract says only what is true of its model: the process
 * key is the model's process id, every element the enum names exists there with that id, and every message
 * the contract says the process catches is a {@code bpmn:message} of the model that an event of it catches.
 */
class ProcessContractsTest {

    record Contract(
            String key,
            Class<? extends Enum<? extends ModelElement>> elements,
            Class<? extends Enum<? extends ModelMessage>> messages) {

        List<ModelElement> elementList() {
            return Arrays.stream(elements.getEnumConstants())
                    .map(ModelElement.class::cast)
                    .toList();
        }

        List<ModelMessage> messageList() {
            return messages == null
                    ? List.of()
                    : Arrays.stream(messages.getEnumConstants())
                            .map(ModelMessage.class::cast)
                            .toList();
        }

        @Override
        public String toString() {
            return key;
        }
    }

    static Stream<Contract> contracts() {
        return Stream.of(
                new Contract(WinBackProcess.KEY, WinBackProcess.Element.class, WinBackProcess.Message.class),
                new Contract(
                        AdvocateReferralProcess.KEY,
                        AdvocateReferralProcess.Element.class,
                        AdvocateReferralProcess.Message.class),
                new Contract(
                        ValueSegmentUpgradeProcess.KEY,
                        ValueSegmentUpgradeProcess.Element.class,
                        ValueSegmentUpgradeProcess.Message.class),
                new Contract(AdvocateProcess.KEY, AdvocateProcess.Element.class, AdvocateProcess.Message.class),
                new Contract(BestCustomerProcess.KEY, BestCustomerProcess.Element.class, null),
                new Contract(WelcomeProcess.KEY, WelcomeProcess.Element.class, WelcomeProcess.Message.class),
                new Contract(RetentionProcess.KEY, RetentionProcess.Element.class, RetentionProcess.Message.class),
                new Contract(ExperimentReviewProcess.KEY, ExperimentReviewProcess.Element.class, null),
                new Contract(
                        SatisfactionSurveyProcess.KEY,
                        SatisfactionSurveyProcess.Element.class,
                        SatisfactionSurveyProcess.Message.class),
                new Contract(CampaignEntryProcess.KEY, CampaignEntryProcess.Element.class, null),
                new Contract(
                        JourneyConsistencyCheckProcess.KEY,
                        JourneyConsistencyCheckProcess.Element.class,
                        JourneyConsistencyCheckProcess.Message.class),
                new Contract(
                        AbandonedCartProcess.KEY,
                        AbandonedCartProcess.Element.class,
                        AbandonedCartProcess.Message.class),
                new Contract(CrossSellProcess.KEY, CrossSellProcess.Element.class, CrossSellProcess.Message.class),
                new Contract(SegmentRefreshProcess.KEY, SegmentRefreshProcess.Element.class, null),
                new Contract(ClvRefitProcess.KEY, ClvRefitProcess.Element.class, null),
                new Contract(RecommendationRefreshProcess.KEY, RecommendationRefreshProcess.Element.class, null),
                new Contract(AudienceSyncProcess.KEY, AudienceSyncProcess.Element.class, null),
                new Contract(AudienceDispatchProcess.KEY, AudienceDispatchProcess.Element.class, null),
                new Contract(StorageCleanupProcess.KEY, StorageCleanupProcess.Element.class, null));
    }

    @Test
    void everyShippedModelHasAContract() {
        String[] shipped = new File("bpmn").list((dir, name) -> name.endsWith(".bpmn"));
        assertThat(contracts().map(Contract::key))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(shipped)
                        .map(name -> name.replace(".bpmn", ""))
                        .toList());
    }

    /**
     * Each model's paths are tested on the engine alone by {@code <Contract>PathsTest} beside its contract, which
     * deploys the model and fails below full flow-node and sequence-flow coverage ({@code ProcessModels.engine()}).
     */
    @ParameterizedTest
    @MethodSource("contracts")
    void everyModelHasAnEngineOnlyPathTestThatDeploysIt(Contract contract) throws ClassNotFoundException {
        Class<?> pathTest =
                Class.forName(contract.elements().getDeclaringClass().getName() + "PathsTest");
        Deployment deployment = pathTest.getAnnotation(Deployment.class);
        assertThat(deployment)
                .as("%s deploys its model with @Deployment", pathTest.getSimpleName())
                .isNotNull();
        assertThat(deployment.resources()).contains("bpmn/" + contract.key() + ".bpmn");
        assertThat(Arrays.stream(pathTest.getDeclaredFields()).map(Field::getType))
                .as("%s registers the coverage-checking engine", pathTest.getSimpleName())
                .contains(ProcessEngineCoverageExtension.class);
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void theProcessKeyIsTheModelsProcessId(Contract contract) {
        BpmnModelInstance model = model(contract.key());
        assertThat(model.getModelElementsByType(Process.class))
                .extracting(Process::getId)
                .containsExactly(contract.key());
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void everyElementTheContractNamesIsAFlowNodeOfTheModel(Contract contract) {
        BpmnModelInstance model = model(contract.key());
        assertThat(contract.elementList()).isNotEmpty();
        for (ModelElement element : contract.elementList()) {
            assertThat((Object) model.getModelElementById(element.id()))
                    .as("%s of %s: no element %s in bpmn/%s.bpmn", element, contract, element.id(), contract.key())
                    .isInstanceOf(FlowNode.class);
        }
        assertThat(contract.elementList()).extracting(ModelElement::id).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void everyMessageTheContractNamesIsCaughtByTheModel(Contract contract) {
        BpmnModelInstance model = model(contract.key());
        List<String> caught = model.getModelElementsByType(MessageEventDefinition.class).stream()
                .map(MessageEventDefinition::getMessage)
                .map(Message::getName)
                .toList();
        assertThat(contract.messageList())
                .extracting(ModelMessage::messageName)
                .as("the messages the events of bpmn/%s.bpmn catch", contract.key())
                .containsExactlyInAnyOrderElementsOf(caught.stream().distinct().toList());
        for (ModelMessage message : contract.messageList()) {
            assertThat(model.getModelElementsByType(Message.class))
                    .extracting(Message::getName)
                    .as("%s of %s is a bpmn:message", message, contract)
                    .contains(message.messageName());
        }
    }

    private static BpmnModelInstance model(String key) {
        return Bpmn.readModelFromFile(new File("bpmn", key + ".bpmn"));
    }
}
