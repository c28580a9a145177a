package io.loyalflow.journey;

import io.loyalflow.customer.CustomerErased;
import java.util.LinkedHashSet;
import java.util.Set;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * An erased customer's journeys end, so nothing is sent for them later and no order or open can
 * move them: each running journey ends with the outcome ERASED (recorded in its enrollment by
 * {@link JourneyExits}), and the follow-up scenarios the customer's journeys started (same business
 * key) are deleted. The personal data itself is erased inside the erasing transaction by the
 * synchronous listeners of each feature; this runs after that commit, durably.
 *
 * <p>Idempotent: a journey already ended is no longer running, so a resubmitted event finds
 * nothing left to end.
 */
@Component
class ErasedJourneys {

    static final String LISTENER_ID = "journey.erasure";
    static final String ERASED = "ERASED";

    private final JourneyFacts facts;
    private final RuntimeService runtime;
    private final JdbcTemplate jdbc;

    ErasedJourneys(JourneyFacts facts, RuntimeService runtime, JdbcTemplate jdbc) {
        this.facts = facts;
        this.runtime = runtime;
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener(id = LISTENER_ID)
    void onErasure(CustomerErased erased) {
        for (JourneyFacts.Journey journey : facts.running(erased.customerKey())) {
            String instance = journey.processInstanceId();
            if (runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 1) {
                JourneyVariables.JOURNEY_OUTCOME.on(runtime, instance).set(ERASED);
                runtime.deleteProcessInstance(instance, "customer erased");
            }
        }
        for (String scenario : scenarios(erased.customerKey())) {
            runtime.deleteProcessInstanceIfExists(scenario, "customer erased", false, true, false, false);
        }
    }

    /** Process instances still running under a business key of the customer's enrollments: their scenarios. */
    private Set<String> scenarios(long customerKey) {
        Set<String> instances = new LinkedHashSet<>();
        for (String businessKey : jdbc.queryForList(
                "select distinct business_key from campaign_enrollment " + "where customer_key = ?",
                String.class,
                customerKey)) {
            runtime.createProcessInstanceQuery().processInstanceBusinessKey(businessKey).list().stream()
                    .map(ProcessInstance::getId)
                    .forEach(instances::add);
        }
        return instances;
    }
}
