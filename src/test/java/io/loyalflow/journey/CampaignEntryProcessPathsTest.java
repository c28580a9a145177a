package io.loyalflow.journey;

import static io.loyalflow.journey.CampaignEntryProcess.Element.END_EVENT_ENTERED;
import static io.loyalflow.journey.CampaignEntryProcess.Element.SUB_PROCESS_ENTER_CAMPAIGN;
import static io.loyalflow.journey.CampaignEntryProcess.Element.TASK_ENTER_CHUNK;
import static io.loyalflow.journey.JourneyVariables.CAMPAIGN_ID;
import static io.loyalflow.journey.JourneyVariables.ENTRY_CURSOR;
import static io.loyalflow.journey.JourneyVariables.MORE_TO_ENTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.jobQuery;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import io.loyalflow.testsupport.ProcessModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both paths of {@code bpmn/campaign-entry.bpmn} on the engine alone: each scheduled run enters every campaign
 * to enter in a branch of its own, chunk after chunk (one job each) until the chunk step says there is no
 * more, or ends at once when no campaign is to be entered. {@link CampaignEntryTest} runs the real entry
 * through the whole service.
 */
@Deployment(resources = "bpmn/campaign-entry.bpmn")
class CampaignEntryProcessPathsTest {

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessModels.engine();

    ProcessEngine engine;

    /** What the campaign-entry bean answers: the campaigns to enter. */
    public static class CampaignsToEnter {

        private final List<Long> campaigns = new ArrayList<>();

        public List<Long> campaignsToEnter() {
            return campaigns;
        }
    }

    private final CampaignsToEnter toEnter = new CampaignsToEnter();
    private final Map<Long, Integer> chunksLeft = new HashMap<>();
    private final List<String> chunks = new ArrayList<>();

    @BeforeEach
    void mockSteps() {
        ProcessModels.begin(engine);
        Mocks.register("campaignEntrySchedule", new ProcessModels.Schedule("0 */5 * * * ?"));
        Mocks.register("campaignEntry", toEnter);
        JavaDelegate enterChunk = execution -> {
            long campaign = ((Number) execution.getVariable(CAMPAIGN_ID.name())).longValue();
            long cursor = ((Number) execution.getVariable(ENTRY_CURSOR.name())).longValue();
            chunks.add("campaign " + campaign + " after " + cursor);
            execution.setVariable(ENTRY_CURSOR.name(), cursor + 100);
            execution.setVariable(MORE_TO_ENTER.name(), chunksLeft.merge(campaign, -1, Integer::sum) > 0);
        };
        Mocks.register("enterCampaignChunk", enterChunk);
    }

    @AfterEach
    void reset() {
        ProcessModels.end();
    }

    /** The run the schedule starts at the next five minutes (the clock starts at 10:00:00). */
    private ProcessInstance scheduledRun() {
        Job schedule = managementService().createJobQuery().timers().singleResult();
        assertThat(schedule.getDuedate()).isEqualTo(Date.from(ProcessModels.START.plus(Duration.ofMinutes(5))));
        ProcessModels.fire(schedule);
        return runtimeService()
                .createProcessInstanceQuery()
                .processDefinitionKey(CampaignEntryProcess.KEY)
                .singleResult();
    }

    private void runJobs() {
        for (List<Job> jobs = jobQuery().executable().list();
                !jobs.isEmpty();
                jobs = jobQuery().executable().list()) {
            jobs.forEach(job -> execute(job));
        }
    }

    @Test
    void eachCampaignIsEnteredChunkByChunkInABranchOfItsOwn() {
        toEnter.campaigns.addAll(List.of(7L, 9L));
        chunksLeft.put(7L, 2);
        chunksLeft.put(9L, 1);
        ProcessInstance run = scheduledRun();

        // asynchronous before the multi-instance subprocess: the engine's job sits on its multi-instance body
        assertThat(run).isWaitingAt(SUB_PROCESS_ENTER_CAMPAIGN.id() + "#multiInstanceBody");
        runJobs();

        assertThat(run).isEnded().hasPassed(TASK_ENTER_CHUNK.id(), END_EVENT_ENTERED.id());
        assertThat(chunks)
                .containsExactlyInAnyOrder("campaign 7 after -1", "campaign 7 after 99", "campaign 9 after -1");
    }

    @Test
    void aRunWithNoCampaignToEnterEndsAtOnce() {
        ProcessInstance run = scheduledRun();
        runJobs();

        assertThat(run).isEnded().hasPassed(END_EVENT_ENTERED.id()).hasNotPassed(TASK_ENTER_CHUNK.id());
        assertThat(chunks).isEmpty();
    }
}
