package io.opsmcp.guard.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * One audit record as supplied by the caller, before the store assigns its place in the chain. Arguments and
 * error text must already be redacted. Built with {@link #builder}; the components are the columns of the log.
 *
 * @param time         when it happened; stored to the millisecond (truncated here, so the hash is stable)
 * @param requestId    JSON-RPC request id or a generated one, or {@code null}
 * @param principal    caller id
 * @param auth         how the caller was identified ({@code local}, {@code api-key}, {@code oauth})
 * @param tool         tool name, or {@code null}
 * @param toolset      toolset name, or {@code null}
 * @param resource     the resource touched, or {@code null}
 * @param args         redacted arguments, or {@code null}
 * @param decision     the policy's decision, or {@code null} when the policy was not asked
 * @param reasons      the policy's reasons (empty when none)
 * @param approvalId   the approval involved, or {@code null}
 * @param approvers    principals who approved (empty when none)
 * @param phase        where the call stood when the record was written
 * @param durationMs   wall time in milliseconds (0 for records written before execution)
 * @param resultDigest hex SHA-256 of the result text, or {@code null}
 * @param error        redacted error text, or {@code null}
 */
public record AuditEvent(
        Instant time,
        String requestId,
        String principal,
        String auth,
        String tool,
        String toolset,
        JsonNode resource,
        JsonNode args,
        PolicyDecision decision,
        List<String> reasons,
        String approvalId,
        List<String> approvers,
        Phase phase,
        long durationMs,
        String resultDigest,
        String error) {

    /** The policy's decision as the log records it; {@link #wire()} is the stored and hashed text. */
    public enum PolicyDecision {
        ALLOW,
        DENY,
        NEEDS_APPROVAL;

        /** {@code allow}, {@code deny}, {@code needs_approval}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The decision of a stored record; {@code null} for {@code null}.
         *
         * @throws IllegalArgumentException for any other text
         */
        public static PolicyDecision fromWire(String wire) {
            return wire == null ? null : Wire.parse(PolicyDecision.class, wire, "decision");
        }
    }

    /** Where a call stood when the record was written; {@link #wire()} is the stored and hashed text. */
    public enum Phase {
        /** The policy or an approval check refused the call. */
        DENIED,
        /** Waiting for approval. */
        PENDING,
        /** A mutation is about to run (written before it runs; the circuit breaker counts these). */
        INTENT,
        SUCCEEDED,
        FAILED,
        TIMEOUT,
        /** The client cancelled the call (MCP {@code notifications/cancelled}) before it changed anything. */
        CANCELLED,
        /**
         * The client cancelled the call after its change was sent (past the tool's point of no return): the change
         * may have taken effect; the record's error says what was sent.
         */
        CANCELLED_AFTER_SEND,
        /** Refused before the policy was asked: arguments broke the tool's schema. */
        INVALID_ARGUMENTS,
        /** Refused before the policy was asked: arguments larger than {@code limits.max_argument_bytes}. */
        OVERSIZED_ARGUMENTS,
        /** Refused before the policy was asked: no such tool. */
        UNKNOWN_TOOL,
        /** Refused before anything else: the principal made too many calls in a {@code rate_limits} rule's period. */
        RATE_LIMITED,
        /** Refused before anything else: the principal has too many calls running under a {@code rate_limits} rule. */
        CONCURRENCY_LIMITED;

        /** {@code denied}, {@code intent}, {@code invalid_arguments}, …. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The phase of a stored record.
         *
         * @throws IllegalArgumentException for an unknown text
         */
        public static Phase fromWire(String wire) {
            return Wire.parse(Phase.class, wire, "phase");
        }
    }

    public AuditEvent {
        if (time == null) {
            throw new IllegalArgumentException("audit event: time is required");
        }
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("audit event: principal is required");
        }
        if (phase == null) {
            throw new IllegalArgumentException("audit event: phase is required");
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
        resource = absentToNull(resource);
        args = absentToNull(args);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    /**
     * The key under which records on one resource are counted: hex SHA-256 of the resource's canonical JSON,
     * or {@code null} when there is no resource. Use it with {@link AuditStore#countMutationsOnResource}.
     */
    public static String resourceKey(JsonNode resource) {
        JsonNode r = absentToNull(resource);
        return r == null ? null : CanonicalJson.sha256Hex(r);
    }

    private static JsonNode absentToNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** A builder for the record of one event at {@code time} by {@code principal}, in {@code phase}. */
    public static Builder builder(Instant time, String principal, Phase phase) {
        return new Builder(time, principal, phase);
    }

    /** Builds an {@link AuditEvent}; what is not set is absent ({@code null}, empty, 0). */
    public static final class Builder {
        private final Instant time;
        private final String principal;
        private final Phase phase;
        private String requestId;
        private String auth;
        private String tool;
        private String toolset;
        private JsonNode resource;
        private JsonNode args;
        private PolicyDecision decision;
        private List<String> reasons = List.of();
        private String approvalId;
        private List<String> approvers = List.of();
        private long durationMs;
        private String resultDigest;
        private String error;

        private Builder(Instant time, String principal, Phase phase) {
            this.time = time;
            this.principal = principal;
            this.phase = phase;
        }

        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** How the caller was identified ({@code local}, {@code api-key}, {@code oauth}). */
        public Builder auth(String auth) {
            this.auth = auth;
            return this;
        }

        public Builder tool(String tool, String toolset) {
            this.tool = tool;
            this.toolset = toolset;
            return this;
        }

        public Builder resource(JsonNode resource) {
            this.resource = resource;
            return this;
        }

        /** The arguments, redacted. */
        public Builder args(JsonNode args) {
            this.args = args;
            return this;
        }

        public Builder decision(PolicyDecision decision, List<String> reasons) {
            this.decision = decision;
            this.reasons = reasons;
            return this;
        }

        public Builder approval(String approvalId, List<String> approvers) {
            this.approvalId = approvalId;
            this.approvers = approvers;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder resultDigest(String resultDigest) {
            this.resultDigest = resultDigest;
            return this;
        }

        /** The error text, redacted. */
        public Builder error(String error) {
            this.error = error;
            return this;
        }

        /** @throws IllegalArgumentException when time, principal or phase is missing */
        public AuditEvent build() {
            return new AuditEvent(
                    time,
                    requestId,
                    principal,
                    auth,
                    tool,
                    toolset,
                    resource,
                    args,
                    decision,
                    reasons,
                    approvalId,
                    approvers,
                    phase,
                    durationMs,
                    resultDigest,
                    error);
        }
    }

    /** Wire names of the enums: the lower-case constant names. */
    private static final class Wire {
        static <E extends Enum<E>> E parse(Class<E> type, String wire, String field) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(wire)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("audit " + field + ": unknown value '" + wire + "'");
        }
    }
}
