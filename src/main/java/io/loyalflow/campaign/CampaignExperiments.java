package io.loyalflow.campaign;

import io.loyalflow.experiment.ExperimentCampaigns;
import io.loyalflow.experiment.ExperimentSetting;
import org.springframework.stereotype.Component;

/** Tells the experiments which campaigns exist and their current {@code settings.experiments}. */
@Component
class CampaignExperiments implements ExperimentCampaigns {

    private final Campaigns campaigns;

    CampaignExperiments(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @Override
    public boolean exists(String campaignId) {
        return campaigns.find(campaignId).isPresent();
    }

    @Override
    public ExperimentSetting setting(String campaignId, String stepId) {
        return campaigns
                .find(campaignId)
                .map(campaign -> campaign.settings().experiment(stepId))
                .orElse(ExperimentSetting.DEFAULTS);
    }
}
