package io.opsmcp.notify;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON body each {@link NotificationSettings.Format} sends for one {@link ApprovalNotice}. Text that came from
 * callers or tools (tool arguments shape the change summary and resource names) is escaped for the target's markup,
 * so it cannot add links, mentions ({@code <!channel>}) or formatting to the message.
 */
final class Payloads {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Payloads() {}

    static ObjectNode body(NotificationSettings.Format format, ApprovalNotice n, String deliveryId) {
        return switch (format) {
            case WEBHOOK -> webhook(n, deliveryId);
            case SLACK -> slack(n);
            case TEAMS -> teams(n);
        };
    }

    /**
     * The generic webhook: {@code {"id", "type", "time", "approval": {…}}}, the approval's fields snake_case (as
     * {@code GET /approvals/{id}} shows them).
     */
    static ObjectNode webhook(ApprovalNotice n, String deliveryId) {
        ObjectNode body = JSON.objectNode();
        body.put("id", deliveryId);
        body.put("type", n.event());
        body.put("time", n.at().toString());
        ObjectNode a = body.putObject("approval");
        a.put("approval_id", n.approvalId());
        a.put("status", n.status());
        a.put("tool", n.tool());
        a.put("environment", n.environment());
        a.put("resource", n.resource());
        a.put("change", n.change());
        a.put("requester", n.requester());
        a.put("reasons", n.reasons());
        ArrayNode roles = a.putArray("approver_roles");
        n.approverRoles().forEach(roles::add);
        a.put("min_approvals", n.minApprovals());
        ArrayNode approvers = a.putArray("approvers");
        n.approvers().forEach(approvers::add);
        a.put("allow_self_approval", n.selfApproval());
        a.put("expires_at", n.expiresAt().toString());
        a.put("actor", n.actor());
        a.put("actor_reason", n.actorReason());
        a.put("url", n.link() == null ? null : n.link().toString());
        return body;
    }

    /**
     * Slack incoming webhook (api.slack.com/messaging/webhooks): {@code text} as the notification fallback and Block
     * Kit blocks (header, fields section, change as a code block, a button to the approval page). {@code &}, {@code <}
     * and {@code >} are escaped as Slack's "Formatting text" reference requires.
     */
    static ObjectNode slack(ApprovalNotice n) {
        ObjectNode body = JSON.objectNode();
        body.put("text", slackEscape(n.headline()));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        header.set("text", plain(n.headline()));
        ObjectNode fields = blocks.addObject();
        fields.put("type", "section");
        ArrayNode f = fields.putArray("fields");
        f.add(mrkdwn("*Tool*\n" + slackEscape(n.tool())));
        f.add(mrkdwn("*Environment*\n" + slackEscape(orDash(n.environment()))));
        f.add(mrkdwn("*Resource*\n" + slackEscape(orDash(n.resource()))));
        f.add(mrkdwn("*Requested by*\n" + slackEscape(n.requester())));
        f.add(mrkdwn("*Who may approve*\n" + slackEscape(n.whoMayApprove())));
        f.add(mrkdwn("*Expires*\n" + n.expiresAt()));
        if (n.actor() != null) {
            f.add(mrkdwn("*By*\n" + slackEscape(n.actor())
                    + (n.actorReason() == null ? "" : ": " + slackEscape(n.actorReason()))));
        }
        ObjectNode reasons = blocks.addObject();
        reasons.put("type", "section");
        reasons.set("text", mrkdwn("*Why approval is needed*\n" + slackEscape(orDash(n.reasons()))));
        if (n.change() != null) {
            ObjectNode change = blocks.addObject();
            change.put("type", "section");
            change.set("text", mrkdwn("*Change*\n```" + slackEscape(n.change()).replace("`", "'") + "```"));
        }
        if (n.link() != null) {
            ObjectNode actions = blocks.addObject();
            actions.put("type", "actions");
            ObjectNode button = actions.putArray("elements").addObject();
            button.put("type", "button");
            button.set("text", plain("Open approval " + n.approvalId()));
            button.put("url", n.link().toString());
        }
        return body;
    }

    /**
     * Microsoft Teams (Workflows "post to a channel when a webhook request is received", and the older incoming
     * webhooks): a {@code message} with one Adaptive Card 1.4 attachment (learn.microsoft.com, "Create and send
     * messages" / adaptivecards.io schema): a title, a FactSet, the change, an {@code Action.OpenUrl}. Markdown
     * characters in the text are backslash-escaped (CommonMark), so caller text cannot add links.
     */
    static ObjectNode teams(ApprovalNotice n) {
        ObjectNode body = JSON.objectNode();
        body.put("type", "message");
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode items = card.putArray("body");
        ObjectNode title = items.addObject();
        title.put("type", "TextBlock");
        title.put("text", markdownEscape(n.headline()));
        title.put("weight", "Bolder");
        title.put("size", "Medium");
        title.put("wrap", true);
        ObjectNode facts = items.addObject();
        facts.put("type", "FactSet");
        ArrayNode list = facts.putArray("facts");
        fact(list, "Tool", n.tool());
        fact(list, "Environment", orDash(n.environment()));
        fact(list, "Resource", orDash(n.resource()));
        fact(list, "Change", orDash(n.change()));
        fact(list, "Requested by", n.requester());
        fact(list, "Why", orDash(n.reasons()));
        fact(list, "Who may approve", n.whoMayApprove());
        fact(list, "Expires", n.expiresAt().toString());
        if (n.actor() != null) {
            fact(list, "By", n.actor() + (n.actorReason() == null ? "" : ": " + n.actorReason()));
        }
        if (n.link() != null) {
            ObjectNode open = card.putArray("actions").addObject();
            open.put("type", "Action.OpenUrl");
            open.put("title", "Open approval");
            open.put("url", n.link().toString());
        }
        return body;
    }

    private static void fact(ArrayNode list, String title, String value) {
        ObjectNode fact = list.addObject();
        fact.put("title", title);
        fact.put("value", markdownEscape(value));
    }

    private static ObjectNode plain(String text) {
        ObjectNode t = JSON.objectNode();
        t.put("type", "plain_text");
        // header blocks allow 150 characters
        t.put("text", text.length() > 150 ? text.substring(0, 149) + "…" : text);
        return t;
    }

    private static ObjectNode mrkdwn(String text) {
        ObjectNode t = JSON.objectNode();
        t.put("type", "mrkdwn");
        t.put("text", text.length() > 3000 ? text.substring(0, 2999) + "…" : text);
        return t;
    }

    /** Slack's control characters: {@code &}, {@code <}, {@code >} (links, mentions, {@code <!channel>}). */
    static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** CommonMark backslash escapes for the characters that start links, emphasis, code and HTML. */
    static String markdownEscape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if ("\\`*_[]()<>#!|~".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String orDash(String text) {
        return text == null || text.isBlank() ? "-" : text;
    }
}
