package io.loyalflow.journey;

import static io.loyalflow.journey.JourneyVariables.CONTROLLABLE;
import static io.loyalflow.journey.JourneyVariables.CUSTOMER_EVENT_ID;
import static io.loyalflow.journey.JourneyVariables.LEAVE_REASON;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_CONVERTED;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_NOT_ASKED;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_NO_FEEDBACK;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_TEAM_FOLLOWED_UP;
import static io.loyalflow.journey.RetentionProcess.Element.END_EVENT_THANKED;
import static io.loyalflow.journey.RetentionProcess.Element.EVENT_FEEDBACK_DELAY;
import static io.loyalflow.journey.RetentionProcess.Element.GATEWAY_FEEDBACK;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_CLASSIFY_REASON;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_FIND_RECOMMENDATIONS;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_READ_FEEDBACK;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_SEND_FEEDBACK_REQUEST;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_SEND_RE_ENGAGEMENT;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_SEND_THANKS;
import static io.loyalflow.journey.RetentionProcess.Element.TASK_TEAM_FOLLOW_UP;
import static io.loyalflow.messaging.MessagingVariables.DELIVERY_OUTCOME;
import static io.loyalflow.messaging.MessagingVariables.TEMPLATE_ID;
import static io.loyalflow.platform.engine.JourneyStartVariables.CAMPAIGN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;

import io.loyalflow.testsupport.ProcessModels;
import io.loyalflow.testsupport.TestCampaign;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every path of {@code bpmn/retention.bpmn} on the engine alone (the leave-reason table is the real one, every
 * rule of it taken; the steps are mocks): re-engagement with recommendations, the feedback request after its
 * delay, the answer classified into a team task or thanks, no answer within the wait, a request that could not
 * be sent, and an order converting at any step. {@link RetentionJourneyTest} runs the template through the whole
 * service.
 */
