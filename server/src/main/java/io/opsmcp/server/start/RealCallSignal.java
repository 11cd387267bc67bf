package io.opsmcp.server.start;

/**
 * Whether a real call has begun: set by the first real use of the policy or the audit store ({@link
 * DeferredPolicyEngine}, {@link DeferredAuditStore}: a guarded call counts its recent changes, then decides), and
 * sooner over stdio, as the transport reads a {@code tools/call} request ({@code OpsMcpRuntime.callArriving}), read by
 * the {@link FirstCallWarmUp} between its steps, which stops once it is set (it uses the engine and the store
 * themselves, not these). The
 * warm-up only exists to make the first call faster; once that call runs, more warm-up would only share the cores
 * with it (issue 16: the first guarded call made 1 s after {@code initialize}).
 */
public final class RealCallSignal {

    private volatile boolean begun;

    /** Marks that a real call has begun; idempotent, cheap enough for every decision (one volatile write). */
    public void begin() {
        begun = true;
    }

    /** Whether {@link #begin()} was called. */
    public boolean begun() {
        return begun;
    }
}
