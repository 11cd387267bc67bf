package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack: many concurrent calls presenting one approval; only one may run, but each loser wrote an intent record
 * first, and the circuit breaker counted them, so a burst of losers blocked the resource for an hour. Defence:
 * the approval is consumed before the intent is written; losers write no intent, and only the change that ran
 * counts. Real server over HTTP, one SDK client per racer.
 */
class RaceLosersDoNotTripBreakerTest {

    private static final int RACERS = 8;

    @RegisterExtension
    static final GuardedServer.PerClass server = new GuardedServer.PerClass("");

    @Test
    void onlyTheWinnerIsCountedAndTheResourceStaysUsable() throws Exception {
        Map<String, Object> args = Map.of("host", "sandbox-staging", "unit", "procps");
        String approvalId;
        try (McpSyncClient alice = server.get().client("alice")) {
            String pending =
                    GuardedServer.text(alice.callTool(new McpSchema.CallToolRequest("host_service_restart", args)));
            Matcher m = Pattern.compile("apr_[a-z2-7]{26}").matcher(pending);
            assertThat(m.find()).as(pending).isTrue();
            approvalId = m.group();
        }
        server.get().runtime.approvals().vote(approvalId, "bob", List.of("sre-lead"), true, "ok", Instant.now());

        List<McpSyncClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            for (int i = 0; i < RACERS; i++) {
                clients.add(server.get().client("alice"));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<McpSchema.CallToolResult>> calls = new ArrayList<>();
            for (McpSyncClient c : clients) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return c.callTool(new McpSchema.CallToolRequest(
                            "host_service_restart",
                            Map.of("host", "sandbox-staging", "unit", "procps", "approval_id", approvalId)));
                }));
            }
            go.countDown();
            int ran = 0;
            for (Future<McpSchema.CallToolResult> f : calls) {
                if (GuardedServer.text(f.get(120, TimeUnit.SECONDS)).contains("ran `")) {
                    ran++;
                }
            }
            assertThat(ran).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            clients.forEach(McpSyncClient::close);
        }

        List<AuditEntry> intents = server.get().runtime.stores().audit().tail(200).stream()
                .filter(e -> e.event().phase() == AuditEvent.Phase.INTENT
                        && "alice".equals(e.event().principal()))
                .toList();
        assertThat(intents).hasSize(1);

        // The next change on the resource is decided on its merits (approval), not refused by the breaker.
        try (McpSyncClient alice = server.get().client("alice")) {
            String next =
                    GuardedServer.text(alice.callTool(new McpSchema.CallToolRequest("host_service_restart", args)));
            assertThat(next).doesNotContain("circuit breaker").contains("Approval required");
        }
    }
}
