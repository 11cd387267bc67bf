package io.opsmcp.server.bench;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.VerifyResult;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.CallFacts;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyInput;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * The guard's added latency on an allowed read-only call (acceptance 4 of the guard issue). {@link #guarded}: the
 * call through {@link ToolGateway} with the real {@link Guard} — the shipped bundle in the embedded engine and the
 * embedded H2 stores in a temporary data directory. {@link #bypassed}: the same call through the same gateway,
 * whose guard has a policy engine that always allows and an audit store that writes nothing (this bypass exists
 * only here). The other benchmarks split the guard's work into its parts: the policy decision, the two
 * mutation-count queries, and one audit append. Commands and figures: {@code server/BENCHMARKS.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardLatencyBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");

    private Path dataDir;
    private Stores stores;
    private EmbeddedPolicyEngine engine;
    private ToolGateway guarded;
    private ToolGateway bypassed;
    private ToolGateway.Call call;
    private JsonNode policyInput;
    private AuditEvent auditEvent;
    private String resourceKey;

    /** One read-only tool on a prod host whose work is negligible, so the figures are the gateway's and guard's. */
    static final class ReadOnlyTools implements OpsToolset {
        private final OpsTool tool;

        ReadOnlyTools() {
            ObjectNode schema = (ObjectNode) JSON.readTree("""
                    {"type":"object","additionalProperties":false,"required":["unit"],
                     "properties":{"unit":{"type":"string","pattern":"^[a-z]+$"}}}""");
            ToolDefinition def = new ToolDefinition(
                    "read_unit", "read_unit", "Reads a unit's status.", schema, null, ToolAnnotations.readOnly());
            tool = new OpsTool() {
                @Override
                public ToolDefinition definition() {
                    return def;
                }

                @Override
                public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
                    return new ActionDescriptor(
                            "host",
                            "host",
                            "prod",
                            "web-1",
                            Map.of(
                                    "host_group",
                                    "prod-web",
                                    "unit",
                                    args.get("unit").asString()),
                            null);
                }

                @Override
                public ToolResult execute(ObjectNode args, ToolContext ctx) {
                    return ToolResult.ok(args.get("unit").asString() + " is active (running)");
                }
            };
        }

        @Override
        public String name() {
            return "hosts";
        }

        @Override
        public String description() {
            return "benchmark";
        }

        @Override
        public List<OpsTool> tools() {
            return List.of(tool);
        }
    }

    /** Allows everything: the guard's policy step bypassed. */
    static final class AllowAll implements PolicyEngine {
        private static final Decision ALLOW = new Decision.Allow(List.of("benchmark bypass"));

        @Override
        public Decision decide(JsonNode input) {
            return ALLOW;
        }

        @Override
        public String description() {
            return "allow-all (benchmark only)";
        }

        @Override
        public void close() {}
    }

    /** Records nothing: the guard's audit and history steps bypassed. */
    static final class NoAudit implements AuditStore {
        @Override
        public AuditEntry append(AuditEvent event, boolean forceToDisk) {
            return null;
        }

        @Override
        public List<AuditEntry> tail(int n) {
            return List.of();
        }

        @Override
        public void export(Writer out) {}

        @Override
        public VerifyResult verify() {
            return new VerifyResult(true, 0, null, null);
        }

        @Override
        public java.util.Optional<String> hashAt(long seq) {
            return java.util.Optional.empty();
        }

        @Override
        public long countMutationsOnResource(String resourceKey, Instant since) {
            return 0;
        }

        @Override
        public long countMutationsByPrincipal(String principal, Instant since) {
            return 0;
        }

        @Override
        public void close() {}
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Clock clock = Clock.systemUTC();
        dataDir = Files.createTempDirectory("ops-mcp-bench");
        stores = Stores.open(null, dataDir, Map.of(), clock);
        engine = EmbeddedPolicyEngine.defaultBundle();
        guarded = gateway(
                new Guard(engine, new ApprovalService(stores.approvals(), clock), stores.audit(), clock), clock);
        bypassed = gateway(
                new Guard(new AllowAll(), new ApprovalService(stores.approvals(), clock), new NoAudit(), clock), clock);
        call = new ToolGateway.Call(
                "read_unit", JSON.createObjectNode().put("unit", "nginx"), ALICE, "bench", null, null);
        for (ToolGateway g : List.of(guarded, bypassed)) {
            ToolResult r = g.call(call);
            if (r.error() || !r.text().equals("nginx is active (running)")) {
                throw new IllegalStateException("the read-only call was not allowed: " + r.text());
            }
        }
        ObjectNode args = JSON.createObjectNode().put("unit", "nginx");
        ActionDescriptor action = new ReadOnlyTools().tools().get(0).describe(args, null);
        CallFacts facts = new CallFacts(
                ALICE,
                "bench",
                "read_unit",
                "hosts",
                true,
                false,
                false,
                args,
                args,
                action,
                null,
                clock.instant(),
                null);
        policyInput = PolicyInput.build(facts, null, Map.of(), 0, 0);
        if (!(engine.decide(policyInput) instanceof Decision.Allow)) {
            throw new IllegalStateException("the policy does not allow the benchmark call");
        }
        resourceKey = AuditEvent.resourceKey(PolicyInput.resource(action));
        auditEvent = AuditEvent.builder(clock.instant(), "alice", AuditEvent.Phase.SUCCEEDED)
                .requestId("bench")
                .auth("local")
                .tool("read_unit", "hosts")
                .resource(PolicyInput.resource(action))
                .args(args)
                .decision(AuditEvent.PolicyDecision.ALLOW, List.of("read-only"))
                .durationMs(1)
                .build();
    }

    private static ToolGateway gateway(Guard guard, Clock clock) {
        return new ToolGateway(
                List.of(new ReadOnlyTools()),
                new ArgumentValidator(),
                new ResultLimiter(65536),
                guard,
                new Redactor(),
                Duration.ofSeconds(10),
                clock);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        guarded.close();
        bypassed.close();
        engine.close();
        stores.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The read-only call through the gateway with the real guard. */
    @Benchmark
    public ToolResult guarded() {
        return guarded.call(call);
    }

    /** The same call through the same gateway with the guard's policy and audit bypassed. */
    @Benchmark
    public ToolResult bypassed() {
        return bypassed.call(call);
    }

    /** Part of {@link #guarded}: the embedded engine's decision on the call's policy input. */
    @Benchmark
    public Decision policyDecision() {
        return engine.decide(policyInput);
    }

    /** Part of {@link #guarded}: the circuit-breaker history (mutations on the resource and by the principal). */
    @Benchmark
    public long mutationCounts() {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        return stores.audit().countMutationsOnResource(resourceKey, hourAgo)
                + stores.audit().countMutationsByPrincipal("alice", hourAgo);
    }

    /** Part of {@link #guarded}: one audit record appended (hash chain, commit, {@code CHECKPOINT SYNC}). */
    @Benchmark
    public AuditEntry auditAppend() {
        return stores.audit().append(auditEvent);
    }
}
