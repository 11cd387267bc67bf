package io.opsmcp.tools.system.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.config.SshSettings;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_exec}'s command class reaches the guard as a fact of the descriptor the tool describes (no
 * connection is made: the host points at a closed port), with the same value the change preview shows.
 */
class HostExecPolicyFactTest {

    private static final HostEntry HOST = new HostEntry(
            "web-1", "127.0.0.1", 1, "ops", new HostAuth.KeyFile(Path.of("/nonexistent")), "web", "prod", null);

    private static ActionDescriptor describe(String command) {
        SshSettings settings =
                new SshSettings(Path.of("/nonexistent"), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
        try (SshExecutor ssh = new SshExecutor(settings, null)) {
            HostExecTool exec = new HostExecTool(
                    new HostInventory(List.of(HOST)),
                    ssh,
                    new MutatingSettings(false, true, Duration.ofSeconds(5), 4096));
            ObjectNode args =
                    JsonNodeFactory.instance.objectNode().put("host", "web-1").put("command", command);
            return exec.describe(
                    args,
                    new ToolContext(
                            new Principal("t", Set.of(), "local"),
                            "r",
                            Instant.now().plusSeconds(5),
                            null,
                            null));
        }
    }

    @Test
    void everyClassIsAFactOfTheDescriptor() {
        assertThat(describe("df -h | sort").facts()).containsEntry(CommandClass.POLICY_FACT, "read");
        assertThat(describe("touch /tmp/x").facts()).containsEntry(CommandClass.POLICY_FACT, "write");
        ActionDescriptor rm = describe("rm -rf /var/cache/app");
        assertThat(rm.facts()).containsEntry(CommandClass.POLICY_FACT, "destructive");
        assertThat(rm.change().after().get(CommandClass.POLICY_FACT).asString()).isEqualTo("destructive");
        assertThat(rm.environment()).isEqualTo("prod");
    }

    @Test
    void theFactNamesTheKeyThePolicyReads() {
        assertThat(CommandClass.DESTRUCTIVE.asPolicyFact()).containsExactly(Map.entry("command_class", "destructive"));
    }
}
