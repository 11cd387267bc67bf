package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Attack: the circuit breaker keyed on the raw unit string, so {@code procps} and {@code procps.service} had a
 * budget each and a client could restart one service twice as often as the policy allows. Defence: tools
 * describe the canonical resource ({@code procps.service}); both spellings share one budget (5 per hour).
 */
class BreakerUsesCanonicalResourceKeysTest {

    @TempDir
    static Path dataDir;
    static GuardedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new GuardedServer(dataDir, "");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void bothSpellingsOfOneUnitShareOneBudget() {
        try (McpSyncClient alice = server.client("alice")) {
            for (int i = 0; i < 5; i++) {
                String unit = i % 2 == 0 ? "procps" : "procps.service";
                McpSchema.CallToolResult r = alice.callTool(new McpSchema.CallToolRequest("host_service_restart",
                        Map.of("host", "sandbox", "unit", unit)));
                assertThat(GuardedServer.text(r)).as("restart " + i).doesNotContain("circuit breaker")
                        .doesNotContain("Denied by policy");
            }
            McpSchema.CallToolResult sixth = alice.callTool(new McpSchema.CallToolRequest("host_service_restart",
                    Map.of("host", "sandbox", "unit", "procps.service")));
            assertThat(sixth.isError()).isTrue();
            assertThat(GuardedServer.text(sixth)).contains("circuit breaker").contains("limit 5");
        }
    }
}
