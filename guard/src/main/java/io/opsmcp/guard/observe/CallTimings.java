package io.opsmcp.guard.observe;

import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.observe.ObservedCall.Decision;
import java.time.Duration;

/**
 * What the guard measured and decided during one call, filled in by {@link io.opsmcp.guard.policy.Guard} and the
 * gateway as the call passes and read once it ended. One instance belongs to one call and is used by the thread
 * that runs the call through the guard (the gateway's caller), so it needs no locking.
 */
public final class CallTimings {

    private long policyNanos;
    private long auditNanos;
    private long executionNanos;
    private Decision decision;
    private Phase phase;
    private ObservedCall.Resource resource;

    /** Adds the time of one policy evaluation. */
    public void policy(long nanos) {
        policyNanos += nanos;
    }

    /** Adds the time of one audit append (successful or not). */
    public void audit(long nanos) {
        auditNanos += nanos;
    }

    /** Adds the time the tool's {@code execute} ran. */
    public void execution(long nanos) {
        executionNanos += nanos;
    }

    /** The guard's decision and the phase it recorded; a later call (an in-band approval's re-check) replaces it. */
    public void decided(Decision decision, Phase phase) {
        this.decision = decision;
        this.phase = phase;
    }

    /** What the tool described the call to touch. */
    public void described(ObservedCall.Resource resource) {
        this.resource = resource;
    }

    /** The resource described, or {@code null} when the call stopped before. */
    public ObservedCall.Resource resource() {
        return resource;
    }

    /** The decision recorded so far, or {@code null}. */
    public Decision decision() {
        return decision;
    }

    /** The phase recorded with the decision, or {@code null}. */
    public Phase phase() {
        return phase;
    }

    public Duration policyTime() {
        return Duration.ofNanos(policyNanos);
    }

    public Duration auditTime() {
        return Duration.ofNanos(auditNanos);
    }

    public Duration executionTime() {
        return Duration.ofNanos(executionNanos);
    }
}
