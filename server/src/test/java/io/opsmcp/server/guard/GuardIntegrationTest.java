package io.opsmcp.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.approval.InBandApprover;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.GuardToolset;
import io.opsmcp.guard.policy.OpaPolicyEngine;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guard end to end through the gateway, with the shipped policy bundle and the embedded stores. Each test
 * fails if the guard is weakened: a replayed, altered, expired, self-granted or role-less approval must not run
 * the tool; one approval runs exactly one call under concurrency; a policy engine that is down or answers
 * garbage denies; an audit store that cannot be written refuses mutations.
 */
class GuardIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");
    private static final Principal BOB = new Principal("bob", Set.of("sre-lead"), "local");
    private static final Principal CAROL = new Principal("carol", Set.of("sre"), "local");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Stores stores;

    /** A clock tests can move forward. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A restart of a unit on a prod host, and a read of the same host. */
    private final class ProdHostTools implements OpsToolset {
        @Override
        public String name() {
            return "hosts";
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public List<OpsTool> tools() {
            return List.of(
                    tool("restart_unit", ToolAnnotations.mutating(true), restarts, "prod", "prod-web"),
                    tool("read_unit", ToolAnnotations.readOnly(), reads, "prod", "prod-web"),
                    tool("restart_staging_unit", ToolAnnotations.mutating(true), restarts, "staging", "staging-web"));
        }

        private OpsTool tool(
                String name, ToolAnnotations annotations, AtomicInteger counter, String env, String group) {
            ObjectNode schema = (ObjectNode) JSON.readTree("""
                    {"type":"object","additionalProperties":false,"required":["unit"],
                     "properties":{"unit":{"type":"string","pattern":"^[a-z]+$"}}}""");
            ToolDefinition def = new ToolDefinition(name, name, "Test tool on a prod host.", schema, null, annotations);
            return new OpsTool() {
                @Override
                public ToolDefinition definition() {
                    return def;
                }

                @Override
                public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
                    String unit = args.get("unit").asString();
                    ChangePreview change = annotations.readOnlyHint()
                            ? null
                            : new ChangePreview("restart " + unit + " on web-1", null, null);
                    return new ActionDescriptor(
                            "host", "host", env, "web-1", Map.of("host_group", group, "unit", unit), change);
                }

                @Override
                public ToolResult execute(ObjectNode args, ToolContext ctx) {
                    counter.incrementAndGet();
                    return ToolResult.ok(name + " " + args.get("unit").asString() + " done");
                }
            };
        }
    }

    private ToolGateway gateway(PolicyEngine policy) {
        if (stores == null) {
            stores = Stores.open(null, dataDir, Map.of(), clock);
            closeables.add(stores);
        }
        ApprovalService approvals = new ApprovalService(stores.approvals(), clock);
        ToolGateway gateway = new ToolGateway(
                List.of(new ProdHostTools(), new GuardToolset(approvals, stores.audit(), policy, List.of(), JSON)),
                new ArgumentValidator(),
                new ResultLimiter(65536),
                new Guard(policy, approvals, stores.audit(), clock),
                new Redactor(),
                Duration.ofSeconds(10),
                clock);
        closeables.add(0, gateway);
        return gateway;
    }

    private ToolGateway gateway() {
        return gateway(EmbeddedPolicyEngine.defaultBundle());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static ToolResult call(ToolGateway g, Principal who, String tool, String unit, String approvalId) {
        ObjectNode args = JSON.createObjectNode().put("unit", unit);
        if (approvalId != null) {
            args.put("approval_id", approvalId);
        }
        return g.call(new ToolGateway.Call(tool, args, who, "req", null, null));
    }

    /** Asks for a restart of nginx as alice and returns the approval id from the pending result. */
    private static String requestApproval(ToolGateway g, String unit) {
        ToolResult pending = call(g, ALICE, "restart_unit", unit, null);
        assertThat(pending.error()).as(pending.text()).isFalse();
        assertThat(pending.text()).startsWith("Approval required");
        return pending.structuredContent().get("approval_id").asString();
    }

    private void approve(String id, Principal who) {
        new ApprovalService(stores.approvals(), clock)
                .vote(id, who.id(), List.copyOf(who.roles()), true, null, clock.instant());
    }

    @Test
    void approvedCallRunsOnceAndAReplayIsRefused() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        assertThat(restarts).hasValue(0);
        ToolResult early = call(g, ALICE, "restart_unit", "nginx", id);
        assertThat(early.text()).contains("still pending");
        assertThat(restarts).hasValue(0);

        approve(id, BOB);
        ToolResult status = g.call(new ToolGateway.Call(
                "approval_status", JSON.createObjectNode().put("approval_id", id), ALICE, "req", null, null));
        assertThat(status.error()).as(status.text()).isFalse();
        assertThat(status.text()).contains("Approved by bob");
        ToolResult ran = call(g, ALICE, "restart_unit", "nginx", id);
        assertThat(ran.error()).as(ran.text()).isFalse();
        assertThat(ran.text()).isEqualTo("restart_unit nginx done");
        assertThat(restarts).hasValue(1);

        ToolResult replay = call(g, ALICE, "restart_unit", "nginx", id);
        assertThat(replay.error()).isTrue();
        assertThat(replay.text()).contains("already used");
        assertThat(restarts).hasValue(1);
        assertThat(stores.audit().verify().ok()).isTrue();
    }

    @Test
    void approvalDoesNotCoverChangedArgumentsAnotherToolOrAnotherCaller() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        approve(id, BOB);
        ToolResult changed = call(g, ALICE, "restart_unit", "postgres", id);
        assertThat(changed.error()).isTrue();
        assertThat(changed.text()).contains("different arguments");
        ToolResult otherCaller = call(g, CAROL, "restart_unit", "nginx", id);
        assertThat(otherCaller.error()).isTrue();
        assertThat(otherCaller.text()).contains("requested by alice");
        assertThat(restarts).hasValue(0);
    }

    @Test
    void expiredApprovalIsRefused() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        approve(id, BOB);
        clock.advance(Duration.ofHours(2));
        ToolResult late = call(g, ALICE, "restart_unit", "nginx", id);
        assertThat(late.error()).isTrue();
        assertThat(late.text()).contains("expired");
        assertThat(restarts).hasValue(0);
    }

    @Test
    void requesterCannotApproveTheirOwnProdChange() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        Principal aliceAsLead = new Principal("alice", Set.of("sre-lead"), "local");
        assertThatThrownBy(() -> approve(id, aliceAsLead)).isInstanceOf(ApprovalException.class);
        assertThat(stores.approvals().find(id).orElseThrow().status()).isEqualTo(Approval.Status.PENDING);
        assertThat(call(g, ALICE, "restart_unit", "nginx", id).text()).contains("still pending");
        assertThat(restarts).hasValue(0);
    }

    @Test
    void approverWithoutTheApproverRoleIsRefused() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        assertThatThrownBy(() -> approve(id, CAROL)).isInstanceOf(ApprovalException.class);
        assertThat(call(g, ALICE, "restart_unit", "nginx", id).text()).contains("still pending");
        assertThat(restarts).hasValue(0);
    }

    @Test
    void oneApprovalRunsExactlyOneOfManyConcurrentCalls() throws Exception {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        approve(id, BOB);
        int callers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ToolResult>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Callable<ToolResult> task = () -> {
                start.await();
                return call(g, ALICE, "restart_unit", "nginx", id);
            };
            results.add(pool.submit(task));
        }
        start.countDown();
        int ok = 0;
        for (Future<ToolResult> f : results) {
            if (!f.get(60, TimeUnit.SECONDS).error()) {
                ok++;
            }
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(1);
        assertThat(restarts).hasValue(1);
    }

    private static ToolResult callAsking(
            ToolGateway g, Principal who, String tool, InBandApprover.Answer answer, AtomicInteger asked) {
        InBandApprover approver = message -> {
            asked.incrementAndGet();
            return answer;
        };
        return g.call(new ToolGateway.Call(
                tool, JSON.createObjectNode().put("unit", "nginx"), who, "req", null, null, approver));
    }

    @Test
    void inBandSelfApprovalWhereThePolicyAllowsIt() {
        ToolGateway g = gateway();
        AtomicInteger asked = new AtomicInteger();
        ToolResult declined = callAsking(g, ALICE, "restart_staging_unit", InBandApprover.Answer.NOT_APPROVED, asked);
        assertThat(declined.text()).startsWith("Approval required");
        assertThat(restarts).hasValue(0);

        ToolResult approved = callAsking(g, ALICE, "restart_staging_unit", InBandApprover.Answer.APPROVED, asked);
        assertThat(approved.error()).as(approved.text()).isFalse();
        assertThat(approved.text()).isEqualTo("restart_staging_unit nginx done");
        assertThat(restarts).hasValue(1);
        assertThat(asked).hasValue(2);

        // prod never allows self-approval: the client is not even asked
        ToolResult prod = callAsking(g, ALICE, "restart_unit", InBandApprover.Answer.APPROVED, asked);
        assertThat(prod.text()).startsWith("Approval required");
        assertThat(asked).hasValue(2);
        assertThat(restarts).hasValue(1);
        assertThat(stores.audit().verify().ok()).isTrue();
    }

    @Test
    void policyEngineDownOrAnsweringGarbageDenies() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ToolGateway down = gateway(new OpaPolicyEngine("http://127.0.0.1:" + closedPort, Duration.ofMillis(500)));
        ToolResult r1 = call(down, ALICE, "read_unit", "nginx", null);
        assertThat(r1.error()).isTrue();
        assertThat(r1.text()).contains(Decision.UNAVAILABLE);

        WireMockServer opa = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        opa.start();
        closeables.add(opa::stop);
        opa.stubFor(WireMock.post(OpaPolicyEngine.DECISION_PATH)
                .willReturn(WireMock.okJson("{\"result\": {\"allow\": \"yes please\"}}")));
        ToolGateway garbage = gateway(new OpaPolicyEngine(opa.baseUrl(), Duration.ofSeconds(10)));
        ToolResult r2 = call(garbage, ALICE, "read_unit", "nginx", null);
        assertThat(r2.error()).isTrue();
        assertThat(r2.text()).contains(Decision.INVALID);
        assertThat(reads).hasValue(0);
    }

    @Test
    void mutationsAreRefusedWhenTheAuditStoreCannotBeWritten() {
        ToolGateway g = gateway();
        String id = requestApproval(g, "nginx");
        approve(id, BOB);
        stores.close();
        ToolResult refused = call(g, ALICE, "restart_unit", "nginx", id);
        assertThat(refused.error()).isTrue();
        assertThat(refused.text()).contains("refused");
        assertThat(restarts).hasValue(0);
        ToolResult read = call(g, ALICE, "read_unit", "nginx", null);
        assertThat(read.error()).as(read.text()).isFalse();
        assertThat(reads).hasValue(1);
    }
}
