package io.loyalflow.experiment;

/**
 * What experiments need to know of campaigns, implemented by the campaign module (which uses this one, so
 * this module cannot ask it directly).
 */
public interface ExperimentCampaigns {

    /** Whether a campaign with this id exists. */
    boolean exists(String campaignId);

    /**
     * The campaign's current setting for the experiment of this split step, {@link ExperimentSetting#DEFAULTS}
     * when it gives none (or the campaign no longer exists).
     */
    ExperimentSetting setting(String campaignId, String stepId);
}
