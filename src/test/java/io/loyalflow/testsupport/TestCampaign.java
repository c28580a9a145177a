package io.loyalflow.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The {@code campaign} bean of the templates' expressions for the engine-only process tests
 * ({@code Mocks.register("campaign", campaign)}): the same methods as {@code CampaignSteps}, answering from
 * settings the test gives instead of a campaign's stored revision. What the model does with the answers
 * (wait defaults, options, series length and delays) is what those tests check.
 */
public class TestCampaign {

    /** One e-mail of a best-customer series: its delay after the previous one, and whether it is smart-sent. */
    public record SeriesEmail(String after, boolean smartSend) {}

    private final Map<String, String> waits = new HashMap<>();
    private final Map<String, String> arms = new HashMap<>();
    private final Set<String> options = new HashSet<>();
    private final List<SeriesEmail> series = new ArrayList<>();
    private String followUp;
    private String teamTaskGroup;

    /** The campaign sets this wait; unset waits take the template's default. */
    public TestCampaign withWait(String name, String duration) {
        waits.put(name, duration);
        return this;
    }

    public TestCampaign withOption(String name) {
        options.add(name);
        return this;
    }

    public TestCampaign withFollowUp(String scenario) {
        followUp = scenario;
        return this;
    }

    public TestCampaign withSeriesEmail(String after, boolean smartSend) {
        series.add(new SeriesEmail(after, smartSend));
        return this;
    }

    public TestCampaign withTeamTask(String candidateGroup) {
        teamTaskGroup = candidateGroup;
        return this;
    }

    // ---- what the models call

    public String templateId(DelegateExecution execution, String step) {
        return "template-" + step;
    }

    /** The decision's template when it chose one, else the campaign's message (as {@code CampaignSteps}). */
    public String decidedTemplateId(DelegateExecution execution, String step, Object decided) {
        return decided == null || decided.toString().isBlank() ? templateId(execution, step) : decided.toString();
    }

    public Object templateData(DelegateExecution execution, String step) {
        return null;
    }

    public String smsText(DelegateExecution execution, String step) {
        return "SMS of " + step;
    }

    public String fromEmail(DelegateExecution execution) {
        return null;
    }

    public String fromName(DelegateExecution execution) {
        return null;
    }

    public String wait(DelegateExecution execution, String name, String defaultDuration) {
        return waits.getOrDefault(name, defaultDuration);
    }

    /** The wait counted from an ISO instant (or another waitUntil's result), as the campaign bean does. */
    public Date waitUntil(DelegateExecution execution, String name, String defaultDuration, Object from) {
        Instant start = from instanceof Date date ? date.toInstant() : Instant.parse((String) from);
        return Date.from(start.plus(Duration.parse(wait(execution, name, defaultDuration))));
    }

    /** Against the engine's clock (ClockUtil), which the engine-only tests set. */
    public boolean waitOver(DelegateExecution execution, String name, String defaultDuration, Object from) {
        return !ClockUtil.getCurrentTime().before(waitUntil(execution, name, defaultDuration, from));
    }

    public String arms(DelegateExecution execution, String step, String defaultArms) {
        return arms.getOrDefault(step, defaultArms);
    }

    /** The campaign sets these weights for a split step; unset splits take the template's default. */
    public TestCampaign withArms(String step, String weights) {
        arms.put(step, weights);
        return this;
    }

    public boolean option(DelegateExecution execution, String name) {
        return options.contains(name);
    }

    public String followUp(DelegateExecution execution) {
        if (followUp == null) {
            throw new IllegalStateException("the campaign names no follow-up scenario");
        }
        return followUp;
    }

    public int seriesLength(DelegateExecution execution) {
        return series.size();
    }

    public String seriesDelay(DelegateExecution execution, int index) {
        return series.get(index).after();
    }

    public boolean seriesSmartSend(DelegateExecution execution, int index) {
        return series.get(index).smartSend();
    }

    public String seriesTemplateId(DelegateExecution execution, int index) {
        return "series-template-" + (index + 1);
    }

    public Object seriesTemplateData(DelegateExecution execution, int index) {
        return null;
    }

    public String seriesFromEmail(DelegateExecution execution, int index) {
        return null;
    }

    public String seriesFromName(DelegateExecution execution, int index) {
        return null;
    }

    public int smartSendFallbackHour(DelegateExecution execution) {
        return 10;
    }

    public boolean teamTask(DelegateExecution execution) {
        return teamTaskGroup != null;
    }

    public String teamTaskGroup(DelegateExecution execution) {
        return teamTaskGroup;
    }

    public void nameTeamTask(DelegateTask task) {
        task.setName("Follow up personally");
    }
}
