package io.opsmcp.server.http;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.server.auth.HttpAuthFilter;
import java.util.EnumSet;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The approvers' HTTP API, behind the same authentication as MCP:
 * {@code GET /approvals} (pending; {@code ?status=all} for every status), {@code GET /approvals/{id}},
 * {@code POST /approvals/{id}/approve} and {@code POST /approvals/{id}/deny} with an optional JSON body
 * {@code {"reason": "…"}}. The voter is the principal authenticated by its API key (the API is refused without
 * configured keys: no ambient authority, see {@link HttpAuthFilter}); its roles are checked against the
 * request's approver roles by the {@link ApprovalService}, as for the CLI and in-band votes.
 */
final class ApprovalsApi {

    private final ApprovalService approvals;
    private final JsonMapper json;

    ApprovalsApi(ApprovalService approvals, JsonMapper json) {
        this.approvals = approvals;
        this.json = json;
    }

    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/approvals", this::list)
                .GET("/approvals/{id}", this::show)
                .POST("/approvals/{id}/approve", request -> vote(request, true))
                .POST("/approvals/{id}/deny", request -> vote(request, false))
                .build();
    }

    private ServerResponse list(ServerRequest request) {
        boolean all = "all".equals(request.param("status").orElse("pending"));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        approvals
                .list(all ? EnumSet.allOf(Approval.Status.class) : EnumSet.of(Approval.Status.PENDING), 200)
                .forEach(a -> out.add(ApprovalService.status(a)));
        return ok(json.writeValueAsString(out));
    }

    private ServerResponse show(ServerRequest request) {
        return approvals
                .find(request.pathVariable("id"))
                .map(a -> ok(json.writeValueAsString(ApprovalService.status(a))))
                .orElseGet(() ->
                        error(HttpStatus.NOT_FOUND, "approval " + request.pathVariable("id") + " does not exist"));
    }

    private ServerResponse vote(ServerRequest request, boolean approve) throws Exception {
        Principal voter = (Principal) request.servletRequest().getAttribute(HttpAuthFilter.PRINCIPAL);
        if (voter == null) {
            return error(HttpStatus.UNAUTHORIZED, "not authenticated");
        }
        String reason = null;
        String body = request.body(String.class);
        if (body != null && !body.isBlank()) {
            tools.jackson.databind.JsonNode node;
            try {
                node = json.readTree(body);
            } catch (tools.jackson.core.JacksonException e) {
                return error(HttpStatus.BAD_REQUEST, "body: must be a JSON object such as {\"reason\": \"...\"}");
            }
            reason = node.path("reason").isString() ? node.get("reason").asString() : null;
        }
        try {
            String id = request.pathVariable("id");
            Approval after = approve ? approvals.approve(id, voter, reason) : approvals.deny(id, voter, reason);
            return ok(json.writeValueAsString(ApprovalService.status(after)));
        } catch (ApprovalException e) {
            return error(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    private static ServerResponse ok(String body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private ServerResponse error(HttpStatus status, String message) {
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsString(Map.of("error", status.name().toLowerCase(), "message", message)));
    }
}
