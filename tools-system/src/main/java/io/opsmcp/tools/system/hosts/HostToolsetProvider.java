package io.opsmcp.tools.system.hosts;

import java.nio.file.Path;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.system.ssh.HostsConfig;
import io.opsmcp.tools.system.ssh.SshExecutor;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the {@code hosts} toolset. Reads the {@code ssh:} and {@code hosts:} sections
 * (format in {@code tools-system/README.md}); the ssh-agent socket comes from {@code SSH_AUTH_SOCK}.
 */
public final class HostToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "hosts";
    static final String DESCRIPTION = "Read-only Linux host diagnostics over SSH (uptime, disk, memory, services, "
            + "journal, processes)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    /**
     * @throws IllegalArgumentException naming the setting, e.g. {@code hosts[1].port: must be 1..65535, not 0}
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        HostsConfig config = HostsConfig.parse(settings, Path.of(System.getProperty("user.home")));
        String agent = System.getenv("SSH_AUTH_SOCK");
        Path agentSocket = agent == null || agent.isBlank() ? null : Path.of(agent);
        return new HostToolset(config, new SshExecutor(config.ssh(), agentSocket));
    }
}
