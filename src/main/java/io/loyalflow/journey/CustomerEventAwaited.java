package io.loyalflow.journey;

import java.util.List;

/**
 * A journey (or a follow-up scenario it started) reached a wait for customer events
 * ({@code Msg_<type>}), published in the transaction that made it wait: after that commit, events
 * the customer reported earlier are delivered to it (durably: a node that stops in between leaves
 * the publication to be resubmitted).
 *
 * @param types the awaited event types, without the {@code Msg_} prefix
 */
record CustomerEventAwaited(String processInstanceId, String businessKey, List<String> types) {

    public CustomerEventAwaited {
        types = List.copyOf(types);
    }
}
