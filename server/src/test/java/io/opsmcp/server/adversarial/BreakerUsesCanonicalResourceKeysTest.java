package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.PolicyInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Attack: the circuit breaker keyed on the raw unit string, so {@code procps} and {@code procps.service} had a
 * budget each and a client could restart one service twice as often as the policy allows. Defence: tools
 * describe the canonical resource ({@code procps.service}); both spellings share one budget (5 per hour).
 */
class BreakerUsesCanonicalResourceKeysTest {

    @RegisterExtension
    static final GuardedServer.PerClass server = new GuardedServer.PerClass("", List.of("hosts", "aws"));

    @Test
    void bothSpellingsOfOneUnitShareOneBudget() {
        try (McpSyncClient alice = server.get().client("alice")) {
            for (int i = 0; i < 5; i++) {
                String unit = i % 2 == 0 ? "procps" : "procps.service";
                McpSchema.CallToolResult r = alice.callTool(
                        new McpSchema.CallToolRequest("host_service_restart", Map.of("host", "sandbox", "unit", unit)));
                assertThat(GuardedServer.text(r))
                        .as("restart " + i)
                        .doesNotContain("circuit breaker")
                        .doesNotContain("Denied by policy");
            }
            McpSchema.CallToolResult sixth = alice.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox", "unit", "procps.service")));
            assertThat(sixth.isError()).isTrue();
            assertThat(GuardedServer.text(sixth)).contains("circuit breaker").contains("limit 5");
        }
    }

    @Test
    void anEcsServiceByNameAndByArnIsOneResource() {
        ToolGateway.RegisteredTool scale = server.get().runtime.gateway().tools().stream()
                .filter(t -> t.definition().name().equals("ecs_scale_service"))
                .findFirst()
                .orElseThrow();
        ToolContext ctx = new ToolContext(
                new Principal("alice", java.util.Set.of("sre"), "api-key"),
                "t",
                Instant.now().plusSeconds(30),
                ToolContext.Progress.NONE,
                ToolContext.Log.NONE);
        ObjectNode byName = JsonNodeFactory.instance
                .objectNode()
                .put("account", "sandbox")
                .put("cluster", "shop")
                .put("service", "checkout")
                .put("desired_count", 3);
        ObjectNode byArn = JsonNodeFactory.instance
                .objectNode()
                .put("account", "sandbox")
                .put("cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/shop")
                .put("service", "arn:aws:ecs:eu-west-1:123456789012:service/shop/checkout")
                .put("desired_count", 3);
        var a = PolicyInput.resource(scale.tool().describe(byName, ctx));
        var b = PolicyInput.resource(scale.tool().describe(byArn, ctx));
        assertThat(b).isEqualTo(a);
        assertThat(AuditEvent.resourceKey(b)).isEqualTo(AuditEvent.resourceKey(a));
    }
}