@Deployment(resources = {"bpmn/retention.bpmn", "dmn/leave-reason.dmn"})
class RetentionProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    private final List<String> sent = new ArrayList<>();
    private final Map<String, String> outcomes = new HashMap<>();
    private final Map<String, String> reasons = new HashMap<>();
    private TestCampaign campaign;

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        campaign = new TestCampaign();
        Mocks.register("campaign", campaign);
        JavaDelegate sendEmail = execution -> {
            String template = (String) execution.getVariable(TEMPLATE_ID.name());
            sent.add(template);
            execution.setVariable(DELIVERY_OUTCOME.name(), outcomes.getOrDefault(template, "SENT"));
        };
        Mocks.register("sendEmail", sendEmail);
        JavaDelegate recommend =
                execution -> execution.setVariable("recommendations", "[{\"sku\":\"CD-1\",\"category\":\"Jazz\"}]");
        Mocks.register("recommendProducts", recommend);
        JavaDelegate readFeedback = execution -> LEAVE_REASON
                .on(execution)
                .set(reasons.get(CUSTOMER_EVENT_ID.from(execution).getOrNull()));
        Mocks.register("readFeedback", readFeedback);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    private ProcessInstance entered() {
        ProcessInstance journey = runtimeService()
                .startProcessInstanceByKey(
                        RetentionProcess.KEY, "retention:customer-1", Map.of(CAMPAIGN_KEY.name(), "retention"));
        assertThat(journey).isWaitingAt(TASK_FIND_RECOMMENDATIONS.id());
        return journey;
    }

    /** Recommendations, the re-engagement e-mail, the feedback delay and the request: waiting for the answer. */
    private void askedForFeedback(ProcessInstance journey) {
        execute(job());
        execute(job());
        assertThat(journey).isWaitingAt(EVENT_FEEDBACK_DELAY.id());
        ProcessModels.fire(job());
        assertThat(journey).isWaitingAt(TASK_SEND_FEEDBACK_REQUEST.id());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_FEEDBACK.id());
    }

    private void answer(ProcessInstance journey, String eventId, String reason) {
        reasons.put(eventId, reason);
        runtimeService()
                .createMessageCorrelation(RetentionProcess.Message.FEEDBACK_GIVEN.messageName())
                .processInstanceId(journey.getId())
                .setVariable(CUSTOMER_EVENT_ID.name(), eventId)
                .correlate();
        assertThat(journey).isWaitingAt(TASK_READ_FEEDBACK.id());
        execute(job());
    }

    private void ordered(ProcessInstance journey) {
        runtimeService()
                .createMessageCorrelation(RetentionProcess.Message.ORDER_PLACED.messageName())
                .processInstanceId(journey.getId())
                .correlate();
    }

    @ParameterizedTest(name = "reason {0}: controllable {1}")
    @CsvSource(
            value = {
                "PRICE,     true",
                "DELIVERY,  true",
                "QUALITY,   true",
                "SERVICE,   true",
                "SELECTION, true",
                "MOVED,     false",
                "NO_NEED,   false",
                "OTHER,     false",
                "WEATHER,   false",
                "'',        false"
            })
    void theLeaveReasonTableSendsControllableReasonsToTheTeamAndThanksTheOthers(String reason, boolean controllable) {
        campaign.withTeamTask("service-team");
        ProcessInstance journey = entered();
        askedForFeedback(journey);

        answer(journey, "event-1", reason.isEmpty() ? null : reason);

        assertThat(journey).hasPassed(TASK_CLASSIFY_REASON.id());
        assertThat(ProcessModels.variable(journey, CONTROLLABLE.name())).isEqualTo(controllable);
        if (controllable) {
            assertThat(journey).isWaitingAt(TASK_TEAM_FOLLOW_UP.id());
            assertThat(task()).hasCandidateGroup("service-team");
            complete(task());
            assertThat(journey)
                    .isEnded()
                    .hasPassed(END_EVENT_TEAM_FOLLOWED_UP.id())
                    .hasNotPassed(TASK_SEND_THANKS.id());
            assertThat(sent)
                    .containsExactly(
                            "template-" + TASK_SEND_RE_ENGAGEMENT.id(), "template-" + TASK_SEND_FEEDBACK_REQUEST.id());
        } else {
            assertThat(journey).isWaitingAt(TASK_SEND_THANKS.id());
            execute(job());
            assertThat(journey).isEnded().hasPassed(END_EVENT_THANKED.id()).hasNotPassed(TASK_TEAM_FOLLOW_UP.id());
            assertThat(sent).last().isEqualTo("template-" + TASK_SEND_THANKS.id());
        }
    }

    @Test
    void withoutATeamTaskInTheCampaignAControllableReasonIsThanked() {
        ProcessInstance journey = entered();
        askedForFeedback(journey);

        answer(journey, "event-2", "PRICE");

        assertThat(ProcessModels.variable(journey, CONTROLLABLE.name())).isEqualTo(true);
        assertThat(journey).isWaitingAt(TASK_SEND_THANKS.id());
        execute(job());
        assertThat(journey).isEnded().hasPassed(END_EVENT_THANKED.id());
    }

    @Test
    void theDefaultWaitsApplyAndWithoutAnAnswerTheJourneyEndsAfterTheFeedbackWait() {
        ProcessInstance journey = entered();
        execute(job());
        execute(job());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(7))));
        ProcessModels.fire(job());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_FEEDBACK.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofDays(7 + 14))));

        ProcessModels.fire(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_NO_FEEDBACK.id()).hasNotPassed(TASK_READ_FEEDBACK.id());
        assertThat(sent).hasSize(2);
    }

    @Test
    void theCampaignsWaitsApply() {
        campaign.withWait("feedbackDelay", "PT2M").withWait("feedbackWait", "PT10M");
        ProcessInstance journey = entered();
        execute(job());
        execute(job());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofMinutes(2))));
        ProcessModels.fire(job());
        execute(job());
        assertThat(journey).isWaitingAt(GATEWAY_FEEDBACK.id());
        assertThat(job().getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofMinutes(12))));
    }

    @Test
    void aFeedbackRequestThatCouldNotBeSentEndsTheJourneyWithoutWaiting() {
        outcomes.put("template-" + TASK_SEND_FEEDBACK_REQUEST.id(), "SKIPPED");
        ProcessInstance journey = entered();
        execute(job());
        execute(job());
        ProcessModels.fire(job());
        execute(job());

        assertThat(journey).isEnded().hasPassed(END_EVENT_NOT_ASKED.id()).hasNotPassed(GATEWAY_FEEDBACK.id());
    }

    @Test
    void anOrderBeforeTheFirstEmailConvertsAndNothingIsSent() {
        ProcessInstance journey = entered();

        ordered(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_SEND_RE_ENGAGEMENT.id());
        assertThat(sent).isEmpty();
    }

    @Test
    void anOrderWhileWaitingForTheAnswerConvertsAndNothingMoreIsSent() {
        ProcessInstance journey = entered();
        askedForFeedback(journey);

        ordered(journey);

        assertThat(journey).isEnded().hasPassed(END_EVENT_CONVERTED.id()).hasNotPassed(TASK_READ_FEEDBACK.id());
        assertThat(sent).hasSize(2);
        assertThat(org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService()
                        .createJobQuery()
                        .processInstanceId(journey.getId())
                        .count())
                .isZero();
    }
}
