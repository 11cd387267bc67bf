package io.opsmcp.server.start;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.DeferredInput;
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
    private final RealCallSignal calls;

    /** @param engine the engine, typically {@code deferred::get} */
    public DeferredPolicyEngine(Supplier<PolicyEngine> engine) {
        this(engine, new RealCallSignal());
    }

    /**
     * @param engine the engine, typically {@code deferred::get}
     * @param calls  told of every decision before it waits for the engine: a decision through this engine is a
     *     real call's (the warm-up decides on the engine itself), and the warm-up stops for it
     */
    public DeferredPolicyEngine(Supplier<PolicyEngine> engine, RealCallSignal calls) {
        this.engine = engine;
        this.calls = calls;
    }

    @Override
    public Decision decide(JsonNode input) {
        calls.begin();
        return engine.get().decide(input);
    }

    @Override
    public Decision decide(DeferredInput input) {
        calls.begin();
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
