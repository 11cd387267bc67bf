package io.opsmcp.tools.system;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostsConfig;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.nio.file.Path;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the {@code hosts} toolset. Reads the {@code ssh:} and {@code hosts:} sections
 * (format in {@code toolsets/system/README.md}); the ssh-agent socket comes from {@code SSH_AUTH_SOCK}.
 */
public final class HostToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "hosts";
    static final String DESCRIPTION = "Linux hosts over SSH: diagnostics (uptime, disk, memory, services, journal, "
            + "processes), the configurable command catalog (host_tail_file, host_http_probe, …) and service restarts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settingsSections() {
        return Set.of("hosts", "ssh", "host_changes", "host_catalog");
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    /** Reads the shipped command catalog ({@link CommandCatalog#shipped()}); its failure fails {@link #create}. */
    @Override
    public void prepare() {
        try {
            CommandCatalog.shipped();
        } catch (RuntimeException e) {
            // thrown again, the same exception, by create (CommandCatalog.parse): the start fails there, with it
        }
    }

    /**
     * @throws IllegalArgumentException naming the setting, e.g. {@code hosts[1].port: must be 1..65535, not 0}
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        HostsConfig config = HostsConfig.parse(settings, Path.of(System.getProperty("user.home")), dataDir);
        String agent = System.getenv("SSH_AUTH_SOCK");
        Path agentSocket = agent == null || agent.isBlank() ? null : Path.of(agent);
        CommandCatalog catalog = CommandCatalog.parse(settings);
        MutatingSettings mutating = MutatingSettings.parse(settings);
        return new HostToolset(
                config, catalog, mutating, AccountSettings.parse(settings), new SshExecutor(config.ssh(), agentSocket));
    }
}
