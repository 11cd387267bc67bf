package io.opsmcp.server.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyEngines;
import io.opsmcp.server.gateway.TestToolsets;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.Deferred;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guard over the deferred policy and stores of a stdio server ({@link DeferredPolicyEngine},
 * {@link DeferredApprovalStore}, {@link DeferredAuditStore} on {@link Deferred}s whose opening fails for real: a
 * PostgreSQL that refuses connections, a bundle that does not compile). Every call through the gateway is answered,
 * none throws: a read and a change are refused quoting why (no tool runs), an unknown tool or invalid arguments get
 * their usual answer although nothing can record them. A policy engine that fails with something else while deciding
 * (a bug, whose message holds a secret) refuses the call without quoting it.
 */
class UnopenedBackendRefusesCallsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");

    @TempDir
    Path dataDir;

    private final AtomicInteger executions = new AtomicInteger();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A tool on a dev host that counts its runs. */
    private OpsTool tool(String name, ToolAnnotations annotations) {
        ObjectNode schema = (ObjectNode) JSON.readTree("""
                {"type":"object","additionalProperties":false,"required":["unit"],
                 "properties":{"unit":{"type":"string","pattern":"^[a-z]+$"}}}""");
        ToolDefinition def = new ToolDefinition(name, name, "Test tool on a dev host.", schema, null, annotations);
        return new OpsTool() {
            @Override
            public ToolDefinition definition() {
                return def;
            }

            @Override
            public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
                return ActionDescriptor.read("host", "host", "dev", "dev-web", Map.of("host_group", "dev-web"));
            }

            @Override
            public ToolResult execute(ObjectNode args, ToolContext ctx) {
                executions.incrementAndGet();
                return ToolResult.ok("ran");
            }
        };
    }

    /** What a lazily started server opens after its first answer, in one piece, as its runtime does. */
    private record Backend(Stores stores, PolicyEngine policy) implements AutoCloseable {
        @Override
        public void close() {
            try {
                policy.close();
            } finally {
                stores.close();
            }
        }
    }

    /**
     * The gateway a lazily started server has: policy, approvals and audit log from one {@link Deferred} that opens
     * {@code stores} and {@code policy} together (and fails when either fails).
     */
    private ToolGateway gateway(Supplier<Stores> stores, Supplier<PolicyEngine> policy) {
        Deferred<Backend> backend = new Deferred<>("store-and-policy", () -> {
            PolicyEngine engine = policy.get();
            try {
                return new Backend(stores.get(), engine);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        });
        closeables.add(backend);
        Guard guard = new Guard(
                new DeferredPolicyEngine(() -> backend.get().policy()),
                new ApprovalService(
                        new DeferredApprovalStore(() -> backend.get().stores().approvals()), Clock.systemUTC()),
                new DeferredAuditStore(() -> backend.get().stores().audit()),
                Clock.systemUTC());
        ToolGateway gateway = new ToolGateway(
                List.of(TestToolsets.of(
                        "hosts",
                        tool("read_unit", ToolAnnotations.readOnly()),
                        tool("restart_unit", ToolAnnotations.mutating(true)))),
                new ArgumentValidator(),
                new ResultLimiter(65536),
                guard,
                new Redactor(),
                Duration.ofSeconds(30),
                Clock.systemUTC());
        closeables.add(gateway);
        return gateway;
    }

    private static ToolResult call(ToolGateway gateway, String tool, String args) {
        return gateway.call(new ToolGateway.Call(tool, JSON.readTree(args), ALICE, "req_" + tool, null, null));
    }

    @Test
    void anUnreachableStoreRefusesEveryCallQuotingTheStore() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        JsonNode settings = JSON.readTree("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://127.0.0.1:" + closedPort
                + "/opsmcp\",\"user\":\"ops\",\"password_env\":\"DB_PW\"}");
        ToolGateway gateway = gateway(
                () -> Stores.open(settings, dataDir, Map.of("DB_PW", "s3cret-pw-4713"), Clock.systemUTC()),
                EmbeddedPolicyEngine::defaultBundle);

        for (String tool : List.of("read_unit", "restart_unit")) {
            ToolResult result = call(gateway, tool, "{\"unit\":\"nginx\"}");
            assertThat(result.error()).as(tool).isTrue();
            assertThat(result.text())
                    .startsWith("Refused, nothing was run: ops-mcp cannot decide or audit calls because its store or"
                            + " policy did not open: store: cannot connect to jdbc:postgresql://127.0.0.1:"
                            + closedPort + "/opsmcp as ops: ")
                    .endsWith("Every call is refused until the operator fixes this and restarts the server.")
                    .doesNotContain("s3cret-pw-4713", "\tat ");
        }
        assertThat(executions.get()).as("no tool ran").isZero();

        // stopped before the guard decides: answered as ever, though nothing can record them
        assertThat(call(gateway, "no_such_tool", "{}").text()).startsWith("Unknown tool 'no_such_tool'");
        assertThat(call(gateway, "read_unit", "{\"unit\":\"NGINX;id\"}").text())
                .startsWith("Invalid arguments for read_unit");
        assertThat(executions.get()).isZero();
    }

    @Test
    void aBundleThatDoesNotCompileRefusesEveryCallNamingTheFileAndLine() throws Exception {
        Path bundle = Files.createDirectories(dataDir.resolve("bundle/opsmcp"));
        Files.writeString(bundle.resolve("authz.rego"), "package opsmcp.authz\n\ndecision := {\"allow\": \n");
        JsonNode policy = JSON.readTree("{\"bundle_dir\":\"" + bundle.getParent() + "\"}");
        ToolGateway gateway =
                gateway(() -> Stores.open(null, dataDir.resolve("data")), () -> PolicyEngines.create(policy, dataDir));

        for (String tool : List.of("read_unit", "restart_unit")) {
            ToolResult result = call(gateway, tool, "{\"unit\":\"nginx\"}");
            assertThat(result.error()).as(tool).isTrue();
            assertThat(result.text())
                    .contains("policy.bundle_dir: the bundle at " + bundle.getParent())
                    .containsPattern("authz\\.rego:\\d+");
        }
        assertThat(executions.get()).as("no tool ran").isZero();
    }

    @Test
    void anEngineThatFailsWhileDecidingRefusesWithoutQuotingItsMessage() {
        PolicyEngine failing = new PolicyEngine() {
            @Override
            public Decision decide(JsonNode input) {
                throw new IllegalStateException("evaluator bug near password=hunter2");
            }

            @Override
            public String description() {
                return "failing";
            }

            @Override
            public void close() {}
        };
        Path data = dataDir.resolve("data");
        ToolGateway gateway = gateway(() -> Stores.open(null, data), () -> failing);

        for (String tool : List.of("read_unit", "restart_unit")) {
            ToolResult result = call(gateway, tool, "{\"unit\":\"nginx\"}");
            assertThat(result.error()).as(tool).isTrue();
            assertThat(result.text())
                    .isEqualTo("This call could not be decided, so it was refused and nothing was run (an internal"
                            + " error in the guard; the server log has the details).");
        }
        assertThat(executions.get()).as("no tool ran").isZero();
    }

    /** A store exception still: what answers "store unavailable" (a webhook's 503) answers it for this too. */
    @Test
    void aStoreThatNeverOpenedFailsItsUsersWithAStoreExceptionQuotingIt() {
        Deferred<Stores> store = new Deferred<>("store", () -> {
            throw new io.opsmcp.guard.StoreException("store: the embedded file is held by another process", null);
        });
        DeferredAuditStore audit = new DeferredAuditStore(() -> store.get().audit());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> audit.append(
                        AuditEvent.builder(java.time.Instant.now(), "alice", AuditEvent.Phase.SUCCEEDED)
                                .build(),
                        false))
                .isInstanceOf(io.opsmcp.guard.GuardUnavailableException.class)
                .isInstanceOf(io.opsmcp.guard.StoreException.class)
                .hasMessageContaining("store: the embedded file is held by another process");
    }
}
