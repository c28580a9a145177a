package io.loyalflow.journey;

import io.loyalflow.platform.engine.JourneyStartVariables;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;

/**
 * Scenarios a journey starts for its customer, e.g. a satisfaction survey. The scenario gets the same
 * business key (so Cockpit finds both by it), the customer, the campaign and its settings revision, and
 * {@code parentJourneyId}. It starts in the caller's transaction, so a step that fails and is retried
 * has started none.
 */
@Service
class Scenarios {

    /** What the journey hands on; {@code step} (the step's name) names it in refusals. */
    record Start(
            String step,
            String scenario,
            String businessKey,
            String customerId,
            String campaignKey,
            Integer campaignRevision,
            String parentJourneyId) {}

    private final RuntimeService runtime;

    Scenarios(RuntimeService runtime) {
        this.runtime = runtime;
    }

    /** The started scenario's process instance id. */
    String start(Start start) {
        if (start.scenario() == null || start.scenario().isBlank()) {
            throw new IllegalArgumentException("Step '" + start.step() + "': no scenario to start");
        }
        return runtime.createProcessInstanceByKey(start.scenario().trim())
                .businessKey(start.businessKey())
                .setVariable(
                        JourneyStartVariables.CUSTOMER_ID.name(),
                        JourneyStartVariables.CUSTOMER_ID.value(start.customerId()))
                .setVariable(
                        JourneyStartVariables.CAMPAIGN_KEY.name(),
                        JourneyStartVariables.CAMPAIGN_KEY.value(start.campaignKey()))
                .setVariable(
                        JourneyStartVariables.CAMPAIGN_REVISION.name(),
                        JourneyStartVariables.CAMPAIGN_REVISION.value(start.campaignRevision()))
                .setVariable(
                        JourneyVariables.PARENT_JOURNEY_ID.name(),
                        JourneyVariables.PARENT_JOURNEY_ID.value(start.parentJourneyId()))
                .execute()
                .getId();
    }
}
