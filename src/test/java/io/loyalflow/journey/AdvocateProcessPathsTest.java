package io.loyalflow.journey;

import static io.loyalflow.experiment.ExperimentVariables.ARM_VARIABLE;
import static io.loyalflow.experiment.ExperimentVariables.EXPERIMENT_KEY;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_NOT_ADVOCATE;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_NO_RESPONSE;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_PASSIVE;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_REFERRED;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_REVIEWED;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_SERVICE_FOLLOWED_UP;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_THANKED;
import static io.loyalflow.journey.AdvocateProcess.Element.END_EVENT_UNREACHABLE;
import static io.loyalflow.journey.AdvocateProcess.Element.GATEWAY_ASK;
import static io.loyalflow.journey.AdvocateProcess.Element.GATEWAY_RESPONSE;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_ASK_REFERRAL;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_ASK_REVIEW;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_READ_CUSTOMER;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SEND_THANK_YOU;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SERVICE_FOLLOW_UP;
import static io.loyalflow.journey.AdvocateProcess.Element.TASK_SPLIT_ASK;
import static io.loyalflow.journey.JourneyVariables.CUSTOMER_EVENT_ID;
import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.NPS_GROUP;
import static io.loyalflow.journey.JourneyVariables.SURVEY_SCORE;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.segment.SegmentVariables.PREVIOUS_TIER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.decisionService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;

import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every path of {@code bpmn/advocate.bpmn} and every row of {@code dmn/nps-group.dmn} on the engine alone (the
 * table is the real one, the steps are mocks): promoters asked for a review, a referral or nothing (the control
 * arm), then a review, a referral or no response; unreachable promoters; passives with and without the thank-you;
 * detractors handed to the service team; tier entries at and below the top tier. {@link AdvocateJourneyTest} runs
 * the same template through the whole service.
 */
