package io.loyalflow.clv;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The schedule of the clv-refit process's timer start event ({@code ${clvRefitSchedule.cycle}}): a
 * Camunda timer cycle, by default every day at 02:00 server time, half an hour before the segment
 * refresh, so the predictive best-customer segment is computed from that night's predictions. Read
 * when the process is deployed: after changing it, redeploy the process.
 */
@Component("clvRefitSchedule")
public class ClvRefitSchedule {

    private final String cycle;

    ClvRefitSchedule(@Value("${loyalflow.clv.refit-cycle:0 0 2 * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
