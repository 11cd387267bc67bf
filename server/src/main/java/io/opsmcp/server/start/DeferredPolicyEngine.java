package io.opsmcp.server.start;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.PolicyEngine;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A {@link PolicyEngine} whose engine is built off the start-up path ({@link io.opsmcp.toolkit.Deferred}): each
 * method waits for it, so a decision is never taken without the configured policy, and an engine that failed to
 * build fails every decision with its error (the guard denies). {@link #close()} is left to the owner of the
 * deferred engine.
 */
public final class DeferredPolicyEngine implements PolicyEngine {

    private final Supplier<PolicyEngine> engine;

    /** @param engine the engine, typically {@code deferred::get} */
    public DeferredPolicyEngine(Supplier<PolicyEngine> engine) {
        this.engine = engine;
    }

    @Override
    public Decision decide(JsonNode input) {
        return engine.get().decide(input);
    }

    @Override
    public Optional<PolicyBundle> bundle() {
        return engine.get().bundle();
    }

    @Override
    public String description() {
        return engine.get().description();
    }

    @Override
    public void close() {}
}
