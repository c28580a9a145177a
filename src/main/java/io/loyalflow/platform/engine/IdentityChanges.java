package io.loyalflow.platform.engine;

import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;

/**
 * A counter of committed changes to users, groups and memberships in this engine: what a remembered
 * authentication ({@code platform.security.AuthenticationCache}) compares with, so that a changed
 * password, a deleted user or a removed membership takes effect on this node at the commit. Static
 * because the engine creates the identity provider by its class, outside Spring.
 */
public final class IdentityChanges {

    private static final AtomicLong GENERATION = new AtomicLong();

    private IdentityChanges() {}

    /** The number of identity changes committed so far. */
    public static long generation() {
        return GENERATION.get();
    }

    /** Counts the change of the current command when its transaction commits (at once outside a command). */
    static void afterCommit() {
        CommandContext command = Context.getCommandContext();
        if (command == null) {
            GENERATION.incrementAndGet();
            return;
        }
        command.getTransactionContext()
                .addTransactionListener(TransactionState.COMMITTED, committed -> GENERATION.incrementAndGet());
    }
}
