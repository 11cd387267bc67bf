package io.opsmcp.guard.observe;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One ended {@code tools/call} as telemetry sees it. Holds no secret: the principal's id only, the resource's kind
 * and name as the tool described them, no arguments, no result text.
 *
 * @param tool        the tool name as called; for an unknown tool this is the caller's text (see {@link #known()})
 * @param toolset     the toolset that contributed the tool, or {@code null} when no such tool is registered
 * @param principalId the caller's principal id
 * @param requestId   the gateway's request id (the audit record's {@code request_id})
 * @param resource    what the call touches, or {@code null} when the call stopped before the tool described it
 * @param decision    what the guard decided
 * @param outcome     the phase of the call's last audit record ({@code succeeded}, {@code denied}, {@code pending},
 *                    {@code invalid_arguments}, …)
 * @param started     when the gateway received the call
 * @param total       the whole call in the gateway (validation, describe, guard, execution, audit)
 * @param policy      time spent evaluating the policy ({@link Duration#ZERO} when it was not asked)
 * @param audit       time spent appending the call's audit records
 * @param execution   time the tool's {@code execute} ran ({@link Duration#ZERO} when it did not run)
 */
public record ObservedCall(
        String tool,
        String toolset,
        String principalId,
        String requestId,
        Resource resource,
        Decision decision,
        Phase outcome,
        Instant started,
        Duration total,
        Duration policy,
        Duration audit,
        Duration execution) {

    public ObservedCall {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(started, "started");
        total = orZero(total);
        policy = orZero(policy);
        audit = orZero(audit);
        execution = orZero(execution);
    }

    /** Whether {@link #tool()} names a registered tool (a closed set, safe as a metric label). */
    public boolean known() {
        return toolset != null;
    }

    private static Duration orZero(Duration d) {
        return d == null ? Duration.ZERO : d;
    }

    /**
     * What the guard decided about a call.
     *
     * <ul>
     *   <li>{@link #ALLOW}: the policy allowed it and the tool ran (or was started);</li>
     *   <li>{@link #DENY}: the policy, an approval check, or an unreachable store refused it;</li>
     *   <li>{@link #APPROVAL_REQUIRED}: it waits for an approval;</li>
     *   <li>{@link #REJECTED}: it stopped before the policy was asked (unknown tool, invalid or oversized
     *       arguments, a failed {@code describe}, an admission limit).</li>
     * </ul>
     */
    public enum Decision {
        ALLOW,
        DENY,
        APPROVAL_REQUIRED,
        REJECTED;

        /** {@code allow}, {@code deny}, {@code approval_required}, {@code rejected}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The resource of a call, from its {@link ActionDescriptor}.
     *
     * @param provider    {@code aws}, {@code gitlab}, {@code host}, {@code local}
     * @param kind        e.g. {@code ecs:service}, {@code host}
     * @param environment {@code dev}, {@code prod}, …, or {@code null}
     * @param name        the resource's own name, or {@code null}
     */
    public record Resource(String provider, String kind, String environment, String name) {

        /** The resource {@code action} describes; {@code null} for {@code null}. */
        public static Resource of(ActionDescriptor action) {
            return action == null
                    ? null
                    : new Resource(action.provider(), action.kind(), action.environment(), action.name());
        }
    }
}
