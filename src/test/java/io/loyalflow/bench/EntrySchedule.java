package io.loyalflow.bench;

import io.loyalflow.journey.CampaignEntryProcess;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;

/** Makes the campaign-entry schedule come due now, so the running job executor starts a run, as at its hour. */
final class EntrySchedule {

    private EntrySchedule() {}

    /** Sets the schedule's timer due now and returns the run the job executor starts from it. */
    static String fireNow(ManagementService management, HistoryService history) throws InterruptedException {
        List<String> before = runs(history);
        Job schedule = management
                .createJobQuery()
                .processDefinitionKey(CampaignEntryProcess.KEY)
                .timers()
                .singleResult();
        management.setJobDuedate(schedule.getId(), new Date());
        for (int i = 0; i < 600; i++) {
            List<String> started =
                    runs(history).stream().filter(id -> !before.contains(id)).toList();
            if (!started.isEmpty()) {
                return started.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job executor did not start a campaign-entry run within a minute");
    }

    /** Seconds from {@code started} until the run has ended. */
    static double untilEnded(HistoryService history, String run, long started, long timeoutNanos)
            throws InterruptedException {
        while (true) {
            HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
                    .processInstanceId(run)
                    .singleResult();
            if (instance.getEndTime() != null) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() - started > timeoutNanos) {
                throw new AssertionError("campaign-entry run " + run + " still running");
            }
            Thread.sleep(200);
        }
    }

    private static List<String> runs(HistoryService history) {
        return history
                .createHistoricProcessInstanceQuery()
                .processDefinitionKey(CampaignEntryProcess.KEY)
                .list()
                .stream()
                .map(HistoricProcessInstance::getId)
                .toList();
    }
}
