package io.opsmcp.bench;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.CallFacts;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guard path of one read-only {@code tools/call}, part by part, as the server runs it: the shipped policy bundle
 * ({@link EmbeddedPolicyEngine#defaultBundle()}), the embedded H2 stores with their audit anchor in a temporary data
 * directory, and the redactor with the shipped toolsets' rules.
 *
 * <ul>
 *   <li>{@code guardCheck}: {@link Guard#check} of a read (the Rego decision; the circuit-breaker counts only if the
 *       policy reads {@code input.history}, which the shipped one does for changes only)
 *   <li>{@code auditAppend}: one outcome record of a read (hash, canonical JSON, insert, signed checkpoint; reads
 *       are not forced to disk)
 *   <li>{@code auditAppendForced}: the same record forced to disk, as a change's records are ({@code CHECKPOINT SYNC}
 *       and the checkpoint file's fsync); run it with {@code -t 8} to see concurrent appends share one forced write
 *   <li>{@code redactResult}: redaction of a {@code host_list}-like result, text and structured content
 *   <li>{@code gatewayCall}: {@link ToolGateway#call} end to end with a fixture tool returning that result
 *       (validation, describe and execute on the tool thread, check, redaction, audit)
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardPathBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "api-key");

    private Path dataDir;
    private Stores stores;
    private Guard guard;
    private ToolGateway gateway;
    private Redactor redactor;
    private CallFacts readFacts;
    private AuditEvent outcome;
    private ToolResult result;
    private JsonNode args;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dataDir = Files.createTempDirectory("guard-bench");
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        redactor = RedactionBenchmark.serverRedactor();
        guard = new Guard(
                EmbeddedPolicyEngine.defaultBundle(),
                new ApprovalService(stores.approvals(), Clock.systemUTC()),
                stores.audit(),
                Clock.systemUTC());
        result = hostList();
        gateway = new ToolGateway(
                List.of(new HostsToolset(result)),
                new ArgumentValidator(),
                new ResultLimiter(64 * 1024),
                guard,
                redactor,
                Duration.ofSeconds(30),
                Clock.systemUTC());
        args = JSON.readTree("{\"host_group\":\"web\"}");
        ObjectNode callArgs = (ObjectNode) args.deepCopy();
        ActionDescriptor action = HostListTool.ACTION;
        readFacts = new CallFacts(
                ALICE,
                "req-1",
                "host_list",
                "hosts",
                true,
                false,
                false,
                callArgs,
                redactor.redact(callArgs),
                action,
                null,
                Instant.now(),
                null);
        outcome = AuditEvent.builder(Instant.now(), ALICE.id(), AuditEvent.Phase.SUCCEEDED)
                .requestId("req-1")
                .auth(ALICE.auth())
                .tool("host_list", "hosts")
                .args(readFacts.redactedArgs())
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("read-only tool"))
                .durationMs(3)
                .resultDigest("0".repeat(64))
                .build();
        // the benchmarks measure the path of an allowed read: a denial would be recorded and forced to disk
        if (!(guard.check(readFacts) instanceof Guard.Verdict.Proceed)) {
            throw new IllegalStateException("the shipped policy does not allow the fixture read");
        }
        ToolResult answer = gatewayCall();
        if (answer.error() || !answer.text().equals(result.text())) {
            throw new IllegalStateException("the fixture call failed: " + answer.text());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        gateway.close();
        stores.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public Guard.Verdict guardCheck() {
        return guard.check(readFacts);
    }

    @Benchmark
    public Object auditAppend() {
        return stores.audit().append(outcome, false);
    }

    @Benchmark
    public Object auditAppendForced() {
        return stores.audit().append(outcome, true);
    }

    @Benchmark
    public Object redactResult() {
        return List.of(redactor.redact(result.text()), redactor.redact(result.structuredContent()));
    }

    @Benchmark
    public ToolResult gatewayCall() {
        return gateway.call(new ToolGateway.Call(
                "host_list", args, ALICE, "req-1", ToolContext.Progress.NONE, ToolContext.Log.NONE));
    }

    /** The sandbox's {@code host_list} answer for six hosts: a table and the same rows as JSON. */
    private static ToolResult hostList() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode rows = out.putArray("hosts");
        StringBuilder text =
                new StringBuilder("6 configured host(s):\nNAME     ADDRESS          USER    GROUP  ENVIRONMENT\n");
        String[][] hosts = {
            {"web-1", "10.0.1.11", "deploy", "web", "production"},
            {"web-2", "10.0.1.12", "deploy", "web", "production"},
            {"db-1", "10.0.2.21", "postgres", "database", "production"},
            {"cache-1", "10.0.3.7", "ops", "cache", "staging"},
            {"ci-1", "10.0.4.2", "runner", "ci", "staging"},
            {"bastion", "10.0.0.2", "ops", "edge", "production"}
        };
        for (String[] h : hosts) {
            ObjectNode row = rows.addObject();
            row.put("name", h[0]);
            row.put("address", h[1]);
            row.put("port", 22);
            row.put("user", h[2]);
            row.put("host_group", h[3]);
            row.put("environment", h[4]);
            text.append(String.format("%-8s %-16s %-7s %-6s %s%n", h[0], h[1] + ":22", h[2], h[3], h[4]));
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** A read-only tool that answers with a fixed result, as cheaply as a tool can. */
    private static final class HostListTool implements OpsTool {
        static final ActionDescriptor ACTION =
                ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));

        private final ToolDefinition definition = new ToolDefinition(
                "host_list",
                "List hosts",
                "Lists the configured hosts. Read-only.",
                (ObjectNode) JSON.readTree("""
                        {"type":"object","additionalProperties":false,
                         "properties":{"host_group":{"type":"string","pattern":"^[a-z0-9-]{1,64}$"}}}"""),
                null,
                ToolAnnotations.readOnly());
        private final ToolResult result;

        HostListTool(ToolResult result) {
            this.result = result;
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return ACTION;
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            return result;
        }
    }

    private static final class HostsToolset implements OpsToolset {
        private final List<OpsTool> tools;

        HostsToolset(ToolResult result) {
            this.tools = List.of(new HostListTool(result));
        }

        @Override
        public String name() {
            return "hosts";
        }

        @Override
        public String description() {
            return "fixture hosts";
        }

        @Override
        public List<OpsTool> tools() {
            return tools;
        }
    }
}
