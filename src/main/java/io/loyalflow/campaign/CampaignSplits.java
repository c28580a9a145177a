package io.loyalflow.campaign;

import java.util.List;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.stereotype.Service;

/** The A/B split steps a campaign's journeys meet: those of the latest deployed version of its template. */
@Service
public class CampaignSplits {

    /**
     * One split step as it runs in the campaign.
     *
     * @param stepId the BPMN task id
     * @param experimentKey the experiment key in this campaign ({@code ${campaignKey}} replaced by its id)
     * @param armVariable the variable the journey's arm goes to
     */
    public record SplitStep(String stepId, String experimentKey, String armVariable) {}

    private final RepositoryService repository;

    CampaignSplits(RepositoryService repository) {
        this.repository = repository;
    }

    /** The campaign's split steps in document order; none when its template is not deployed. */
    public List<SplitStep> of(Campaign campaign) {
        return TemplateModel.latest(repository, campaign.template())
                .map(model -> model.splits().entrySet().stream()
                        .map(step -> new SplitStep(
                                step.getKey(),
                                step.getValue().experimentKeyIn(campaign.id()),
                                step.getValue().armVariable()))
                        .toList())
                .orElse(List.of());
    }
}
