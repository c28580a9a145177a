package io.loyalflow.journey;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The daily cycle of the journey-consistency-check process's timer ({@code ${journeyConsistencySchedule.cycle}}). */
@Component("journeyConsistencySchedule")
public class JourneyConsistencySchedule {

    private final String cycle;

    JourneyConsistencySchedule(@Value("${loyalflow.journeys.consistency-check-cycle:0 30 4 * * ?}") String cycle) {
        this.cycle = cycle;
    }

    public String getCycle() {
        return cycle;
    }
}
