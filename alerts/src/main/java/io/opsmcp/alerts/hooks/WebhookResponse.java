package io.opsmcp.alerts.hooks;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a webhook request gets back: an HTTP status and a small JSON body. A refusal's body names the rule broken
 * ({@code {"error": "unauthorized", "message": "..."}}) and never echoes a credential.
 *
 * @param status HTTP status (200, 400, 401, 403, 404, 405, 413, 502, 503)
 * @param body   JSON object
 */
public record WebhookResponse(int status, ObjectNode body) {

    static WebhookResponse ok(ObjectNode body) {
        return new WebhookResponse(200, body);
    }

    static WebhookResponse error(int status, String error, String message) {
        return new WebhookResponse(
                status,
                JsonNodeFactory.instance.objectNode().put("error", error).put("message", message));
    }
}
