package io.opsmcp.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.gateway.CallAdmission;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.observe.ObservedCall;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ToolGatewayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", java.util.Set.of("sre"), "local");
    private static final Principal NOBODY = new Principal("mallory", java.util.Set.of(), "local");

    @TempDir
    Path dataDir;

    private ToolGateway gateway;
    private Stores stores;
    private final AtomicInteger executions = new AtomicInteger();
    /** What the gateway told its observer, in order. */
    private final List<ObservedCall> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The gateway's observer; a test may make it throw. */
    private CallObserver observer = observed::add;

    /** A test toolset whose tool echoes a unit name, or misbehaves on request. */
    private final class EchoTool implements OpsTool {
        private final ToolDefinition definition;

        EchoTool(String name, ToolAnnotations annotations) {
            ObjectNode schema = (ObjectNode) JSON.readTree("""
                    {"type":"object","additionalProperties":false,"required":["unit"],
                     "properties":{"unit":{"type":"string","pattern":"^[A-Za-z0-9@._:][A-Za-z0-9@._:-]*$"},
                                   "lines":{"type":"integer","minimum":1,"maximum":100},
                                   "mode":{"type":"string","enum":["ok","throw","crash","slow","big","secret"]}}}""");
            this.definition =
                    new ToolDefinition(name, "Echo", "Echoes a unit. Second sentence.", schema, null, annotations);
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            executions.incrementAndGet();
            String mode = args.path("mode").asString("ok");
            switch (mode) {
                case "throw" ->
                    throw new ToolException(ToolException.Kind.UNAVAILABLE, "host web-1 refused the connection");
                case "crash" -> throw new IllegalStateException("bug with password=hunter2");
                case "slow" -> {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ToolResult.ok("late");
                }
                case "big" -> {
                    return ToolResult.ok("x".repeat(10_000));
                }
                case "secret" -> {
                    return ToolResult.ok(
                            "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                            JSON.readTree("{\"token\":\"glpat-abcdefghijklmnopqrstuv\"}"));
                }
                default -> {
                    return ToolResult.ok(
                            "unit " + args.get("unit").asString(),
                            JSON.readTree("{\"unit\":\"" + args.get("unit").asString() + "\"}"));
                }
            }
        }
    }

    private ToolGateway gateway(Duration timeout, int maxBytes) {
        OpsToolset toolset = TestToolsets.of(
                "hosts",
                new EchoTool("echo_unit", ToolAnnotations.readOnly()),
                new EchoTool("restart_unit", ToolAnnotations.mutating(true)));
        gateway = new ToolGateway(
                List.of(toolset),
                new ArgumentValidator(),
                new ResultLimiter(maxBytes),
                guard(),
                new Redactor(),
                timeout,
                Clock.systemUTC(),
                ToolGateway.DEFAULT_MAX_ARGUMENT_BYTES,
                CallAdmission.UNLIMITED,
                call -> observer.callEnded(call));
        return gateway;
    }

    /** The real guard: the shipped policy bundle and the embedded (H2) stores in the test's directory. */
    private Guard guard() {
        if (stores == null) {
            stores = Stores.open(JSON.createObjectNode(), dataDir);
        }
        return new Guard(
                EmbeddedPolicyEngine.defaultBundle(),
                new ApprovalService(stores.approvals(), Clock.systemUTC()),
                stores.audit(),
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    private ToolResult call(ToolGateway g, String tool, String argsJson) {
        JsonNode args = argsJson == null ? null : JSON.readTree(argsJson);
        return g.call(
                new ToolGateway.Call(tool, args, ALICE, "req_1", ToolContext.Progress.NONE, ToolContext.Log.NONE));
    }

    private List<JsonNode> audit() {
        return stores.audit().tail(1000).stream()
                .map(e -> (JsonNode) e.toJson())
                .toList();
    }

    @Test
    void publishesApprovalIdOnMutatingToolsOnly() {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        assertThat(g.tools()).extracting(t -> t.definition().name()).containsExactly("echo_unit", "restart_unit");
        ToolDefinition restart = g.tools().get(1).published();
        assertThat(restart.inputSchema().get("properties").has(ToolGateway.APPROVAL_ID))
                .isTrue();
        assertThat(restart.outputSchema()).isNull();
        assertThat(g.tools().get(0).published().inputSchema().get("properties").has(ToolGateway.APPROVAL_ID))
                .isFalse();
    }

    @Test
    void deniesCallersThePolicyDoesNotKnow() {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        ToolResult result =
                g.call(new ToolGateway.Call("echo_unit", JSON.readTree("{\"unit\":\"a\"}"), NOBODY, "r", null, null));
        assertThat(result.error()).isTrue();
        assertThat(result.text()).startsWith("Denied by policy:");
        assertThat(executions).hasValue(0);
        assertThat(audit().get(0).get("phase").asString()).isEqualTo("denied");
    }

    @Test
    void runsAValidCallAndAuditsIt() throws Exception {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        ToolResult result = call(g, "echo_unit", "{\"unit\":\"nginx.service\",\"lines\":5}");
        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("unit nginx.service");
        assertThat(result.structuredContent().get("unit").asString()).isEqualTo("nginx.service");
        JsonNode line = audit().get(0);
        assertThat(line.get("principal").asString()).isEqualTo("alice");
        assertThat(line.get("tool").asString()).isEqualTo("echo_unit");
        assertThat(line.get("toolset").asString()).isEqualTo("hosts");
        assertThat(line.get("phase").asString()).isEqualTo("succeeded");
        assertThat(line.get("decision").asString()).isEqualTo("allow");
        assertThat(line.get("resource").get("name").asString()).isEqualTo("web-1");
        assertThat(line.get("args").get("unit").asString()).isEqualTo("nginx.service");
        assertThat(line.get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(line.get("result_digest").asString()).hasSize(64);
    }

    @Test
    void theObserverSeesEveryCallAsTheAuditLogRecordsIt() {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        call(g, "echo_unit", "{\"unit\":\"nginx.service\"}");
        g.call(new ToolGateway.Call("echo_unit", JSON.readTree("{\"unit\":\"a\"}"), NOBODY, "r2", null, null));
        call(g, "echo_unit", "{\"unit\":5}");
        call(g, "no_such_tool", "{}");
        call(g, "restart_unit", "{\"unit\":\"a\"}");
        call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"throw\"}");

        assertThat(observed).hasSize(6);
        // Each call's outcome is the phase of its last audit record (INTENT aside, which precedes the outcome).
        List<String> outcomes = audit().stream()
                .map(l -> l.get("phase").asString())
                .filter(phase -> !phase.equals("intent"))
                .toList();
        assertThat(observed).extracting(c -> c.outcome().wire()).containsExactlyElementsOf(outcomes);

        ObservedCall ok = observed.get(0);
        assertThat(ok.decision()).isEqualTo(ObservedCall.Decision.ALLOW);
        assertThat(ok.tool()).isEqualTo("echo_unit");
        assertThat(ok.toolset()).isEqualTo("hosts");
        assertThat(ok.principalId()).isEqualTo("alice");
        assertThat(ok.requestId()).isEqualTo("req_1");
        assertThat(ok.resource()).isEqualTo(new ObservedCall.Resource("host", "host", "dev", "web-1"));
        assertThat(ok.policy()).isPositive();
        assertThat(ok.audit()).isPositive();
        assertThat(ok.execution()).isPositive();
        assertThat(ok.total())
                .isGreaterThanOrEqualTo(ok.policy().plus(ok.audit()).plus(ok.execution()));

        ObservedCall denied = observed.get(1);
        assertThat(denied.decision()).isEqualTo(ObservedCall.Decision.DENY);
        assertThat(denied.principalId()).isEqualTo("mallory");
        assertThat(denied.policy()).isPositive();
        assertThat(denied.execution()).isZero();

        ObservedCall invalid = observed.get(2);
        assertThat(invalid.decision()).isEqualTo(ObservedCall.Decision.REJECTED);
        assertThat(invalid.outcome().wire()).isEqualTo("invalid_arguments");
        assertThat(invalid.policy()).isZero();
        assertThat(invalid.resource()).isNull();

        ObservedCall unknown = observed.get(3);
        assertThat(unknown.decision()).isEqualTo(ObservedCall.Decision.REJECTED);
        assertThat(unknown.known()).isFalse();

        ObservedCall mutation = observed.get(4);
        assertThat(mutation.decision())
                .isEqualTo(
                        mutation.outcome().wire().equals("pending")
                                ? ObservedCall.Decision.APPROVAL_REQUIRED
                                : mutation.outcome().wire().equals("denied")
                                        ? ObservedCall.Decision.DENY
                                        : ObservedCall.Decision.ALLOW);
        assertThat(observed.get(5).decision()).isEqualTo(ObservedCall.Decision.ALLOW);
        assertThat(observed.get(5).outcome().wire()).isEqualTo("failed");
    }

    @Test
    void aFailingObserverChangesNothing() {
        observer = call -> {
            throw new IllegalStateException("observer bug");
        };
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        ToolResult result = call(g, "echo_unit", "{\"unit\":\"nginx.service\"}");
        assertThat(result.error()).isFalse();
        assertThat(result.text()).isEqualTo("unit nginx.service");
        assertThat(audit()).extracting(l -> l.get("phase").asString()).containsExactly("succeeded");
    }

    @Test
    void rejectsInjectionAndWrongTypesBeforeAnythingRuns() throws Exception {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        for (String bad : List.of("nginx; rm -rf /", "$(id)", "`id`", "nginx\nid", "-x", "a b")) {
            ToolResult result = g.call(new ToolGateway.Call(
                    "echo_unit", JSON.createObjectNode().put("unit", bad), ALICE, "r", null, null));
            assertThat(result.error()).as(bad).isTrue();
            assertThat(result.text()).as(bad).contains("unit:").contains("rule: pattern");
        }
        assertThat(call(g, "echo_unit", "{\"unit\":5}").text())
                .contains("unit:")
                .contains("rule: type");
        assertThat(call(g, "echo_unit", "{}").text()).contains("unit: is required (rule: required)");
        assertThat(call(g, "echo_unit", null).text()).contains("unit: is required");
        assertThat(call(g, "echo_unit", "{\"unit\":\"a\",\"lines\":0}").text())
                .contains("lines:")
                .contains("rule: minimum");
        assertThat(call(g, "echo_unit", "{\"unit\":\"a\",\"shell\":\"sh\"}").text())
                .contains("shell: is not a parameter of this tool (rule: additionalProperties)");
        assertThat(executions).hasValue(0);
        assertThat(audit())
                .allSatisfy(line -> assertThat(line.get("phase").asString()).isEqualTo("invalid_arguments"));
    }

    @Test
    void toolErrorsAreResultsAndInternalErrorsHideDetails() throws Exception {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        ToolResult unavailable = call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"throw\"}");
        assertThat(unavailable.error()).isTrue();
        assertThat(unavailable.text()).isEqualTo("Unavailable: host web-1 refused the connection");
        ToolResult crash = call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"crash\"}");
        assertThat(crash.error()).isTrue();
        assertThat(crash.text()).contains("internal error").doesNotContain("hunter2", "IllegalState");
        assertThat(audit()).extracting(l -> l.get("phase").asString()).containsExactly("failed", "failed");
    }

    @Test
    void stopsCallsAtTheDeadline() throws Exception {
        ToolGateway g = gateway(Duration.ofMillis(300), 65536);
        ToolResult result = call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"slow\"}");
        assertThat(result.error()).isTrue();
        assertThat(result.text()).contains("did not finish within").contains("limits.tool_timeout_seconds");
        assertThat(audit().get(0).get("phase").asString()).isEqualTo("timeout");
    }

    @Test
    void truncatesLargeResultsWithAMarker() {
        ToolGateway g = gateway(Duration.ofSeconds(5), 2048);
        ToolResult result = call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"big\"}");
        assertThat(result.text()).startsWith("xxxx").endsWith("[truncated: 7952 bytes omitted]");
    }

    @Test
    void redactsSecretsInResultsAndAudit() throws Exception {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        ToolResult result = call(g, "echo_unit", "{\"unit\":\"a\",\"mode\":\"secret\"}");
        assertThat(result.text()).doesNotContain("wJalrXUtnFEMI").contains("[REDACTED]");
        assertThat(result.structuredContent().toString()).doesNotContain("glpat-");
        assertThat(audit().toString()).doesNotContain("wJalrXUtnFEMI", "glpat-");
    }

    @Test
    void servesConcurrentCalls() throws Exception {
        ToolGateway g = gateway(Duration.ofSeconds(5), 65536);
        int calls = 40;
        CountDownLatch done = new CountDownLatch(calls);
        AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < calls; i++) {
            int n = i;
            new Thread(() -> {
                        if (!call(g, "echo_unit", "{\"unit\":\"u" + n + "\"}").error()) {
                            ok.incrementAndGet();
                        }
                        done.countDown();
                    })
                    .start();
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ok).hasValue(calls);
        assertThat(audit()).hasSize(calls);
    }

    @Test
    void refusesTwoToolsetsWithTheSameToolName() {
        OpsToolset a = new OpsToolset() {
            public String name() {
                return "a";
            }

            public String description() {
                return "a";
            }

            public List<OpsTool> tools() {
                return List.of(new EchoTool("echo_unit", ToolAnnotations.readOnly()));
            }
        };
        OpsToolset b = new OpsToolset() {
            public String name() {
                return "b";
            }

            public String description() {
                return "b";
            }

            public List<OpsTool> tools() {
                return List.of(new EchoTool("echo_unit", ToolAnnotations.readOnly()));
            }
        };
        assertThatThrownBy(() -> new ToolGateway(
                        List.of(a, b),
                        new ArgumentValidator(),
                        new ResultLimiter(4096),
                        guard(),
                        new Redactor(),
                        Duration.ofSeconds(1),
                        Clock.systemUTC()))
                .hasMessageContaining("echo_unit is contributed by both toolset a and toolset b");
    }
}
