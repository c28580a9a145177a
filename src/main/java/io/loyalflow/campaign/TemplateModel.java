package io.loyalflow.campaign;

import io.loyalflow.experiment.ArmBranches;
import io.loyalflow.experiment.ExperimentVariables;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputOutput;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * What a deployed campaign template asks of a campaign's settings: the steps whose message, arm
 * weights or follow-up come from the campaign (their inputs call the {@code campaign} bean, see
 * {@link CampaignSteps}), the waits and options it reads.
 *
 * @param emailSteps e-mail steps taking their template from the campaign, by task id → task name
 * @param smsSteps SMS steps taking their text from the campaign
 * @param splitSteps A/B splits taking their weights from the campaign
 * @param stepOptions send steps that run only when a campaign option is on (extension property
 *     {@code campaignOption}), by step id → option: their message is needed only then
 * @param seriesSteps e-mail steps sending the campaign's e-mail series (their template comes from
 *     {@code campaign.seriesTemplateId}), by task id → task name: the campaign lists the e-mails
 * @param variants the variants the process offers (process extension property {@code campaignVariants},
 *     e.g. {@code STANDARD, PREDICTIVE}): the campaign must choose one
 * @param usesSmartSend whether a step reads the campaign's smart send fallback hour
 * @param usesTeamTask whether the process has the team's task the campaign may ask for
 * @param splits every A/B split step ({@code ${abSplit}}), by task id: where its weights come from and
 *     the arms the gateway after it routes
 * @param cartJourney whether the process catches cart updates ({@value #CART_UPDATED_MESSAGE}): a cart
 *     journey, entered by the trigger CART_UPDATED and by nothing else
 */
record TemplateModel(
        String processKey,
        int version,
        Map<String, String> emailSteps,
        Map<String, String> smsSteps,
        Map<String, String> splitSteps,
        Set<String> waits,
        Set<String> options,
        boolean usesFollowUp,
        Map<String, String> stepOptions,
        Map<String, String> seriesSteps,
        Set<String> variants,
        boolean usesSmartSend,
        boolean usesTeamTask,
        Map<String, Split> splits,
        boolean cartJourney) {

    /** The message a cart journey's running instance gets for each update of its cart. */
    public static final String CART_UPDATED_MESSAGE = "Msg_CartUpdated";

    /**
     * An A/B split step of the model.
     *
     * @param name the task's name (its id when unnamed)
     * @param settingsKey the key of its weights in the campaign's {@code settings.arms}, or null when the
     *     model fixes the weights itself
     * @param defaultArms the weights when the campaign gives none (the model's), or null when an
     *     expression the model check cannot read computes them
     * @param branches the arms the gateway after the step routes
     * @param experimentKey the step's experimentKey input as written ({@code ${campaignKey}:reminder-channel})
     * @param armVariable the variable the arm goes to ({@code arm} unless the step names another)
     */
    public record Split(
            String name,
            String settingsKey,
            String defaultArms,
            ArmBranches branches,
            String experimentKey,
            String armVariable) {

        /** The experiment key this step has in one campaign. */
        public String experimentKeyIn(String campaignId) {
            return experimentKey.replace("${campaignKey}", campaignId);
        }
    }

    public static final String STEP_OPTION_PROPERTY = "campaignOption";
    public static final String VARIANTS_PROPERTY = "campaignVariants";
    private static final Pattern SERIES_STEP = Pattern.compile("campaign\\.seriesTemplateId\\(");

    private static final Pattern STEP_KEY =
            Pattern.compile("campaign\\.(templateId|decidedTemplateId|smsText|arms)\\(\\s*execution\\s*,\\s*'([^']+)'");
    private static final Pattern WAIT =
            Pattern.compile("campaign\\.wait(?:Until|Over)?\\(\\s*execution\\s*,\\s*'([^']+)'");
    private static final String AB_SPLIT = "${abSplit}";
    private static final Pattern CAMPAIGN_ARMS = Pattern.compile(
            "\\$\\{\\s*campaign\\.arms\\(\\s*execution\\s*,\\s*'([^']+)'\\s*,\\s*'([^']*)'\\s*\\)\\s*}");
    private static final Pattern OPTION = Pattern.compile("campaign\\.option\\(\\s*execution\\s*,\\s*'([^']+)'");

    /** The latest deployed version of the process, or empty when none is deployed. */
    public static Optional<TemplateModel> latest(RepositoryService repository, String processKey) {
        ProcessDefinition definition = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(processKey)
                .latestVersion()
                .withoutTenantId()
                .singleResult();
        if (definition == null) {
            return Optional.empty();
        }
        String xml;
        try (InputStream in = repository.getProcessModel(definition.getId())) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the model of " + definition.getId(), e);
        }
        return Optional.of(of(processKey, definition.getVersion(), xml));
    }

    /** The latest deployed template, with the steps of the follow-up scenario it starts when that is deployed. */
    public static Optional<TemplateModel> latestWithFollowUp(
            RepositoryService repository, String processKey, String followUp) {
        return latest(repository, processKey)
                .map(model -> model.usesFollowUp() && followUp != null
                        ? latest(repository, followUp).map(model::including).orElse(model)
                        : model);
    }

    /**
     * This template together with a follow-up scenario it starts: the scenario runs on the same
     * campaign's settings, so its steps, waits and options belong to the campaign as well.
     */
    public TemplateModel including(TemplateModel scenario) {
        Map<String, String> email = new LinkedHashMap<>(emailSteps);
        email.putAll(scenario.emailSteps());
        Map<String, String> sms = new LinkedHashMap<>(smsSteps);
        sms.putAll(scenario.smsSteps());
        Map<String, String> splits = new LinkedHashMap<>(splitSteps);
        splits.putAll(scenario.splitSteps());
        Set<String> allWaits = new TreeSet<>(waits);
        allWaits.addAll(scenario.waits());
        Set<String> allOptions = new TreeSet<>(options);
        allOptions.addAll(scenario.options());
        Map<String, String> allStepOptions = new LinkedHashMap<>(stepOptions);
        allStepOptions.putAll(scenario.stepOptions());
        Map<String, String> series = new LinkedHashMap<>(seriesSteps);
        series.putAll(scenario.seriesSteps());
        // The variants pick the journey's entry; a scenario is started by a journey, not entered.
        Map<String, Split> allSplits = new LinkedHashMap<>(this.splits);
        allSplits.putAll(scenario.splits());
        return new TemplateModel(
                processKey,
                version,
                email,
                sms,
                splits,
                allWaits,
                allOptions,
                usesFollowUp,
                allStepOptions,
                series,
                variants,
                usesSmartSend || scenario.usesSmartSend(),
                usesTeamTask || scenario.usesTeamTask(),
                allSplits,
                cartJourney);
    }

    static TemplateModel of(String processKey, int version, String xml) {
        BpmnModelInstance model =
                Bpmn.readModelFromStream(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> email = new LinkedHashMap<>();
        Map<String, String> sms = new LinkedHashMap<>();
        Map<String, String> splits = new LinkedHashMap<>();
        Map<String, String> series = new LinkedHashMap<>();
        for (CamundaInputParameter input : model.getModelElementsByType(CamundaInputParameter.class)) {
            String value = input.getTextContent() == null ? "" : input.getTextContent();
            FlowNode node = owner(input);
            if (node == null) {
                continue;
            }
            String label = node.getName() == null ? node.getId() : node.getName();
            if (SERIES_STEP.matcher(value).find()) {
                series.put(node.getId(), label);
                continue;
            }
            Matcher key = STEP_KEY.matcher(value);
            if (!key.find()) {
                continue;
            }
            switch (key.group(1)) {
                case "templateId", "decidedTemplateId" -> email.put(key.group(2), label);
                case "smsText" -> sms.put(key.group(2), label);
                case "arms" -> splits.put(key.group(2), label);
                default -> {}
            }
        }
        Map<String, String> stepOptions = new LinkedHashMap<>();
        Set<String> variants = new TreeSet<>();
        for (CamundaProperty property : model.getModelElementsByType(CamundaProperty.class)) {
            FlowNode node = owner(property);
            if (node != null
                    && STEP_OPTION_PROPERTY.equals(property.getCamundaName())
                    && property.getCamundaValue() != null) {
                stepOptions.put(node.getId(), property.getCamundaValue());
            }
            if (node == null
                    && owningProcess(property)
                    && VARIANTS_PROPERTY.equals(property.getCamundaName())
                    && property.getCamundaValue() != null) {
                for (String variant : property.getCamundaValue().split(",")) {
                    if (!variant.isBlank()) {
                        variants.add(variant.trim());
                    }
                }
            }
        }
        Set<String> options = names(OPTION, xml);
        options.addAll(stepOptions.values());
        return new TemplateModel(
                processKey,
                version,
                email,
                sms,
                splits,
                names(WAIT, xml),
                options,
                xml.contains("campaign.followUp("),
                stepOptions,
                series,
                variants,
                xml.contains("campaign.smartSendFallbackHour("),
                xml.contains("campaign.teamTaskGroup("),
                splits(model),
                model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Message.class).stream()
                        .anyMatch(message -> CART_UPDATED_MESSAGE.equals(message.getName())));
    }

    /** Every task bound to the A/B split step, with its weights' source and the arms its gateway routes. */
    private static Map<String, Split> splits(BpmnModelInstance model) {
        Map<String, Split> splits = new LinkedHashMap<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (!AB_SPLIT.equals(task.getCamundaDelegateExpression())) {
                continue;
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            if (task.getExtensionElements() != null) {
                task.getExtensionElements()
                        .getElementsQuery()
                        .filterByType(CamundaInputOutput.class)
                        .list()
                        .forEach(io -> io.getCamundaInputParameters()
                                .forEach(input -> inputs.put(
                                        input.getCamundaName(),
                                        input.getTextContent() == null
                                                ? ""
                                                : input.getTextContent().trim())));
            }
            String arms = inputs.getOrDefault(ExperimentVariables.ARMS.name(), "");
            Matcher fromCampaign = CAMPAIGN_ARMS.matcher(arms);
            String settingsKey = fromCampaign.matches() ? fromCampaign.group(1) : null;
            String defaultArms = fromCampaign.matches() ? fromCampaign.group(2) : arms.contains("${") ? null : arms;
            String armVariable = inputs.get(ExperimentVariables.ARM_VARIABLE.name());
            splits.put(
                    task.getId(),
                    new Split(
                            task.getName() == null ? task.getId() : task.getName(),
                            settingsKey,
                            defaultArms,
                            ArmBranches.after(task, armVariable),
                            inputs.getOrDefault(ExperimentVariables.EXPERIMENT_KEY.name(), ""),
                            armVariable == null || armVariable.isBlank()
                                    ? ExperimentVariables.ARM.name()
                                    : armVariable.trim()));
        }
        return splits;
    }

    private static FlowNode owner(ModelElementInstance element) {
        for (ModelElementInstance at = element; at != null; at = at.getParentElement()) {
            if (at instanceof FlowNode node) {
                return node;
            }
        }
        return null;
    }

    private static boolean owningProcess(ModelElementInstance element) {
        for (ModelElementInstance at = element; at != null; at = at.getParentElement()) {
            if (at instanceof Process) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> names(Pattern pattern, String xml) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = pattern.matcher(xml);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
