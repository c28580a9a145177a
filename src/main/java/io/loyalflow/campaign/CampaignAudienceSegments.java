package io.loyalflow.campaign;

import io.loyalflow.segment.SegmentUsers;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Campaigns that may still enter customers from a segment: drafts, active and paused ones whose
 * current settings name it as their audience. Archived campaigns never enter anyone again, and
 * running journeys do not read their campaign's segment.
 */
@Component
class CampaignAudienceSegments implements SegmentUsers {

    private final Campaigns campaigns;

    CampaignAudienceSegments(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @Override
    public List<String> usersOf(String segmentId) {
        return campaigns.all().stream()
                .filter(campaign -> campaign.state() != Campaign.State.ARCHIVED)
                .filter(campaign -> campaign.settings().audience() != null
                        && segmentId.equals(campaign.settings().audience().segment()))
                .map(campaign -> "campaign " + campaign.id() + " (" + campaign.state() + ")")
                .toList();
    }
}
