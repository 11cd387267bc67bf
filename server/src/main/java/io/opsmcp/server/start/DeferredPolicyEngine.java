package io.opsmcp.server.start;

import io.opsmcp.guard.GuardUnavailableException;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.DeferredInput;
import io.opsmcp.guard.policy.PolicyEngine;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A {@link PolicyEngine} whose engine is built off the start-up path ({@link io.opsmcp.toolkit.Deferred}): each
 * method waits for it, so a decision is never taken without the configured policy, and an engine that failed to
 * build (or whose store failed to open: they open together) fails every method with {@link GuardUnavailableException}
 * quoting its error (the guard refuses the call and says why). {@link #close()} is left to the owner of the deferred
 * engine.
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

    private PolicyEngine engine() {
        try {
            return engine.get();
        } catch (RuntimeException e) { // only the building fails here: the engine's decide never throws
            throw new GuardUnavailableException(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws GuardUnavailableException the engine could not be built
     */
    @Override
    public Decision decide(JsonNode input) {
        calls.begin();
        return engine().decide(input);
    }

    /**
     * {@inheritDoc}
     *
     * @throws GuardUnavailableException the engine could not be built
     */
    @Override
    public Decision decide(DeferredInput input) {
        calls.begin();
        return engine().decide(input);
    }

    @Override
    public Optional<PolicyBundle> bundle() {
        return engine().bundle();
    }

    @Override
    public String description() {
        return engine().description();
    }

    @Override
    public void close() {}
}
