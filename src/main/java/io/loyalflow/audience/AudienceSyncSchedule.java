package io.loyalflow.audience;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the audience-dispatch process's timer start event ({@code ${audienceSyncSchedule.cycle}}): a
 * Camunda timer cycle, by default every minute. Read when the process is deployed: after changing it, redeploy.
 */
@Component("audienceSyncSchedule")
public class AudienceSyncSchedule {

    private final String cycle;

    AudienceSyncSchedule(@Value("${loyalflow.audiences.sync-cycle:0 * * * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
