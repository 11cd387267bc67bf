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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link OpsTool#describesLocally()} and {@link OpsTool#executesLocally()}: the gateway runs such a step on the
 * calling thread (no hand-off to a tool thread), and every way a call can end ends as it does for the same step run
 * on a tool thread: the same result for the client, the same audit phases and the same interrupt status left to the
 * caller — for a success, a tool error, a bug, a step that ends after the deadline (and one that then throws: the
 * deadline wins, as the hand-off stops waiting at it), a client that cancels during the step, a caller interrupted
 * during it, a client that cancelled before the call and a caller interrupted before it.
 */
class LocalStepTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");
    private static final ActionDescriptor HOST =
            ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));
    private static final List<String> MODES =
            List.of("ok", "missing", "crash", "slow", "slow_crash", "cancel", "interrupt");

    /** The step a tool runs by its mode, and may declare local. */
    enum Step {
        DESCRIBE,
        EXECUTE
    }

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    /** Tool name to the thread its describe (execute) ran on. */
    private final Map<String, String> describedOn = new ConcurrentHashMap<>();

    private final Map<String, String> executedOn = new ConcurrentHashMap<>();
    private final AtomicInteger executions = new AtomicInteger();
    /** The client's cancellation of the call in progress ({@code cancel} mode fires it) and the calling thread. */
    private volatile CancellationSignal signal;

    private volatile Thread caller;

    /**
     * Runs {@code step} as {@code mode} says: {@code ok}, {@code missing} (a tool error), {@code crash} (a bug),
     * {@code slow} (CPU past the 300 ms deadline, ignoring interrupts), {@code slow_crash} (the same, then a bug),
     * {@code cancel} (the client cancels meanwhile) or {@code interrupt} (the caller is interrupted meanwhile; waits
     * until the interrupt reached the step's thread, so the hand-off's outcome does not depend on which thread is
     * faster). The other step just succeeds. Named {@code <step>_local} or {@code <step>_remote}.
     */
    private final class ModeTool implements OpsTool {
        private final Step step;
        private final boolean local;
        private final String name;

        ModeTool(Step step, boolean local) {
            this.step = step;
            this.local = local;
            this.name = step.name().toLowerCase() + (local ? "_local" : "_remote");
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode schema = JSON.createObjectNode().put("type", "object").put("additionalProperties", false);
            schema.putObject("properties")
                    .putObject("mode")
                    .put("type", "string")
                    .set("enum", JSON.valueToTree(MODES));
            return new ToolDefinition(name, "Mode", "Runs one step by mode.", schema, null, ToolAnnotations.readOnly());
        }

        @Override
        public boolean describesLocally() {
            return local && step == Step.DESCRIBE;
        }

        @Override
        public boolean executesLocally() {
            return local && step == Step.EXECUTE;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            describedOn.put(name, Thread.currentThread().getName());
            if (step == Step.DESCRIBE) {
                run(args.path("mode").asString("ok"));
            }
            return HOST;
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            executions.incrementAndGet();
            executedOn.put(name, Thread.currentThread().getName());
            if (step == Step.EXECUTE) {
                run(args.path("mode").asString("ok"));
            }
            return ToolResult.ok("done");
        }

        private void run(String mode) {
            switch (mode) {
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
        OpsToolset toolset = TestToolsets.of(
                "hosts",
                new ModeTool(Step.DESCRIBE, true),
                new ModeTool(Step.DESCRIBE, false),
                new ModeTool(Step.EXECUTE, true),
                new ModeTool(Step.EXECUTE, false));
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
                tool, JSON.readTree("{\"mode\":\"" + mode + "\"}"), ALICE, "req_l", null, null, null, signal));
        return new Outcome(result, Thread.interrupted());
    }

    /** The phases the audit log recorded, oldest first. */
    private List<String> phases() {
        return stores.audit().tail(100).stream()
                .map(e -> ((JsonNode) e.toJson()).get("phase").asString())
                .toList();
    }

    private static String local(Step step) {
        return step.name().toLowerCase() + "_local";
    }

    private static String remote(Step step) {
        return step.name().toLowerCase() + "_remote";
    }

    @Test
    void aLocalStepRunsOnTheCallersThreadAndTheOtherStepOnAToolThread() {
        String here = Thread.currentThread().getName();
        for (Step step : Step.values()) {
            assertThat(call(local(step), "ok").result().text()).isEqualTo("done");
            assertThat(call(remote(step), "ok").result().text()).isEqualTo("done");
        }
        assertThat(describedOn.get("describe_local")).isEqualTo(here);
        assertThat(executedOn.get("describe_local")).startsWith("tool-call-");
        assertThat(describedOn.get("execute_local")).startsWith("tool-call-");
        assertThat(executedOn.get("execute_local")).isEqualTo(here);
        assertThat(describedOn.get("describe_remote")).startsWith("tool-call-");
        assertThat(executedOn.get("describe_remote")).startsWith("tool-call-");
        assertThat(describedOn.get("execute_remote")).startsWith("tool-call-");
        assertThat(executedOn.get("execute_remote")).startsWith("tool-call-");
    }

    static Stream<Arguments> stepsAndModes() {
        return Stream.of(Step.values()).flatMap(step -> MODES.stream().map(mode -> Arguments.of(step, mode)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stepsAndModes")
    void everyOutcomeIsTheSameAsWithTheHandOff(Step step, String mode) {
        Outcome local = call(local(step), mode);
        List<String> localPhases = phases();
        Outcome remote = call(remote(step), mode);
        List<String> all = phases();
        List<String> remotePhases = all.subList(localPhases.size(), all.size());

        assertThat(local.result().error()).isEqualTo(remote.result().error());
        assertThat(local.result().text().replace(local(step), "TOOL"))
                .isEqualTo(remote.result().text().replace(remote(step), "TOOL"));
        assertThat(localPhases).isEqualTo(remotePhases).isNotEmpty();
        assertThat(local.interrupted()).isEqualTo(remote.interrupted()).isEqualTo(mode.equals("interrupt"));
        // a describe that does not end well ends the call before execute
        boolean executed = step == Step.EXECUTE || mode.equals("ok");
        assertThat(executions).hasValue(executed ? 2 : 0);
        String last = localPhases.get(localPhases.size() - 1);
        String text = local.result().text();
        switch (mode) {
            case "missing" -> assertThat(text).isEqualTo("Not found: host web-9 is not configured");
            case "crash" -> assertThat(text).contains("internal error").doesNotContain("hunter2");
            case "slow", "slow_crash" -> {
                assertThat(text).contains("did not finish within");
                assertThat(last).isEqualTo("timeout");
            }
            case "cancel", "interrupt" -> {
                assertThat(text).isEqualTo(local(step) + " was cancelled by the client.");
                assertThat(last).isEqualTo("cancelled");
            }
            default -> assertThat(text).isEqualTo("done");
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aCallTheClientCancelledBeforeItRanIsCancelledWithoutRunning(Step step) {
        CancellationSignal cancelled = new CancellationSignal();
        cancelled.cancel();
        for (String tool : List.of(local(step), remote(step))) {
            ToolResult result = gateway.call(new ToolGateway.Call(
                    tool, JSON.readTree("{\"mode\":\"ok\"}"), ALICE, "req_l", null, null, null, cancelled));
            assertThat(result.text()).isEqualTo(tool + " was cancelled by the client.");
        }
        assertThat(executions).hasValue(0);
        assertThat(phases()).containsExactly("cancelled", "cancelled");
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aCallerInterruptedBeforeTheCallEndsItAsCancelledAndKeepsItsInterrupt(Step step) {
        for (String tool : List.of(local(step), remote(step))) {
            Thread.currentThread().interrupt();
            Outcome outcome = call(tool, "ok");
            assertThat(outcome.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
            assertThat(outcome.result().text()).isEqualTo(tool + " was cancelled by the client.");
        }
        assertThat(executions).hasValue(0);
        assertThat(phases()).containsExactly("cancelled", "cancelled");
    }
}
