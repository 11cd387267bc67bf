package io.opsmcp.tools.system.hosts;

import java.util.List;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.tools.system.ssh.HostsConfig;
import io.opsmcp.tools.system.ssh.SshExecutor;

/**
 * The {@code hosts} toolset: seven read-only diagnostics over SSH. Closing it closes the pooled SSH connections
 * (the server should close it on shutdown; otherwise idle connections close by themselves after
 * {@link SshExecutor#IDLE_CLOSE} and the background threads are daemons).
 */
public final class HostToolset implements OpsToolset, AutoCloseable {

    private final SshExecutor ssh;
    private final List<OpsTool> tools;

    public HostToolset(HostsConfig config, SshExecutor ssh) {
        this.ssh = ssh;
        HostInventory hosts = new HostInventory(config.hosts());
        this.tools = List.of(
                new HostListTool(hosts),
                new HostUptimeLoadTool(hosts, ssh),
                new HostDiskUsageTool(hosts, ssh),
                new HostMemoryTool(hosts, ssh),
                new HostServiceStatusTool(hosts, ssh),
                new HostJournalTool(hosts, ssh),
                new HostTopProcessesTool(hosts, ssh));
    }

    @Override
    public String name() {
        return HostToolsetProvider.NAME;
    }

    @Override
    public String description() {
        return HostToolsetProvider.DESCRIPTION;
    }

    @Override
    public List<OpsTool> tools() {
        return tools;
    }

    @Override
    public void close() {
        ssh.close();
    }
}
