package io.opsmcp.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.store.jdbc.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link OpsTool#describesLocally()}: the gateway runs such a tool's {@code describe} on the calling thread (no
 * hand-off), and every way a call can end ends as it does for the same tool described on a tool thread: the same
 * result for the client and the same audit phase, for a success, a describe that throws, one that ends after the
 * deadline, a client that cancelled before the call and a caller that was interrupted. {@code execute} still runs on
 * a tool thread (the deadline still stops it).
 */
class LocalDescribeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");
    private static final ActionDescriptor HOST =
            ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    /** Tool name to the threads its describe and execute ran on. */
    private final Map<String, String> describedOn = new ConcurrentHashMap<>();

    private final Map<String, String> executedOn = new ConcurrentHashMap<>();
    private final AtomicInteger executions = new AtomicInteger();

    /** Describes as {@code mode} says: {@code ok}, {@code missing}, {@code crash} or {@code slow} (past 300 ms). */
    private final class ModeTool implements OpsTool {
        private final String name;
        private final boolean local;

        ModeTool(String name, boolean local) {
            this.name = name;
            this.local = local;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode schema = (ObjectNode) JSON.readTree("""
                    {"type":"object","additionalProperties":false,
                     "properties":{"mode":{"type":"string","enum":["ok","missing","crash","slow"]}}}""");
            return new ToolDefinition(
                    name, "Mode", "Describes by mode. Then echoes.", schema, null, ToolAnnotations.readOnly());
        }

        @Override
        public boolean describesLocally() {
            return local;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            describedOn.put(name, Thread.currentThread().getName());
            switch (args.path("mode").asString("ok")) {
                case "missing" -> throw new ToolException(ToolException.Kind.NOT_FOUND, "host web-9 is not configured");
                case "crash" -> throw new IllegalStateException("bug with password=hunter2");
                case "slow" -> {
                    long end = System.nanoTime() + Duration.ofMillis(600).toNanos();
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait(); // a CPU-bound describe: nothing to interrupt
                    }
                }
                default -> {}
            }
            return HOST;
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            executions.incrementAndGet();
            executedOn.put(name, Thread.currentThread().getName());
            return ToolResult.ok("done");
        }
    }

    @BeforeEach
    void start() {
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        OpsToolset toolset =
                TestToolsets.of("hosts", new ModeTool("local_read", true), new ModeTool("remote_read", false));
        gateway = TestGateways.of(toolset, stores, Duration.ofMillis(300));
    }

    @AfterEach
    void close() {
        gateway.close();
        stores.close();
    }

    private ToolResult call(String tool, String mode, ToolContext.Cancellation cancellation) {
        return gateway.call(new ToolGateway.Call(
                tool, JSON.readTree("{\"mode\":\"" + mode + "\"}"), ALICE, "req_l", null, null, null, cancellation));
    }

    /** The phases the audit log recorded, oldest first. */
    private List<String> phases() {
        return stores.audit().tail(100).stream()
                .map(e -> ((JsonNode) e.toJson()).get("phase").asString())
                .toList();
    }

    @Test
    void aLocalDescribeRunsOnTheCallersThreadAndExecuteStillOnAToolThread() {
        String caller = Thread.currentThread().getName();
        assertThat(call("local_read", "ok", null).text()).isEqualTo("done");
        assertThat(call("remote_read", "ok", null).text()).isEqualTo("done");
        assertThat(describedOn.get("local_read")).isEqualTo(caller);
        assertThat(describedOn.get("remote_read")).startsWith("tool-call-");
        assertThat(executedOn.get("local_read")).startsWith("tool-call-");
        assertThat(executedOn.get("remote_read")).startsWith("tool-call-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "missing", "crash", "slow"})
    void everyOutcomeIsTheSameAsWithTheHandOff(String mode) {
        ToolResult local = call("local_read", mode, null);
        List<String> localPhases = phases();
        ToolResult remote = call("remote_read", mode, null);
        List<String> all = phases();
        List<String> remotePhases = all.subList(localPhases.size(), all.size());

        assertThat(local.error()).isEqualTo(remote.error());
        assertThat(local.text().replace("local_read", "TOOL"))
                .isEqualTo(remote.text().replace("remote_read", "TOOL"));
        assertThat(localPhases).isEqualTo(remotePhases).isNotEmpty();
        switch (mode) {
            case "missing" -> assertThat(local.text()).isEqualTo("Not found: host web-9 is not configured");
            case "crash" -> assertThat(local.text()).contains("internal error").doesNotContain("hunter2");
            case "slow" -> {
                assertThat(local.text()).contains("did not finish within");
                assertThat(localPhases).containsExactly("timeout");
            }
            default -> assertThat(local.text()).isEqualTo("done");
        }
        assertThat(executions).hasValue(mode.equals("ok") ? 2 : 0);
    }

    @Test
    void aCallTheClientCancelledBeforeItRanIsCancelledWithoutExecuting() {
        CancellationSignal cancelled = new CancellationSignal();
        cancelled.cancel();
        ToolResult local = call("local_read", "ok", cancelled);
        ToolResult remote = call("remote_read", "ok", cancelled);
        assertThat(local.text()).isEqualTo("local_read was cancelled by the client.");
        assertThat(remote.text()).isEqualTo("remote_read was cancelled by the client.");
        assertThat(executions).hasValue(0);
        assertThat(phases()).containsExactly("cancelled", "cancelled");
    }

    @Test
    void anInterruptedCallerEndsTheCallAsCancelled() {
        Thread.currentThread().interrupt();
        ToolResult local;
        try {
            local = call("local_read", "ok", null);
        } finally {
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
        }
        Thread.currentThread().interrupt();
        ToolResult remote;
        try {
            remote = call("remote_read", "ok", null);
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(local.text()).isEqualTo("local_read was cancelled by the client.");
        assertThat(remote.text()).isEqualTo("remote_read was cancelled by the client.");
        assertThat(executions).hasValue(0);
        assertThat(phases()).containsExactly("cancelled", "cancelled");
    }
}
