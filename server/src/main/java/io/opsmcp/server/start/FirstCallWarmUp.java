package io.opsmcp.server.start;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.policy.CallFacts;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyInput;
import io.opsmcp.toolkit.redact.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs, once and off the request path, the parts of a guarded read-only {@code tools/call} that have no side effect,
 * so the first real call finds their classes loaded and their code compiled (issue 16: first guarded call ≤ 50 ms
 * after {@code initialize}): a policy decision on a read-only call's input, the guard's circuit-breaker count (a
 * read of the audit store), the redaction of a result, and the JSON of a {@code CallToolResult} answer. It writes
 * nothing: no audit record, no approval, no metric (the raw engine, not the timed one), no log line unless it fails
 * (at debug: a warm-up that fails costs the first call its head start, nothing else).
 */
public final class FirstCallWarmUp {

    private static final Logger log = LoggerFactory.getLogger(FirstCallWarmUp.class);

    private FirstCallWarmUp() {}

    /** The policy part: one decision on the input a read-only call of a made-up tool would give, its answer ignored. */
    public static void decide(PolicyEngine engine) {
        try {
            engine.decide(JsonNodeFactory.instance.objectNode());
            engine.decide(PolicyInput.build(readOnlyCall(), null, Map.of(), 0, 0));
        } catch (RuntimeException e) {
            log.debug("policy warm-up decision failed: {}", e.toString());
        }
    }

    /** The rest: the circuit-breaker count, a redaction and an answer's JSON. */
    public static void callPath(AuditStore audit, Redactor redactor, McpJsonMapper json) {
        try {
            CallFacts call = readOnlyCall();
            audit.countMutations(
                    PolicyInput.resource(call.action()).toString(),
                    call.principal().id(),
                    call.now().minus(Duration.ofHours(1)));
            String text = redactor.redact("NAME  ADDRESS  STATUS\nwarm-up  127.0.0.1  ok password=warm-up\n");
            json.writeValueAsString(McpSchema.JSONRPCResponse.result(
                    0,
                    McpSchema.CallToolResult.builder()
                            .content(List.of(new McpSchema.TextContent(text)))
                            .isError(false)
                            .build()));
        } catch (RuntimeException | java.io.IOException e) {
            log.debug("call path warm-up failed: {}", e.toString());
        }
    }

    private static CallFacts readOnlyCall() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        return new CallFacts(
                new Principal("ops-mcp-warm-up", Set.of(), "local"),
                "warm-up",
                "warm_up",
                "warm-up",
                true,
                false,
                false,
                args,
                args,
                new ActionDescriptor("host", "host", null, "warm-up", Map.of(), null),
                null,
                Instant.now(),
                null);
    }
}
