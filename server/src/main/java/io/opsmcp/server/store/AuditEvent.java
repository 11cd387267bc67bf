package io.opsmcp.server.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One audit record as supplied by the caller, before the store assigns its place in the chain. Arguments and
 * error text must already be redacted.
 *
 * @param time         when it happened; stored to the millisecond (truncated here, so the hash is stable)
 * @param requestId    JSON-RPC request id or a generated one, or {@code null}
 * @param principal    caller id
 * @param auth         how the caller was identified ({@code local}, {@code api-key}, {@code oauth})
 * @param tool         tool name, or {@code null}
 * @param toolset      toolset name, or {@code null}
 * @param resource     the resource touched, or {@code null}
 * @param args         redacted arguments, or {@code null}
 * @param decision     {@code allow}, {@code deny} or {@code needs_approval}, or {@code null}
 * @param reasons      the policy's reasons (empty when none)
 * @param approvalId   the approval involved, or {@code null}
 * @param approvers    principals who approved (empty when none)
 * @param phase        {@code denied}, {@code pending}, {@code intent} (before a mutation runs),
 *                     {@code succeeded}, {@code failed}, {@code invalid_arguments}, {@code timeout}, …
 * @param durationMs   wall time in milliseconds (0 for records written before execution)
 * @param resultDigest hex SHA-256 of the result text, or {@code null}
 * @param error        redacted error text, or {@code null}
 */
public record AuditEvent(Instant time, String requestId, String principal, String auth, String tool,
                         String toolset, JsonNode resource, JsonNode args, String decision, List<String> reasons,
                         String approvalId, List<String> approvers, String phase, long durationMs,
                         String resultDigest, String error) {

    /** The phase that marks a mutation about to run; {@code history} counts these. */
    public static final String PHASE_INTENT = "intent";

    public AuditEvent {
        if (time == null) {
            throw new IllegalArgumentException("audit event: time is required");
        }
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("audit event: principal is required");
        }
        if (phase == null || phase.isBlank()) {
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
}
