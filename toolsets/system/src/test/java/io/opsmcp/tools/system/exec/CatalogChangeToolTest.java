package io.opsmcp.tools.system.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.HostsConfig;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.config.SshSettings;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * An operator's mutating catalog command is a toolkit MutatingTool: it publishes dry_run, plans without connecting,
 * and a dry run decided by the gateway never reaches the host (which here is a closed port).
 */
class CatalogChangeToolTest {

    private static OpsTool tool() {
        HostEntry host = new HostEntry(
                "web-1", "127.0.0.1", 1, "ops", new HostAuth.KeyFile(Path.of("/nonexistent")), "web", "prod", null);
        SshSettings ssh = new SshSettings(Path.of("/nonexistent"), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
        CommandCatalog catalog =
                CommandCatalog.parse(YAMLMapper.builder().build().readTree("""
                host_catalog:
                  include_defaults: false
                  commands:
                    - name: clear_cache
                      description: Clears the application cache.
                      argv: [rm, -rf, /var/cache/app]
                      read_only: false
                      destructive: true
                """));
        HostToolset toolset = new HostToolset(
                new HostsConfig(ssh, List.of(host)), catalog, MutatingSettings.DEFAULT, new SshExecutor(ssh, null));
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals("host_clear_cache"))
                .findFirst()
                .orElseThrow();
    }

    private static ToolContext ctx(boolean dryRun) {
        return new ToolContext(
                new Principal("t", Set.of(), "local"),
                "r",
                Instant.now().plusSeconds(5),
                null,
                null,
                dryRun,
                ToolContext.Cancellation.NONE);
    }

    @Test
    void publishesDryRunAndPlansTheChange() {
        OpsTool tool = tool();
        assertThat(tool).isInstanceOf(CatalogChangeTool.class);
        assertThat(tool.definition().destructive()).isTrue();
        assertThat(tool.definition().inputSchema().get("properties").has("dry_run"))
                .isTrue();
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("host", "web-1");
        ActionDescriptor d = tool.describe(args, ctx(false));
        assertThat(d.change().summary()).isEqualTo("run `rm -rf /var/cache/app` on web-1");
        assertThat(d.ids()).containsEntry("command", "clear_cache");
    }

    @Test
    void aDryRunNeverConnectsAndTheRealRunDoes() {
        OpsTool tool = tool();
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("host", "web-1");
        ToolResult dry = tool.execute(args, ctx(true));
        assertThat(dry.text()).startsWith("Dry run (nothing was changed): run `rm -rf /var/cache/app` on web-1");
        assertThat(dry.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThatThrownBy(() -> tool.execute(args, ctx(false))).isInstanceOf(ToolException.class);
    }
}
