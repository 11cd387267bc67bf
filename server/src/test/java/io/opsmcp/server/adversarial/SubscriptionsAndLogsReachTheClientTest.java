package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 6: the advertised {@code logging} and resource {@code subscribe} capabilities do something. A
 * subscriber of {@code ops://approvals/pending} and {@code ops://audit/recent} hears of a new approval request and of
 * new audit records, a subscriber the policy does not let read those resources hears nothing, unsubscribing stops
 * the updates; a change's log message reaches the client as {@code notifications/message} unless the client's
 * {@code logging/setLevel} is above it. Official MCP Java SDK client over streamable HTTP.
 */
class SubscriptionsAndLogsReachTheClientTest {

    private static final String PENDING = "ops://approvals/pending";
    private static final String AUDIT = "ops://audit/recent";

    @TempDir
    Path dir;

    /** A client of {@code principal} that collects the URIs of resource updates and the log messages it gets. */
    private static McpSyncClient client(
            GuardedServer server,
            String principal,
            List<String> updated,
            List<McpSchema.LoggingMessageNotification> logs,
            boolean approveInBand) {
        var spec = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.http.port())
                        .endpoint("/mcp")
                        .httpRequestCustomizer((b, method, uri, body, ctx) ->
                                b.header("Authorization", "Bearer " + GuardedServer.key(principal)))
                        .build())
                .requestTimeout(Duration.ofSeconds(60))
                .loggingConsumer(logs::add);
        if (approveInBand) {
            spec.capabilities(
                            McpSchema.ClientCapabilities.builder().elicitation().build())
                    .elicitation(request -> new McpSchema.ElicitResult(
                            McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true), null));
        }
        // The SDK client reads a subscribed resource again when it is told of an update; it is the URIs that count.
        spec.resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.add(c.uri())));
        McpSyncClient client = spec.build();
        client.initialize();
        return client;
    }

    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return condition.getAsBoolean();
    }

    @Test
    void subscribersThatMayReadHearOfApprovalsAndAuditRecords() throws Exception {
        List<String> aliceHeard = new CopyOnWriteArrayList<>();
        List<String> malloryHeard = new CopyOnWriteArrayList<>();
        List<McpSchema.LoggingMessageNotification> ignored = new CopyOnWriteArrayList<>();
        try (GuardedServer server = new GuardedServer(dir, "");
                McpSyncClient alice = client(server, "alice", aliceHeard, ignored, false);
                McpSyncClient mallory = client(server, "mallory", malloryHeard, ignored, false)) {
            assertThat(alice.readResource(new McpSchema.ReadResourceRequest(PENDING))
                            .contents())
                    .isNotEmpty();
            assertThatThrownBy(() -> mallory.readResource(new McpSchema.ReadResourceRequest(PENDING)))
                    .as("precondition: the policy does not let mallory read the approvals")
                    .hasMessageContaining("Denied");
            for (McpSyncClient c : List.of(alice, mallory)) {
                c.subscribeResource(new McpSchema.SubscribeRequest(PENDING));
                c.subscribeResource(new McpSchema.SubscribeRequest(AUDIT));
            }

            McpSchema.CallToolResult asked = alice.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-prod", "unit", "procps")));
            assertThat(GuardedServer.text(asked)).contains("apr_");

            assertThat(within(Duration.ofSeconds(20), () -> aliceHeard.contains(PENDING) && aliceHeard.contains(AUDIT)))
                    .as("alice heard %s", aliceHeard)
                    .isTrue();
            assertThat(malloryHeard)
                    .as("nothing for a subscriber who may not read")
                    .isEmpty();

            alice.unsubscribeResource(new McpSchema.UnsubscribeRequest(PENDING));
            aliceHeard.clear();
            alice.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-prod", "unit", "cron")));
            assertThat(within(Duration.ofSeconds(20), () -> aliceHeard.contains(AUDIT)))
                    .as("still subscribed to the audit")
                    .isTrue();
            assertThat(aliceHeard).doesNotContain(PENDING);
            assertThat(malloryHeard).isEmpty();
        }
    }

    @Test
    void aChangesLogMessageReachesTheClientAtItsLevel() throws Exception {
        List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();
        try (GuardedServer server = new GuardedServer(dir, "");
                McpSyncClient alice = client(server, "alice", new CopyOnWriteArrayList<>(), logs, true)) {
            McpSchema.CallToolResult result = alice.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-staging", "unit", "procps")));
            assertThat(result.isError()).as(GuardedServer.text(result)).isNotEqualTo(Boolean.TRUE);
            assertThat(within(
                            Duration.ofSeconds(10),
                            () -> logs.stream()
                                    .anyMatch(l -> l.level() == McpSchema.LoggingLevel.NOTICE
                                            && String.valueOf(l.data()).contains("applying"))))
                    .as("logs %s", logs)
                    .isTrue();

            alice.setLoggingLevel(McpSchema.LoggingLevel.WARNING);
            logs.clear();
            McpSchema.CallToolResult again = alice.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-staging", "unit", "procps")));
            assertThat(again.isError()).as(GuardedServer.text(again)).isNotEqualTo(Boolean.TRUE);
            assertThat(logs).as("a notice is below the session's level").isEmpty();
        }
    }
}
