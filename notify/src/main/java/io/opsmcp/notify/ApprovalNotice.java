package io.opsmcp.notify;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalEvent;
import io.opsmcp.toolkit.redact.Redactor;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * What a notification says about one approval lifecycle step, every free text already through the {@link Redactor}
 * (the change summary, the policy's reasons, a voter's reason, resource names): a sink never sees more than the
 * approval page shows, and never an argument value the redactor hides. Arguments themselves are not part of it
 * (an approval stores only their digest).
 *
 * @param event         {@code approval.requested}, {@code approval.approved}, …
 * @param approvalId    {@code apr_…}
 * @param status        the approval's status after the step, lower case
 * @param tool          the tool the approval is for
 * @param environment   the resource's environment, or {@code null}
 * @param resource      the resource as {@code kind name}, or {@code null}
 * @param change        the change summary (before → after), or {@code null}
 * @param requester     who asked
 * @param reasons       why the policy wants approval
 * @param approverRoles who may approve: one of these roles
 * @param minApprovals  distinct approvals needed
 * @param approvers     who approved so far
 * @param selfApproval  whether the requester may approve
 * @param expiresAt     when the request expires
 * @param actor         the voter of this step, or {@code null}
 * @param actorReason   the voter's reason, or {@code null}
 * @param link          the approval page, or {@code null} when no public URL is configured
 * @param at            when the step happened
 */
public record ApprovalNotice(
        String event,
        String approvalId,
        String status,
        String tool,
        String environment,
        String resource,
        String change,
        String requester,
        String reasons,
        List<String> approverRoles,
        int minApprovals,
        List<String> approvers,
        boolean selfApproval,
        Instant expiresAt,
        String actor,
        String actorReason,
        URI link,
        Instant at) {

    public ApprovalNotice {
        approverRoles = List.copyOf(approverRoles);
        approvers = List.copyOf(approvers);
    }

    /** The notice of {@code event}, redacted; {@code link} may be {@code null}. */
    public static ApprovalNotice of(ApprovalEvent event, Redactor redactor, URI link) {
        Approval a = event.approval();
        JsonNode resource = a.resource();
        String environment = resource == null ? null : text(resource.get("environment"));
        String name = resource == null ? null : join(text(resource.get("kind")), text(resource.get("name")));
        return new ApprovalNotice(
                "approval." + event.type().name().toLowerCase(Locale.ROOT),
                a.id(),
                a.status().name().toLowerCase(Locale.ROOT),
                a.tool(),
                redactor.redact(environment),
                redactor.redact(name),
                redactor.redact(a.changeSummary()),
                a.requester(),
                redactor.redact(a.reasons()),
                a.approverRoles(),
                a.minApprovals(),
                a.approvers(),
                a.allowSelfApproval(),
                a.expiresAt(),
                event.vote() == null ? null : event.vote().principal(),
                event.vote() == null ? null : redactor.redact(event.vote().reason()),
                link,
                event.at());
    }

    /** One line for a human: what happened to which change. */
    public String headline() {
        String what = switch (event) {
            case "approval.requested" -> "Approval requested";
            case "approval.voted" -> "Approval vote";
            case "approval.approved" -> "Approved";
            case "approval.denied" -> "Denied";
            case "approval.used" -> "Approved change ran";
            case "approval.expired" -> "Approval expired";
            default -> event;
        };
        return what + ": " + tool + (environment == null ? "" : " in " + environment);
    }

    /** Who may approve, for a human: {@code 2 of role sre-lead or ops; not the requester}. */
    public String whoMayApprove() {
        return minApprovals + " approval(s) from "
                + (approverRoles.isEmpty()
                        ? "nobody (no approver roles)"
                        : "role " + String.join(" or ", approverRoles))
                + (selfApproval ? "" : "; not " + requester);
    }

    private static String text(JsonNode node) {
        return node == null || !node.isString() ? null : node.asString();
    }

    private static String join(String kind, String name) {
        if (kind == null) {
            return name;
        }
        return name == null ? kind : kind + " " + name;
    }
}
