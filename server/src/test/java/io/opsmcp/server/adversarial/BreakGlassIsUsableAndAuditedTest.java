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
 * Break-glass was unusable: the policy reads {@code break_glass_reason} but no tool schema declared it, so every
 * call carrying it was refused as invalid. Now the gateway adds it to every mutating tool (like
 * {@code approval_id}); a break-glass principal changes a prod host with a reason and no approval, the reason is
 * in the audit record, and without a reason the change is denied. Real server, HTTP, MCP Java SDK client.
 */
class BreakGlassIsUsableAndAuditedTest {

    @RegisterExtension
    static final GuardedServer.PerClass server = new GuardedServer.PerClass("");

    @Test
    @SuppressWarnings("unchecked")
    void mutatingToolsDeclareTheReason() {
        try (McpSyncClient gina = server.get().client("gina")) {
            McpSchema.Tool restart = gina.listTools().tools().stream()
                    .filter(t -> t.name().equals("host_service_restart"))
                    .findFirst()
                    .orElseThrow();
            assertThat((Map<String, Object>) restart.inputSchema().get("properties"))
                    .containsKeys("approval_id", "break_glass_reason");
            McpSchema.Tool status = gina.listTools().tools().stream()
                    .filter(t -> t.name().equals("host_service_status"))
                    .findFirst()
                    .orElseThrow();
            assertThat((Map<String, Object>) status.inputSchema().get("properties"))
                    .doesNotContainKey("break_glass_reason");
        }
    }

    @Test
    void breakGlassChangesProdWithAReasonAndTheAuditSaysWhy() {
        String reason = "INC-4711: sysctl settings lost after kernel update";
        try (McpSyncClient gina = server.get().client("gina")) {
            McpSchema.CallToolResult result = gina.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart",
                    Map.of("host", "sandbox-prod", "unit", "procps", "break_glass_reason", reason)));
            assertThat(result.isError()).as(GuardedServer.text(result)).isNotEqualTo(Boolean.TRUE);
            assertThat(GuardedServer.text(result)).contains("ran `").doesNotContain("Approval required");
        }
        AuditEntry intent = server.get().runtime.stores().audit().tail(20).stream()
                .filter(e -> "gina".equals(e.event().principal()) && e.event().phase() == AuditEvent.Phase.INTENT)
                .findFirst()
                .orElseThrow();
        assertThat(intent.event().reasons())
                .anyMatch(
                        r -> r.startsWith("break-glass: gina changes host sandbox-prod in prod") && r.contains(reason));
        assertThat(intent.event().args().path("break_glass_reason").asString()).isEqualTo(reason);
    }

    @Test
    void breakGlassWithoutAReasonIsDenied() {
        try (McpSyncClient gina = server.get().client("gina")) {
            McpSchema.CallToolResult result = gina.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-prod", "unit", "procps")));
            assertThat(result.isError()).isTrue();
            assertThat(GuardedServer.text(result)).contains("break-glass changes must say why: add break_glass_reason");
            McpSchema.CallToolResult shortReason = gina.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart",
                    Map.of("host", "sandbox-prod", "unit", "procps", "break_glass_reason", "  oops  ")));
            assertThat(shortReason.isError()).isTrue();
        }
    }
}
