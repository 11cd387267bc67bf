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
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.audit.VerifyResult;
import io.opsmcp.guard.gateway.CallAdmission;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.limits.PrincipalLimits;
import io.opsmcp.limits.RateLimitRule;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code rate_limits:} in the gateway, with the real guard, policy and (H2) audit store: a call over a limit never
 * runs, the client reads which limit and when to retry, the audit log has a {@code rate_limited} /
 * {@code concurrency_limited} record and its chain still verifies; concurrency slots come back on every way a call
 * ends.
 */
class RateLimitGatewayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Principal BOT = new Principal("ci-bot", Set.of("sre"), "api-key");
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "api-key");

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    /** The limiters' clock, moved by the tests. */
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private final AtomicInteger executions = new AtomicInteger();
    /** Permits for "block" calls to finish; each blocked call signals {@link #running}. */
    private final Semaphore finish = new Semaphore(0);

    private final Semaphore running = new Semaphore(0);

    /** A read-only tool: {@code ok}, {@code block} (until {@link #finish}, cancelled or interrupted) or {@code crash}. */
    private final class HoldTool implements OpsTool {
        private final String name;

        HoldTool(String name) {
            this.name = name;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode schema = (ObjectNode) JSON.readTree("""
                    {"type":"object","additionalProperties":false,
                     "properties":{"mode":{"type":"string","enum":["ok","block","crash"]}}}""");
            return new ToolDefinition(name, "Hold", "Holds. For tests.", schema, null, ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            executions.incrementAndGet();
            switch (args.path("mode").asString("ok")) {
                case "block" -> {
                    CountDownLatch cancelled = new CountDownLatch(1);
                    try (AutoCloseable ignored = ctx.cancellation().onCancel(cancelled::countDown)) {
                        running.release();
                        // bounded: ends when the test lets it, the client cancels or the gateway interrupts it
                        for (int i = 0; i < 300 && cancelled.getCount() > 0; i++) {
                            if (finish.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                break;
                            }
                        }
                    } catch (Exception e) {
                        Thread.currentThread().interrupt();
                    }
                    return ToolResult.ok("done");
                }
                case "crash" -> throw new IllegalStateException("tool bug");
                default -> {
                    return ToolResult.ok("ok");
                }
            }
        }
    }

    private ToolGateway gateway(String rules, Duration timeout) {
        return gateway(new PrincipalLimits(RateLimitRule.fromConfig(YAML.readTree(rules)), nanos::get, 1000), timeout);
    }

    private ToolGateway gateway(CallAdmission limits, Duration timeout) {
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        OpsToolset toolset = TestToolsets.of("hosts", new HoldTool("echo_status"), new HoldTool("host_hold"));
        gateway = new ToolGateway(
                List.of(toolset),
                new ArgumentValidator(),
                new ResultLimiter(65536),
                TestGateways.shippedGuard(stores),
                new Redactor(),
                timeout,
                Clock.systemUTC(),
                ToolGateway.DEFAULT_MAX_ARGUMENT_BYTES,
                limits,
                CallObserver.NONE);
        return gateway;
    }

    @AfterEach
    void close() {
        finish.release(100);
        if (gateway != null) {
            gateway.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    private ToolResult call(Principal who, String tool, String args) {
        return call(who, tool, args, null);
    }

    private ToolResult call(Principal who, String tool, String args, ToolContext.Cancellation cancellation) {
        return gateway.call(
                new ToolGateway.Call(tool, JSON.readTree(args), who, "req_rl", null, null, null, cancellation));
    }

    private CompletableFuture<ToolResult> callAsync(Principal who, String args, ToolContext.Cancellation c) {
        return CompletableFuture.supplyAsync(() -> call(who, "host_hold", args, c));
    }

    private List<JsonNode> audit() {
        return stores.audit().tail(10_000).stream()
                .map(e -> (JsonNode) e.toJson())
                .toList();
    }

    @Test
    void aBurstOverTheRateIsRefusedAuditedAndNeverRuns() {
        gateway("""
                rate_limits:
                  - tools: [echo_*]
                    calls: 3
                    per: 1m
                """, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            assertThat(call(BOT, "echo_status", "{}").error()).isFalse();
        }
        ToolResult refused = call(BOT, "echo_status", "{}");

        assertThat(refused.error()).isTrue();
        assertThat(refused.text())
                .isEqualTo("Rate limit: principal ci-bot may call echo_* at most 3 times per 1m (rule"
                        + " rate_limits[0]); retry in 60 s.");
        assertThat(executions).hasValue(3);
        JsonNode record = audit().get(audit().size() - 1);
        assertThat(record.get("phase").asString()).isEqualTo("rate_limited");
        assertThat(record.get("principal").asString()).isEqualTo("ci-bot");
        assertThat(record.get("tool").asString()).isEqualTo("echo_status");
        assertThat(record.get("toolset").asString()).isEqualTo("hosts");
        assertThat(record.get("request_id").asString()).isEqualTo("req_rl");
        assertThat(record.get("error").asString()).isEqualTo(refused.text());
        VerifyResult verify = stores.audit().verify();
        assertThat(verify.ok()).as(verify.message()).isTrue();

        // another principal is not touched by ci-bot's burst; tools outside the rule are not limited
        assertThat(call(ALICE, "echo_status", "{}").error()).isFalse();
        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();

        // and ci-bot's bucket refills after the period
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(call(BOT, "echo_status", "{}").error()).isFalse();
    }

    @Test
    void aFloodOfInvalidCallsIsBoundedAndItsRefusalsDoNotFloodTheAuditLog() {
        gateway("""
                rate_limits:
                  - tools: ["*"]
                    calls: 5
                    per: 1m
                """, Duration.ofSeconds(10));
        List<ToolResult> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(call(BOT, "echo_status", "{\"mode\":\"nonsense\"}"));
            results.add(call(BOT, "no_such_tool", "{}"));
        }
        assertThat(results).allSatisfy(r -> assertThat(r.error()).isTrue());
        List<String> phases =
                audit().stream().map(r -> r.get("phase").asString()).toList();
        // 5 calls got through to validation (each audited as invalid or unknown), 395 were refused: one record
        assertThat(phases).hasSize(6);
        assertThat(phases.subList(0, 5)).allMatch(p -> p.equals("invalid_arguments") || p.equals("unknown_tool"));
        assertThat(phases.get(5)).isEqualTo("rate_limited");

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        for (int i = 0; i < 6; i++) {
            call(BOT, "echo_status", "{}");
        }
        JsonNode next = audit().get(audit().size() - 1);
        assertThat(next.get("phase").asString()).isEqualTo("rate_limited");
        assertThat(next.get("error").asString())
                .endsWith(
                        "(394 earlier refusal(s) of this principal under rate_limits[0] were not recorded one by one)");
        assertThat(stores.audit().verify().ok()).isTrue();
    }

    @Test
    void nPlusOneParallelSlowCallsOneIsRefusedAndTheSlotsComeBack() throws Exception {
        gateway("""
                rate_limits:
                  - tools: [host_*]
                    concurrent: 2
                """, Duration.ofSeconds(30));
        CompletableFuture<ToolResult> first = callAsync(BOT, "{\"mode\":\"block\"}", null);
        CompletableFuture<ToolResult> second = callAsync(BOT, "{\"mode\":\"block\"}", null);
        assertThat(running.tryAcquire(2, 10, TimeUnit.SECONDS)).isTrue();

        ToolResult third = call(BOT, "host_hold", "{}");
        assertThat(third.error()).isTrue();
        assertThat(third.text())
                .isEqualTo("Concurrency limit: principal ci-bot may run at most 2 calls of host_* at a time (rule"
                        + " rate_limits[0]); retry when one of them has finished.");
        JsonNode record = audit().get(audit().size() - 1);
        assertThat(record.get("phase").asString()).isEqualTo("concurrency_limited");
        assertThat(call(ALICE, "host_hold", "{}").error())
                .as("another principal")
                .isFalse();

        finish.release(2);
        assertThat(first.get(10, TimeUnit.SECONDS).error()).isFalse();
        assertThat(second.get(10, TimeUnit.SECONDS).error()).isFalse();
        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();
        assertThat(stores.audit().verify().ok()).isTrue();
    }

    @Test
    void theSlotComesBackWhenTheCallTimesOut() throws Exception {
        gateway(ONE_AT_A_TIME, Duration.ofSeconds(1));
        ToolResult timedOut = callAsync(BOT, "{\"mode\":\"block\"}", null).get(20, TimeUnit.SECONDS);
        assertThat(timedOut.text()).contains("did not finish within");

        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();
    }

    @Test
    void theSlotComesBackWhenTheClientCancels() throws Exception {
        gateway(ONE_AT_A_TIME, Duration.ofSeconds(30));
        CancellationSignal client = new CancellationSignal();
        CompletableFuture<ToolResult> blocked = callAsync(BOT, "{\"mode\":\"block\"}", client);
        assertThat(running.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(call(BOT, "host_hold", "{}").text()).startsWith("Concurrency limit:");

        client.cancel();
        assertThat(blocked.get(10, TimeUnit.SECONDS).text()).isEqualTo("host_hold was cancelled by the client.");
        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();
    }

    @Test
    void theSlotComesBackWhenTheToolThrows() {
        gateway(ONE_AT_A_TIME, Duration.ofSeconds(30));
        assertThat(call(BOT, "host_hold", "{\"mode\":\"crash\"}").text()).contains("internal error");

        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();
    }

    @Test
    void theSlotComesBackWhenTheCallIsRefusedLater() {
        gateway(ONE_AT_A_TIME, Duration.ofSeconds(30));
        // invalid arguments, then denied by the policy (a principal without roles): both end before the tool runs
        assertThat(call(BOT, "host_hold", "{\"mode\":\"nonsense\"}").text()).startsWith("Invalid arguments");
        Principal nobody = new Principal("ci-bot", Set.of(), "api-key");
        assertThat(call(nobody, "host_hold", "{}").text()).startsWith("Denied by policy");

        assertThat(call(BOT, "host_hold", "{}").error()).isFalse();
    }

    @Test
    void aLimiterThatFailsRefusesTheCall() {
        gateway(
                (tool, principal) -> {
                    throw new IllegalStateException("limiter bug");
                },
                Duration.ofSeconds(10));
        ToolResult result = call(BOT, "echo_status", "{}");

        assertThat(result.error()).isTrue();
        assertThat(result.text()).startsWith("The rate limits could not be checked, so this call was refused");
        assertThat(executions).hasValue(0);
        assertThat(audit().get(0).get("phase").asString()).isEqualTo("rate_limited");
    }

    private static final String ONE_AT_A_TIME = """
            rate_limits:
              - tools: [host_*]
                concurrent: 1
            """;
}
