package io.opsmcp.guard.policy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.InBandApprover;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the guard knows about one call once its arguments are valid and the tool has described its action.
 *
 * @param principal     the caller
 * @param requestId     request id for correlation
 * @param tool          tool name
 * @param toolset       toolset name
 * @param readOnly      the tool does not change anything ({@code readOnlyHint})
 * @param destructive   the tool may destroy ({@code destructiveHint}, or the descriptor says so)
 * @param dryRun        the call asked for {@code dry_run: true}: it only previews, so it is decided as a read
 * @param args          the arguments without {@code approval_id} (what the approval digest covers)
 * @param redactedArgs  the same, redacted, for the policy input and the audit log
 * @param action        the tool's description of the resource and change
 * @param approvalId    the {@code approval_id} the caller presented, or {@code null}
 * @param now           when the call arrived
 * @param inBand        asks the person at the client to approve in-band, or {@code null} when the client cannot
 */
public record CallFacts(
        Principal principal,
        String requestId,
        String tool,
        String toolset,
        boolean readOnly,
        boolean destructive,
        boolean dryRun,
        ObjectNode args,
        JsonNode redactedArgs,
        ActionDescriptor action,
        String approvalId,
        Instant now,
        InBandApprover inBand) {

    /** The same call presenting an approval. */
    public CallFacts withApproval(String id) {
        return new CallFacts(
                principal,
                requestId,
                tool,
                toolset,
                readOnly,
                destructive,
                dryRun,
                args,
                redactedArgs,
                action,
                id,
                now,
                null);
    }

    /** Whether the call changes something, i.e. needs an intent record and is subject to approvals. */
    public boolean mutating() {
        return !readOnly && !dryRun;
    }
}
