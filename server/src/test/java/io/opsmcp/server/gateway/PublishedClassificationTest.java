package io.opsmcp.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.store.jdbc.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The policy sees the classification a tool declares, not one derived from the hints clients get: a change that
 * carries {@code destructiveHint} for clients but is not destructive to the policy (ecs_update_task_resources:
 * interrupts tasks, removes nothing) needs prod's plain approval, not the destructive one. The gateway reads the
 * flags from the definition it published (with the approval arguments added), so that definition must keep them.
 */
class PublishedClassificationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Principal ALICE = new Principal("alice", Set.of("sre"), "local");

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;

    /** A prod change whose definition carries {@code destructiveHint} and is {@code destructive} as given. */
    private static final class Change implements OpsTool {
        private final String name;
        private final boolean destructive;

        Change(String name, boolean destructive) {
            this.name = name;
            this.destructive = destructive;
        }

        @Override
        public ToolDefinition definition() {
            ObjectNode schema = (ObjectNode)
                    JSON.readTree("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}");
            return new ToolDefinition(
                    name,
                    "Change",
                    "Changes a prod service.",
                    schema,
                    null,
                    ToolAnnotations.destructive(),
                    destructive);
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return new ActionDescriptor(
                    "aws",
                    "ecs:service",
                    "prod",
                    "checkout",
                    Map.of("account", "123456789012", "region", "eu-west-1", "cluster", "shop"),
                    new ChangePreview(
                            "memory 512 -> 1024",
                            JSON.readTree("{\"memory\":512}"),
                            JSON.readTree("{\"memory\":1024}"),
                            false));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            return ToolResult.ok("changed");
        }
    }

    @BeforeEach
    void start() {
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        OpsToolset toolset =
                TestToolsets.of("aws", new Change("resize_service", false), new Change("remove_service", true));
        gateway = TestGateways.of(toolset, stores, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        gateway.close();
        stores.close();
    }

    private String call(String tool) {
        return gateway.call(new ToolGateway.Call(tool, JSON.readTree("{}"), ALICE, "req_c", null, null, null, null))
                .text();
    }

    @Test
    void aChangeHintedDestructiveButNotClassifiedSoNeedsProdsPlainApproval() {
        assertThat(call("resize_service"))
                .contains("prod changes need 1 approval")
                .doesNotContain("destructive");
    }

    @Test
    void aChangeClassifiedDestructiveNeedsTheDestructiveApproval() {
        assertThat(call("remove_service")).contains("destructive prod change").contains("2 approvals");
    }

    @Test
    void thePublishedDefinitionKeepsTheToolsClassification() {
        Map<String, Boolean> destructive = new java.util.TreeMap<>();
        gateway.tools()
                .forEach(
                        t -> destructive.put(t.published().name(), t.published().destructive()));
        assertThat(destructive).containsEntry("resize_service", false).containsEntry("remove_service", true);
    }
}
