package io.opsmcp.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's side of MCP cancellation: the client's cancellation fires the tool's clean-up and ends the call at
 * once; the audit says {@code cancelled}, or {@code cancelled_after_send} with what was sent when a change had
 * passed its point of no return ({@link MutatingTool}); a change cancelled before that point sends nothing.
 */
class GatewayCancellationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");
    private static final ActionDescriptor HOST =
            ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicInteger cleanUps = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();

    /** Runs until cancelled; its clean-up (what a tool does to kill its remote work) is counted. */
    private final class BlockingRead implements OpsTool {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition(
                    "wait_read", "Wait", "Waits. Until cancelled.", schema(), null, ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return HOST;
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            CountDownLatch stop = new CountDownLatch(1);
            try (AutoCloseable ignored = ctx.cancellation().onCancel(() -> {
                cleanUps.incrementAndGet();
                stop.countDown();
            })) {
                started.countDown();
                stop.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
            return ToolResult.ok("finished");
        }
    }

    /** A change that sends its request, then waits (a deployment waiter) until cancelled. */
    private final class SendThenWait extends MutatingTool<String> {
        SendThenWait() {
            super(new ToolDefinition(
                    "restart_web",
                    "Restart",
                    "Restarts. Then waits.",
                    schema(),
                    null,
                    ToolAnnotations.mutating(false)));
        }

        @Override
        protected PlannedChange<String> plan(ObjectNode args, ToolContext ctx) {
            return new PlannedChange<>(
                    new ActionDescriptor(
                            "host",
                            "host",
                            "dev",
                            "web-1",
                            Map.of("host_group", "sandbox"),
                            new ChangePreview("restart web", JSON.createObjectNode(), JSON.createObjectNode(), false)),
                    "web");
        }

        @Override
        protected ToolResult apply(PlannedChange<String> plan, ObjectNode args, ToolContext ctx) {
            sent.incrementAndGet();
            started.countDown();
            while (!ctx.stopRequested()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return ToolResult.ok("restarted; wait stopped");
        }
    }

    private static ObjectNode schema() {
        return (ObjectNode) JSON.readTree("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}");
    }

    @BeforeEach
    void start() {
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        OpsToolset toolset = TestToolsets.of("hosts", new BlockingRead(), new SendThenWait());
        gateway = TestGateways.of(toolset, stores, Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        gateway.close();
        stores.close();
    }

    private CompletableFuture<ToolResult> call(String tool, ToolContext.Cancellation cancellation) {
        return CompletableFuture.supplyAsync(() -> gateway.call(
                new ToolGateway.Call(tool, JSON.createObjectNode(), ALICE, "req_c", null, null, null, cancellation)));
    }

    private JsonNode lastAudit() {
        var tail = stores.audit().tail(1);
        return tail.get(0).toJson();
    }

    @Test
    void aCancelledReadRunsItsCleanUpEndsAtOnceAndIsAuditedAsCancelled() throws Exception {
        CancellationSignal client = new CancellationSignal();
        CompletableFuture<ToolResult> result = call("wait_read", client);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        client.cancel();
        ToolResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo("wait_read was cancelled by the client.");
        assertThat(cleanUps).hasValue(1);
        JsonNode audit = lastAudit();
        assertThat(audit.get("tool").asString()).isEqualTo("wait_read");
        assertThat(audit.get("phase").asString()).isEqualTo("cancelled");
    }

    @Test
    void aChangeCancelledAfterItsRequestWasSentIsReportedAsSent() throws Exception {
        CancellationSignal client = new CancellationSignal();
        CompletableFuture<ToolResult> result = call("restart_web", client);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        client.cancel();
        ToolResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("cancelled after the change was sent (restart web on host web-1)");
        assertThat(sent).hasValue(1);
        JsonNode audit = lastAudit();
        assertThat(audit.get("phase").asString()).isEqualTo("cancelled_after_send");
        assertThat(audit.get("error").asString()).contains("restart web on host web-1");
    }

    @Test
    void aChangeCancelledBeforeItsPointOfNoReturnSendsNothing() throws Exception {
        CancellationSignal client = new CancellationSignal();
        client.cancel();
        ToolResult r = call("restart_web", client).get(10, TimeUnit.SECONDS);
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo("restart_web was cancelled by the client.");
        assertThat(sent).hasValue(0);
        assertThat(lastAudit().get("phase").asString()).isEqualTo("cancelled");
    }
}
