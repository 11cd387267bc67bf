package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack: huge invalid arguments from a principal without roles were validated whole and stored whole in the
 * audit log. Defence: arguments larger than {@code limits.max_argument_bytes} are refused before validation with
 * an error naming the limit; every rejected call is audited as SHA-256, size and a short excerpt, never whole.
 */
class OversizedArgumentsAreBoundedTest {

    @RegisterExtension
    static final GuardedServer.PerClass server = new GuardedServer.PerClass("limits:\n  max_argument_bytes: 65536\n");

    private static AuditEntry lastOf(String principal) {
        var tail = server.get().runtime.stores().audit().tail(20);
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (principal.equals(tail.get(i).event().principal())) {
                return tail.get(i);
            }
        }
        throw new AssertionError("no audit record of " + principal);
    }

    @Test
    void argumentsOverTheLimitAreRefusedNamingIt() {
        String huge = "x".repeat(100_000);
        try (McpSyncClient mallory = server.get().client("mallory")) {
            McpSchema.CallToolResult result = mallory.callTool(
                    new McpSchema.CallToolRequest("host_service_status", Map.of("host", "sandbox", "unit", huge)));
            assertThat(result.isError()).isTrue();
            assertThat(GuardedServer.text(result))
                    .contains("limits.max_argument_bytes (65536 bytes)")
                    .hasSizeLessThan(1000);
        }
        AuditEntry entry = lastOf("mallory");
        assertThat(entry.event().phase()).isEqualTo(AuditEvent.Phase.OVERSIZED_ARGUMENTS);
        String stored = entry.event().args().toString();
        assertThat(stored).hasSizeLessThan(1024).doesNotContain("x".repeat(300));
        assertThat(entry.event().args().at("/rejected_arguments/sha256").asString())
                .matches("[0-9a-f]{64}");
        assertThat(entry.event().args().at("/rejected_arguments/oversized").asBoolean())
                .isTrue();
    }

    @Test
    void invalidArgumentsUnderTheLimitAreAuditedAsDigestAndExcerpt() {
        String big = "y".repeat(40_000);
        try (McpSyncClient mallory = server.get().client("mallory")) {
            McpSchema.CallToolResult result = mallory.callTool(
                    new McpSchema.CallToolRequest("host_service_status", Map.of("host", "sandbox", "unit", big)));
            assertThat(result.isError()).isTrue();
            assertThat(GuardedServer.text(result)).contains("unit");
        }
        AuditEntry entry = lastOf("mallory");
        assertThat(entry.event().phase()).isEqualTo(AuditEvent.Phase.INVALID_ARGUMENTS);
        assertThat(entry.event().args().toString()).hasSizeLessThan(1024);
        assertThat(entry.event().args().at("/rejected_arguments/bytes").asLong())
                .isGreaterThan(40_000);
        assertThat(entry.event().args().at("/rejected_arguments/excerpt").asString())
                .startsWith("{\"")
                .contains("yyyyyyyy")
                .hasSizeLessThanOrEqualTo(201);
    }
}
