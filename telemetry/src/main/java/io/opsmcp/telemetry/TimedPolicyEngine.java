package io.opsmcp.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.DeferredInput;
import io.opsmcp.guard.policy.PolicyEngine;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A {@link PolicyEngine} that times every decision into {@code opsmcp.policy.evaluation} (timer with histogram
 * buckets; label {@code decision}: {@code allow}, {@code deny} or {@code needs_approval}). Decisions are the
 * delegate's, unchanged.
 */
final class TimedPolicyEngine implements PolicyEngine {

    private final PolicyEngine delegate;
    private final MeterRegistry registry;

    TimedPolicyEngine(PolicyEngine delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public Decision decide(JsonNode input) {
        long start = System.nanoTime();
        return timed(delegate.decide(input), start);
    }

    @Override
    public Decision decide(DeferredInput input) {
        long start = System.nanoTime();
        return timed(delegate.decide(input), start);
    }

    private Decision timed(Decision decision, long start) {
        String label = decision instanceof Decision.Deny
                ? "deny"
                : decision instanceof Decision.NeedsApproval ? "needs_approval" : "allow";
        Timer.builder("opsmcp.policy.evaluation")
                .description("Policy evaluations (Rego decision, embedded or OPA)")
                .tag("decision", label)
                .serviceLevelObjectives(Buckets.FAST)
                .register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return decision;
    }

    @Override
    public Optional<PolicyBundle> bundle() {
        return delegate.bundle();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
