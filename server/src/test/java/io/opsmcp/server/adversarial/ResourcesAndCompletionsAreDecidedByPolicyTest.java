package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack: a principal denied every tool reads the audit log and pending approvals, and enumerates prod hosts
 * through {@code completion/complete}. Defence: every resource read and completion is a policy-decided read of
 * what it reveals, filtered to what the caller may see, and audited.
 */
class ResourcesAndCompletionsAreDecidedByPolicyTest {

    @RegisterExtension
    static final GuardedServer.PerClass server = new GuardedServer.PerClass("");

    private static McpSchema.ReadResourceResult read(McpSyncClient client, String uri) {
        return client.readResource(new McpSchema.ReadResourceRequest(uri));
    }

    private static java.util.List<String> completeHost(McpSyncClient client, String prefix) {
        return client.completeCompletion(new McpSchema.CompleteRequest(
                        new McpSchema.PromptReference("investigate_host"),
                        new McpSchema.CompleteRequest.CompleteArgument("host", prefix)))
                .completion()
                .values();
    }

    @Test
    void principalWithoutRolesReadsNeitherAuditNorApprovals() {
        try (McpSyncClient mallory = server.get().client("mallory")) {
            for (String uri : java.util.List.of(
                    "ops://audit/recent", "ops://approvals/pending", "ops://environments", "runbook://index")) {
                assertThatThrownBy(() -> read(mallory, uri))
                        .as(uri)
                        .isInstanceOf(McpError.class)
                        .hasMessageContaining("Denied by policy")
                        .hasMessageContaining("mallory has no role");
            }
        }
        var denied = server.get().runtime.stores().audit().tail(50).stream()
                .map(AuditEntry::event)
                .filter(e -> "mallory".equals(e.principal()) && e.decision() == AuditEvent.PolicyDecision.DENY)
                .toList();
        assertThat(denied)
                .extracting(e -> e.tool())
                .contains("resources/read ops://audit/recent", "resources/read ops://approvals/pending");
    }

    @Test
    void viewerMayNotReadTheAuditLogButSreMay() {
        try (McpSyncClient vera = server.get().client("vera");
                McpSyncClient alice = server.get().client("alice")) {
            assertThatThrownBy(() -> read(vera, "ops://audit/recent"))
                    .isInstanceOf(McpError.class)
                    .hasMessageContaining("may not read audit_log recent");
            assertThat(read(alice, "ops://audit/recent").contents()).hasSize(1);
            assertThat(read(vera, "runbook://index").contents()).hasSize(1);
        }
    }

    @Test
    void completionsShowOnlyHostsTheCallerMayRead() {
        try (McpSyncClient mallory = server.get().client("mallory");
                McpSyncClient vera = server.get().client("vera");
                McpSyncClient alice = server.get().client("alice")) {
            assertThat(completeHost(mallory, "sandbox")).isEmpty();
            assertThat(completeHost(vera, "sandbox"))
                    .contains("sandbox", "sandbox-staging")
                    .doesNotContain("sandbox-prod");
            assertThat(completeHost(alice, "sandbox")).contains("sandbox", "sandbox-staging", "sandbox-prod");
        }
        assertThat(server.get().runtime.stores().audit().tail(50))
                .anyMatch(e -> "mallory".equals(e.event().principal())
                        && e.event().tool() != null
                        && e.event().tool().startsWith("completion/complete"));
    }
}
