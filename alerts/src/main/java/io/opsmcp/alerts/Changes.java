package io.opsmcp.alerts;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit's own changes on an alert's resource: records in phase {@code intent} (written before a mutation runs,
 * the records the circuit breaker counts) whose resource is the alert's, with the outcome recorded after each.
 * Reads the newest {@value #SCANNED} records only, so it is bounded whatever the log's size.
 */
public final class Changes {

    /** How many of the newest audit records are searched. */
    static final int SCANNED = 2_000;

    private final AuditStore audit;

    public Changes(AuditStore audit) {
        this.audit = audit;
    }

    /**
     * One change.
     *
     * @param seq        the intent record's sequence number
     * @param time       when it was about to run
     * @param principal  who asked
     * @param tool       the tool
     * @param approvalId the approval it ran under, or {@code null}
     * @param approvers  who approved
     * @param outcome    the phase of the record that ended it ({@code succeeded}, {@code failed}, …), or
     *                   {@code null} while it runs
     */
    public record Change(
            long seq,
            Instant time,
            String principal,
            String tool,
            String approvalId,
            List<String> approvers,
            String outcome) {

        public ObjectNode toJson() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("audit_seq", seq);
            out.put("time", time.toString());
            out.put("principal", principal);
            out.put("tool", tool);
            out.put("approval_id", approvalId);
            var a = out.putArray("approvers");
            approvers.forEach(a::add);
            out.put("outcome", outcome);
            return out;
        }
    }

    /** Changes on {@code resource} at or after {@code since}, oldest first; empty for no resource. */
    public List<Change> on(AlertResource resource, Instant since) {
        if (resource == null) {
            return List.of();
        }
        List<AuditEntry> tail = audit.tail(SCANNED);
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < tail.size(); i++) {
            AuditEvent e = tail.get(i).event();
            if (e.phase() != AuditEvent.Phase.INTENT || e.time().isBefore(since) || !resource.matches(e.resource())) {
                continue;
            }
            String outcome = null;
            for (int j = i + 1; j < tail.size() && outcome == null; j++) {
                AuditEvent later = tail.get(j).event();
                if (later.phase() != AuditEvent.Phase.INTENT
                        && Objects.equals(later.requestId(), e.requestId())
                        && Objects.equals(later.principal(), e.principal())
                        && Objects.equals(later.tool(), e.tool())) {
                    outcome = later.phase().wire();
                }
            }
            out.add(new Change(
                    tail.get(i).seq(), e.time(), e.principal(), e.tool(), e.approvalId(), e.approvers(), outcome));
        }
        return out;
    }
}
