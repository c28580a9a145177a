package io.loyalflow.journey;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the campaign-entry process's timer ({@code ${campaignEntrySchedule.cycle}}): a
 * cron expression or ISO 8601 repetition, read when the process is deployed.
 */
@Component("campaignEntrySchedule")
public class CampaignEntrySchedule {

    private final String cycle;

    CampaignEntrySchedule(@Value("${loyalflow.campaigns.entry-cycle:0 */5 * * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
