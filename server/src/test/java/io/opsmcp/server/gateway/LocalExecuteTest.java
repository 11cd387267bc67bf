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
 * {@link OpsTool#executesLocally()}: the gateway runs such a tool's {@code execute} on the calling thread (no
 * hand-off), and every way a call can end ends as it does for the same tool executed on a tool thread: the same
 * result for the client, the same audit phases and the same interrupt status left to the caller, for a success, an
 * execute that throws a tool error or a bug, one that ends after the deadline, a client that cancels during it and a
 * caller interrupted during it.
 */
class LocalExecuteTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");
    private static final ActionDescriptor HOST =
            ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    private final Map<String, String> executedOn = new ConcurrentHashMap<>();
    private final AtomicInteger executions = new AtomicInteger();
    /** The client's cancellation of the call in progress ({@code cancel} mode fires it) and the calling thread. */
    private volatile CancellationSignal signal;

    private volatile Thread caller;

    /**
     * Executes as {@code mode} says: {@code ok}, {@code missing} (a tool error), {@code crash} (a bug), {@code slow}
     * (CPU past the 300 ms deadline, ignoring interrupts), {@code slow_crash} (the same, then a bug: the deadline
     * wins, as with the hand-off, which stops waiting at the deadline), {@code cancel} (the client cancels
     * meanwhile) or {@code interrupt} (the caller is interrupted meanwhile; waits until the interrupt reached the
     * tool's thread, so the hand-off's outcome does not depend on which thread is faster).
     */
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
                    {"type":"object","additionalProperties":false,"properties":{"mode":{"type":"string",
                     "enum":["ok","missing","crash","slow","slow_crash","cancel","interrupt"]}}}""");
            return new ToolDefinition(
                    name, "Mode", "Describes. Then executes by mode.", schema, null, ToolAnnotations.readOnly());
        }

        @Override
        public boolean executesLocally() {
            return local;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return HOST;
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            executions.incrementAndGet();
            executedOn.put(name, Thread.currentThread().getName());
            switch (args.path("mode").asString("ok")) {
                case "missing" -> throw new ToolException(ToolException.Kind.NOT_FOUND, "host web-9 is not configured");
                case "crash" -> throw new IllegalStateException("bug with password=hunter2");
                case "slow" -> spin(Duration.ofMillis(600), false);
                case "slow_crash" -> {
                    spin(Duration.ofMillis(600), false);
                    throw new IllegalStateException("failed after the deadline");
                }
                case "cancel" -> signal.cancel();
                case "interrupt" -> {
                    caller.interrupt();
                    spin(Duration.ofSeconds(5), true);
                }
                default -> {}
            }
            return ToolResult.ok("done");
        }

        private static void spin(Duration length, boolean untilInterrupted) {
            long end = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < end
                    && !(untilInterrupted && Thread.currentThread().isInterrupted())) {
                Thread.onSpinWait();
            }
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
        Thread.interrupted();
        gateway.close();
        stores.close();
    }

    /** The result and whether the caller was left interrupted (cleared after). */
    private record Outcome(ToolResult result, boolean interrupted) {}

    private Outcome call(String tool, String mode) {
        signal = new CancellationSignal();
        caller = Thread.currentThread();
        ToolResult result = gateway.call(new ToolGateway.Call(
                tool, JSON.readTree("{\"mode\":\"" + mode + "\"}"), ALICE, "req_x", null, null, null, signal));
        return new Outcome(result, Thread.interrupted());
    }

    private List<String> phases() {
        return stores.audit().tail(100).stream()
                .map(e -> ((JsonNode) e.toJson()).get("phase").asString())
                .toList();
    }

    @Test
    void aLocalExecuteRunsOnTheCallersThreadAndAnotherOnAToolThread() {
        assertThat(call("local_read", "ok").result().text()).isEqualTo("done");
        assertThat(call("remote_read", "ok").result().text()).isEqualTo("done");
        assertThat(executedOn.get("local_read"))
                .isEqualTo(Thread.currentThread().getName());
        assertThat(executedOn.get("remote_read")).startsWith("tool-call-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "missing", "crash", "slow", "slow_crash", "cancel", "interrupt"})
    void everyOutcomeIsTheSameAsWithTheHandOff(String mode) {
        Outcome local = call("local_read", mode);
        List<String> localPhases = phases();
        Outcome remote = call("remote_read", mode);
        List<String> all = phases();
        List<String> remotePhases = all.subList(localPhases.size(), all.size());

        assertThat(local.result().error()).isEqualTo(remote.result().error());
        assertThat(local.result().text().replace("local_read", "TOOL"))
                .isEqualTo(remote.result().text().replace("remote_read", "TOOL"));
        assertThat(localPhases).isEqualTo(remotePhases).isNotEmpty();
        assertThat(local.interrupted()).isEqualTo(remote.interrupted()).isEqualTo(mode.equals("interrupt"));
        assertThat(executions).hasValue(2);
        String last = localPhases.get(localPhases.size() - 1);
        switch (mode) {
            case "missing" -> assertThat(local.result().text()).isEqualTo("Not found: host web-9 is not configured");
            case "crash" ->
                assertThat(local.result().text()).contains("internal error").doesNotContain("hunter2");
            case "slow", "slow_crash" -> {
                assertThat(local.result().text()).contains("did not finish within");
                assertThat(last).isEqualTo("timeout");
            }
            case "cancel", "interrupt" -> {
                assertThat(local.result().text()).isEqualTo("local_read was cancelled by the client.");
                assertThat(last).isEqualTo("cancelled");
            }
            default -> assertThat(local.result().text()).isEqualTo("done");
        }
    }
}