@Deployment(resources = {"bpmn/advocate.bpmn", "dmn/nps-group.dmn"})
class AdvocateProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final List<String> sent = new ArrayList<>();
    private final List<String> taskEvents = new ArrayList<>();
    private String arm;
    private String experiment;
    private TestCampaign campaign;

    /** The task listener's stand-in: records which task events it saw. */
    public class FakeSurveyAnswers {
        public void describeTask(DelegateTask task) {
            taskEvents.add(task.getEventName());
        }
    }

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        campaign = new TestCampaign().withTeamTask("loyalflow-team");
        Mocks.register("campaign", campaign);
        Mocks.register("surveyAnswers", new FakeSurveyAnswers());
        JavaDelegate sendEmail = execution -> {
            sent.add((String) execution.getVariable(TEMPLATE_ID.name()));
            execution.setVariable(DELIVERY_OUTCOME.name(), "SENT");
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate split = execution -> {
            experiment = (String) execution.getVariable(EXPERIMENT_KEY.name());
            execution.setVariable((String) execution.getVariable(ARM_VARIABLE.name()), arm);
        };
        Mocks.register("abSplit", split);
        reachable(true);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private void reachable(boolean reachable) {
        JavaDelegate facts = execution -> {
            execution.setVariable(HAS_EMAIL.name(), reachable);
            execution.setVariable(EMAIL_CONSENT.name(), reachable);
        };
        Mocks.register("customerFacts", facts);
    }

    private ProcessInstance answered(int score) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(CAMPAIGN_KEY.name(), "happy");
        variables.put(SURVEY_SCORE.name(), score);
        variables.put(CUSTOMER_EVENT_ID.name(), "survey-1");
        return runtimeService().startProcessInstanceByKey(AdvocateProcess.KEY, "happy:customer-1", variables);
    }

    private ProcessInstance tierChanged(String from, String to) {
        return runtimeService()
                .startProcessInstanceByKey(
                        AdvocateProcess.KEY,
                        "happy:customer-1",
                        Map.of(CAMPAIGN_KEY.name(), "happy", PREVIOUS_TIER.name(), from, NEW_TIER.name(), to));
    }

    /** A promoter's journey up to its ask: the facts read, reachable, and split to the arm. */
    private ProcessInstance promoterAsked(int score, String arm) {
        this.arm = arm;
        ProcessInstance journey = answered(score);
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());
        assertThat(journey).isWaitingAt(TASK_SPLIT_ASK.id());
        execute(job());
        return journey;
    }

    private void message(ProcessInstance journey, AdvocateProcess.Message message) {
        runtimeService()
                .createMessageCorrelation(message.messageName())
                .processInstanceId(journey.getId())
                .correlate();
    }

    @Test
    void aPromoterAskedForAReviewEndsReviewedWhenTheReviewArrives() {
        ProcessInstance journey = promoterAsked(10, "REVIEW");

        assertThat(journey).isWaitingAt(TASK_ASK_REVIEW.id());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        message(journey, AdvocateProcess.Message.REVIEW_WRITTEN);

        assertThat(journey).isEnded().hasPassed(END_EVENT_REVIEWED.id()).hasNotPassed(TASK_ASK_REFERRAL.id());
        assertThat(sent).containsExactly("template-" + TASK_ASK_REVIEW.id());
        assertThat(experiment).isEqualTo("happy:ask");
        assertThat(ProcessModels.variable(journey, NPS_GROUP.name())).isEqualTo("PROMOTER");
    }

    @Test
    void aPromoterAskedForAReferralEndsReferredWhenAFriendJoins() {
        ProcessInstance journey = promoterAsked(9, "REFERRAL");

        assertThat(journey).isWaitingAt(TASK_ASK_REFERRAL.id());
        execute(job());
        message(journey, AdvocateProcess.Message.REFERRAL_MADE);

        assertThat(journey).isEnded().hasPassed(END_EVENT_REFERRED.id()).hasNotPassed(TASK_ASK_REVIEW.id());
        assertThat(sent).containsExactly("template-" + TASK_ASK_REFERRAL.id());
    }

    @Test
    void aPromoterOnTheControlArmGetsNoMessageAndEndsWithoutResponseAfterTheWait() {
        campaign.withWait("responseWait", "P14D");
        ProcessInstance journey = promoterAsked(10, "CONTROL");

        assertThat(journey).isWaitingAt(GATEWAY_RESPONSE.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(14))));
        ProcessModels.fire(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_RESPONSE.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void aPromoterWithoutEmailConsentEndsUnreachable() {
        reachable(false);
        ProcessInstance journey = answered(9);
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_UNREACHABLE.id()).hasNotPassed(TASK_SPLIT_ASK.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void anArmWithoutABranchStopsAtTheSplitInsteadOfTakingAnotherArmsPath() {
        arm = "VOUCHER";
        ProcessInstance journey = answered(10);
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());

        assertThatThrownBy(() -> execute(job())).hasMessageContaining(GATEWAY_ASK.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void aPassiveGetsNothingUnlessTheCampaignThanksPassives() {
        ProcessInstance quiet = answered(7);
        assertThat(quiet).isEnded().hasPassed(END_EVENT_PASSIVE.id()).hasNotPassed(TASK_SEND_THANK_YOU.id());
        assertThat(sent).isEmpty();

        campaign.withOption("thankPassives");
        ProcessInstance thanked = answered(8);
        assertThat(thanked).isWaitingAt(TASK_SEND_THANK_YOU.id());
        execute(job());

        assertThat(thanked).isEnded().hasPassed(END_EVENT_THANKED.id());
        assertThat(sent).containsExactly("template-" + TASK_SEND_THANK_YOU.id());
    }

    @Test
    void aDetractorGoesToTheServiceTeamAndGetsNoMarketingMessage() {
        ProcessInstance journey = answered(3);

        assertThat(journey).isWaitingAt(TASK_SERVICE_FOLLOW_UP.id());
        Task task = taskService()
                .createTaskQuery()
                .processInstanceId(journey.getId())
                .singleResult();
        assertThat(taskService().getIdentityLinksForTask(task.getId()))
                .extracting(link -> link.getGroupId())
                .containsExactly("loyalflow-team");
        taskService().complete(task.getId());

        assertThat(journey)
                .isEnded()
                .hasPassed(END_EVENT_SERVICE_FOLLOWED_UP.id())
                .hasNotPassed(TASK_READ_CUSTOMER.id());
        assertThat(sent).isEmpty();
        assertThat(taskEvents).containsExactly("create");
    }

    @Test
    void reachingTheTopTierCountsAsAPromoter() {
        arm = "REFERRAL";
        ProcessInstance journey = tierChanged("Gold", "Platinum");
        assertThat(journey).isWaitingAt(TASK_READ_CUSTOMER.id());
        execute(job());
        execute(job());

        assertThat(journey).isWaitingAt(TASK_ASK_REFERRAL.id());
        assertThat(ProcessModels.variable(journey, NPS_GROUP.name())).isEqualTo("PROMOTER");
    }

    @Test
    void aTierBelowTheTopEndsTheJourneyWithoutAMessage() {
        ProcessInstance journey = tierChanged("Silver", "Gold");

        assertThat(journey).isEnded().hasPassed(END_EVENT_NOT_ADVOCATE.id());
        assertThat(ProcessModels.variable(journey, NPS_GROUP.name())).isEqualTo("NONE");
        assertThat(sent).isEmpty();
    }

    @Test
    void theTableGroupsEveryScoreAndEveryTier() {
        for (int score = 0; score <= 10; score++) {
            assertThat(group(score, null))
                    .as("score %s", score)
                    .isEqualTo(score >= 9 ? "PROMOTER" : score >= 7 ? "PASSIVE" : "DETRACTOR");
        }
        for (String tier : List.of("Bronze", "Silver", "Gold", "Platinum")) {
            assertThat(group(null, tier)).as("tier %s", tier).isEqualTo(tier.equals("Platinum") ? "PROMOTER" : "NONE");
        }
        // a score wins over the tier: a Platinum customer who answers 3 is a detractor
        assertThat(group(3, "Platinum")).isEqualTo("DETRACTOR");
    }

    private static String group(Integer score, String tier) {
        return decisionService()
                .evaluateDecisionTableByKey(
                        "nps-group",
                        Variables.createVariables()
                                .putValue(SURVEY_SCORE.name(), score)
                                .putValue(NEW_TIER.name(), tier))
                .getSingleResult()
                .getSingleEntry();
    }
}
