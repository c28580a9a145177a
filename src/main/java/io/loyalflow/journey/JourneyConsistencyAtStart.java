package io.loyalflow.journey;

import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Starts the journey-consistency-check process at every start of the service; the job executor runs it. */
@Component
class JourneyConsistencyAtStart {

    private static final Logger log = LoggerFactory.getLogger(JourneyConsistencyAtStart.class);

    private final RuntimeService runtime;
    private final boolean enabled;

    JourneyConsistencyAtStart(
            RuntimeService runtime, @Value("${loyalflow.journeys.consistency-check-at-start:true}") boolean enabled) {
        this.runtime = runtime;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStart() {
        if (!enabled) {
            return;
        }
        try {
            runtime.startProcessInstanceByMessage(JourneyConsistencyCheckProcess.Message.CHECK_JOURNEYS.messageName());
        } catch (RuntimeException e) {
            log.error("Could not start the journey consistency check at start; it runs on its daily schedule", e);
        }
    }
}
