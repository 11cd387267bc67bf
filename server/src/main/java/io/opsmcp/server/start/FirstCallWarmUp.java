package io.opsmcp.server.start;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.policy.CallFacts;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyInput;
import io.opsmcp.toolkit.redact.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs, once and off the request path, the parts of a guarded read-only {@code tools/call} that have no side effect,
 * so the first real call finds their classes loaded and linked (issue 16: first guarded call ≤ 50 ms
 * after {@code initialize}): a policy decision on a read-only call's input, the guard's circuit-breaker count (a
 * read of the audit store), an audit record's hash and signed checkpoint (on a throw-away record, into a throw-away
 * directory it deletes), a rehearsal of the audit append's SQL in a transaction that is always rolled back, the
 * redaction of a result, and the JSON of a {@code CallToolResult} answer. Once each: repeating them so C1 compiles
 * their methods was measured to make the first call slower, not faster (the repeats and their compilations were still
 * running on the two cores when the call came; server/BENCHMARKS.md). It writes nothing of the server's: no audit record, no checkpoint in the data directory, no approval, no metric (the
 * raw engine, not the timed one), no log line unless it fails (at debug: a warm-up that fails costs the first call
 * its head start, nothing else). It stops between steps once a real call has begun ({@link RealCallSignal}): from
 * then on it would only share the cores with that call.
 */
public final class FirstCallWarmUp {

    private static final Logger log = LoggerFactory.getLogger(FirstCallWarmUp.class);

    private FirstCallWarmUp() {}

    /**
     * The whole warm-up, in the order a call takes: {@link #decide}, then {@link #callPath};
     * returns early, between steps, once {@code calls} says a real call has begun.
     *
     * @param engine  the policy engine itself (not the deferred or timed one: no metric, no signal)
     * @param audit   the audit store, for the circuit-breaker count (a read)
     * @param rehearse runs the audit append's statements for a record and rolls them back (the store's {@code
     *     rehearseAuditAppend}); writes nothing
     * @param caller  the identity real calls come with (over stdio the local one)
     */
    public static void run(
            PolicyEngine engine,
            AuditStore audit,
            java.util.function.Predicate<AuditEvent> rehearse,
            Redactor redactor,
            McpJsonMapper json,
            Principal caller,
            RealCallSignal calls) {
        if (calls.begun()) {
            return;
        }
        decide(engine, caller);
        if (calls.begun()) {
            return;
        }
        callPath(audit, redactor, json, caller, rehearse, calls);
    }

    /**
     * The policy part: one decision on the input a read-only call of a made-up tool by {@code caller} would give, its
     * answer ignored. {@code caller} is the identity real calls come with (over stdio the local one): a decision for
     * a principal without roles stops at the first denial and leaves the rules a permitted call reaches (the
     * environment scopes' {@code glob.match}, and with it re2j's ~40 classes and Unicode tables) to the first call.
     */
    public static void decide(PolicyEngine engine, Principal caller) {
        try {
            engine.decide(JsonNodeFactory.instance.objectNode());
            // as the guard decides a read: input.history deferred (the shipped policy does not read it for reads)
            engine.decide(PolicyInput.deferred(readOnlyCall(caller), null, Map.of(), () -> PolicyInput.history(0, 0)));
        } catch (RuntimeException e) {
            log.debug("policy warm-up decision failed: {}", e.toString());
        }
    }

    /**
     * The rest: the circuit-breaker count, a redaction, an answer's JSON, the scheduler the MCP SDK runs tool calls
     * on, the audit record's hash and checkpoint MAC computed on a throw-away record (pure functions: nothing reaches
     * the store, the chain or the checkpoint file), and the append's SQL rehearsed (rolled back).
     */
    static void callPath(
            AuditStore audit,
            Redactor redactor,
            McpJsonMapper json,
            Principal caller,
            java.util.function.Predicate<AuditEvent> rehearse,
            RealCallSignal calls) {
        try {
            CallFacts call = readOnlyCall(caller);
            audit.countMutations(
                    PolicyInput.resource(call.action()).toString(),
                    call.principal().id(),
                    call.now().minus(Duration.ofHours(1)));
            String text = redactor.redact(RESULT);
            json.writeValueAsString(answer(text));
            // The SDK runs every tools/call on this shared scheduler; created here, not by the first call.
            reactor.core.scheduler.Schedulers.boundedElastic();
            if (calls.begun()) {
                return;
            }
            auditRecord(call);
            if (calls.begun()) {
                return;
            }
            // The append's SQL (the head row's lock and updates, the insert): H2's code for them, ~15 ms on the
            // first call otherwise. Rolled back by the store whatever happens; skipped while an append runs.
            rehearse.test(event(call));
        } catch (RuntimeException | IOException e) {
            log.debug("call path warm-up failed: {}", e.toString());
        }
    }

    private static final String RESULT = "NAME  ADDRESS  STATUS\nwarm-up  127.0.0.1  ok password=warm-up\n";

    private static McpSchema.JSONRPCResponse answer(String text) {
        return McpSchema.JSONRPCResponse.result(
                0,
                McpSchema.CallToolResult.builder()
                        .content(List.of(new McpSchema.TextContent(text)))
                        .isError(false)
                        .build());
    }

    /**
     * What {@code JdbcAuditStore.append} does for a record besides its SQL, on a throw-away record: the chain hash
     * ({@link AuditEntry#computeHash}: canonical JSON, SHA-256) and the signed checkpoint ({@link AuditAnchor#record}:
     * the JCE provider's first HMAC-SHA256 lookup and its string concatenations' method handles, ~30 ms in the
     * interpreter). The checkpoint goes to a fresh private temporary directory under a throw-away key and is deleted
     * with it: the store, the chain, the data directory's checkpoint file and its key are not touched.
     */
    private static AuditEvent event(CallFacts call) {
        return AuditEvent.builder(call.now(), call.principal().id(), AuditEvent.Phase.SUCCEEDED)
                .requestId(call.requestId())
                .auth(call.principal().auth())
                .tool(call.tool(), call.toolset())
                .resource(PolicyInput.resource(call.action()))
                .args(call.redactedArgs())
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("warm-up"))
                .durationMs(1)
                .build();
    }

    private static void auditRecord(CallFacts call) throws IOException {
        AuditEvent event = event(call);
        String hash = AuditEntry.computeHash(AuditEntry.GENESIS_HASH, 1, event);
        Path scratch = Files.createTempDirectory("ops-mcp-warm-up"); // mode 0700 on POSIX file systems
        try {
            AuditAnchor anchor = AuditAnchor.open(
                    scratch, Map.of(AuditAnchor.KEY_ENV, "throw-away key of the first-call warm-up, not a secret"));
            try {
                anchor.record(new AuditEntry(1, event, AuditEntry.GENESIS_HASH, hash), false);
            } finally {
                anchor.close();
            }
        } finally {
            Files.deleteIfExists(scratch.resolve(AuditAnchor.FILE));
            Files.deleteIfExists(scratch);
        }
    }

    private static CallFacts readOnlyCall(Principal caller) {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        return new CallFacts(
                caller,
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
