package io.opsmcp.server.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link OpsMcpRuntime#startLazily}: the store (and with it the policy) is not opened on the start-up path, and a
 * guarded call made before the background start waits for both instead of running unguarded or unaudited.
 */
class LazyStartTest {

    @TempDir
    Path dataDir;

    @Test
    void theStoreOpensAfterStartAndTheFirstCallIsDecidedAndAudited() {
        OpsMcpConfig config = runbooksOverStdio(dataDir);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            assertThat(dataDir.resolve("ops-mcp.mv.db")).doesNotExist();

            ToolResult result = searchDisk(runtime, "req_lazy");

            assertThat(result.error()).as(result.text()).isFalse();
            assertThat(Files.exists(dataDir.resolve("ops-mcp.mv.db"))).isTrue();
            List<AuditEntry> audit = runtime.stores().audit().tail(5);
            assertThat(audit).anySatisfy(e -> assertThat(e.toJson().toString()).contains("runbook_search"));
        }
    }

    @Test
    void theFirstHostCallAfterALazyStartReachesTheSandboxSshServer() {
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(null, new ConfigLoader.Overrides("stdio", null, null, List.of("hosts"), true, "warn", dataDir));
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            // The host entry is complete before the SSH server runs: its known_hosts names the port clients use.
            assertThat(dataDir.resolve("sandbox/hosts/known_hosts")).exists();

            // No startInBackground(): the first connection itself starts the SSH server, and waits for it.
            ToolResult result = runtime.gateway()
                    .call(new ToolGateway.Call(
                            "host_uptime_load",
                            JsonMapper.builder().build().createObjectNode().put("host", "sandbox"),
                            runtime.localPrincipal(),
                            "req_lazy_host",
                            null,
                            null));

            assertThat(result.error()).as(result.text()).isFalse();
            assertThat(result.text()).contains("load average");
        }
    }

    /**
     * Host calls that race the sandbox's deferred start (the SSH server proper, with the client key pair it generates
     * and writes as {@code client_key}) each wait for that one start and authenticate with the key it wrote: none
     * sees a missing or half-written key, and none starts a second server with another key.
     */
    @Test
    void hostCallsRacingTheSandboxsDeferredStartAllAuthenticate() throws Exception {
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(null, new ConfigLoader.Overrides("stdio", null, null, List.of("hosts"), true, "warn", dataDir));
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            assertThat(dataDir.resolve("sandbox/hosts/known_hosts")).exists();
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<ToolResult>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String id = "req_race_" + i;
                    results.add(callers.submit(() -> {
                        go.await();
                        return runtime.gateway()
                                .call(new ToolGateway.Call(
                                        "host_uptime_load",
                                        JsonMapper.builder()
                                                .build()
                                                .createObjectNode()
                                                .put("host", "sandbox"),
                                        runtime.localPrincipal(),
                                        id,
                                        null,
                                        null));
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<ToolResult> f : results) {
                    ToolResult result = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(result.error()).as(result.text()).isFalse();
                    assertThat(result.text()).contains("load average");
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    /**
     * The warm-up after a lazy start runs a decision, a count, a record's hash and signed checkpoint (in a scratch
     * directory), a redaction and a result's JSON: no record of any, and no checkpoint in the data directory.
     */
    @Test
    void theFirstCallWarmUpLeavesNoAuditRecord() throws InterruptedException {
        OpsMcpConfig config = runbooksOverStdio(dataDir);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            runtime.startInBackground();
            runtime.awaitBackend();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("first-call-warm-up")) {
                    t.join(60_000);
                    assertThat(t.isAlive()).as("warm-up finished").isFalse();
                }
            }

            assertThat(runtime.stores().audit().tail(5)).isEmpty();
            io.opsmcp.guard.audit.VerifyResult chain = runtime.stores().audit().verify();
            assertThat(chain.ok()).as(chain.message()).isTrue();
            assertThat(chain.count()).isZero();
            assertThat(dataDir.resolve(io.opsmcp.guard.audit.AuditAnchor.FILE)).doesNotExist();
        }
    }

    /**
     * A real call made while the warm-up runs (its rehearsal of the audit append included): the chain holds exactly
     * the real call's records, verifies, and has a checkpoint for each; nothing of the warm-up's is in it.
     */
    @Test
    void aCallRacingTheWarmUpLeavesExactlyItsOwnRecords() throws InterruptedException {
        OpsMcpConfig config = runbooksOverStdio(dataDir);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            runtime.startInBackground();
            runtime.awaitBackend(); // the warm-up starts now, on its own thread

            ToolResult result = searchDisk(runtime, "req_race");
            assertThat(result.error()).as(result.text()).isFalse();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("first-call-warm-up")) {
                    t.join(60_000);
                    assertThat(t.isAlive()).as("warm-up finished").isFalse();
                }
            }

            List<AuditEntry> audit = runtime.stores().audit().tail(50);
            assertThat(audit).isNotEmpty();
            assertThat(audit).allSatisfy(e -> {
                assertThat(e.event().tool()).isEqualTo("runbook_search");
                assertThat(e.event().requestId()).isEqualTo("req_race");
            });
            for (int i = 0; i < audit.size(); i++) {
                assertThat(audit.get(i).seq()).isEqualTo(i + 1L);
            }
            io.opsmcp.guard.audit.VerifyResult chain = runtime.stores().audit().verify();
            assertThat(chain.ok()).as(chain.message()).isTrue();
            assertThat(chain.count()).isEqualTo(audit.size());
            assertThat(runtime.stores()
                            .anchor()
                            .read(dataDir.resolve(io.opsmcp.guard.audit.AuditAnchor.FILE))
                            .count())
                    .isEqualTo(audit.size());
        }
    }

    /** The configuration of these tests: stdio, the runbooks toolset only, {@code dataDir} as the data directory. */
    private static OpsMcpConfig runbooksOverStdio(Path dataDir) {
        return new ConfigLoader(Map.of())
                .load(
                        null,
                        new ConfigLoader.Overrides("stdio", null, null, List.of("runbooks"), false, "warn", dataDir));
    }

    /** A guarded read-only call as the local identity: {@code runbook_search} for "disk". */
    private static ToolResult searchDisk(OpsMcpRuntime runtime, String requestId) {
        return runtime.gateway()
                .call(new ToolGateway.Call(
                        "runbook_search",
                        JsonMapper.builder().build().createObjectNode().put("query", "disk"),
                        runtime.localPrincipal(),
                        requestId,
                        null,
                        null));
    }
}
