package io.opsmcp.guard.gateway;

import io.opsmcp.core.tool.Principal;
import java.time.Duration;

/**
 * Whether a principal may start one more tool call now: the rate and concurrency limits
 * ({@code rate_limits:}). The {@link ToolGateway} asks once per call, first thing (before the arguments are
 * validated, so a flood of invalid or unknown calls is bounded too), and closes the {@link Permit} when the call has
 * ended, on every path (result, error, timeout, cancellation). A {@link Refused} call does not run; the client gets
 * {@link Refused#message()} as a tool error and the audit log a {@code rate_limited} or {@code concurrency_limited}
 * record.
 *
 * <p>Implementations must be thread-safe and must not block: a refusal is answered at once, never by waiting.
 */
@FunctionalInterface
public interface CallAdmission {

    /** No limits: every call is admitted. */
    CallAdmission UNLIMITED = (tool, principal) -> Permit.NONE;

    /**
     * Admits or refuses one call.
     *
     * @param tool      the tool name as the client sent it (also an unknown one)
     * @param principal the caller
     */
    Admission admit(String tool, Principal principal);

    /** The answer: a {@link Permit} to run, or a {@link Refused}. */
    sealed interface Admission permits Permit, Refused {}

    /**
     * The call may run. {@link #close()} gives back what it holds (its concurrency slots); it is called exactly
     * once by the gateway and must be idempotent for other callers.
     */
    @FunctionalInterface
    non-sealed interface Permit extends Admission, AutoCloseable {
        /** A permit that holds nothing. */
        Permit NONE = () -> {};

        @Override
        void close();
    }

    /** Which kind of limit refused a call. */
    enum Limit {
        /** Too many calls in the rule's period ({@code calls} per {@code per}). */
        RATE,
        /** Too many calls running at once ({@code concurrent}). */
        CONCURRENCY
    }

    /**
     * The call is refused.
     *
     * @param limit      the kind of limit
     * @param rule       the rule that refused it, as the configuration names it ({@code rate_limits[0]})
     * @param message    the client's error text: the principal, the tools, the limit, the rule and when to retry;
     *                   no internals
     * @param retryAfter when a call under this rule may be admitted again, or {@code null} when that depends on
     *                   running calls ending
     * @param recorded   whether this refusal gets its own audit record; a limiter may record only the first of a
     *                   burst of refusals so the refusals of a flood cannot flood the audit log
     * @param unrecorded refusals by the same principal under the same rule since the previous recorded one that were
     *                   not recorded one by one (0 when none); the recorded refusal's audit record names the number
     */
    record Refused(Limit limit, String rule, String message, Duration retryAfter, boolean recorded, long unrecorded)
            implements Admission {}
}
