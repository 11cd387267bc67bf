package io.opsmcp.tools.system;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.tools.system.accounts.HostAccountChangeTool;
import io.opsmcp.tools.system.accounts.HostAccountStatusTool;
import io.opsmcp.tools.system.catalog.CatalogEntry;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.HostsConfig;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.exec.CatalogChangeTool;
import io.opsmcp.tools.system.exec.CatalogTool;
import io.opsmcp.tools.system.exec.HostExecTool;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostListTool;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.logs.HostJournalTool;
import io.opsmcp.tools.system.services.HostServiceControlTool;
import io.opsmcp.tools.system.services.HostServiceStatusTool;
import io.opsmcp.tools.system.ssh.SshExecutor;
import io.opsmcp.tools.system.status.HostDiskUsageTool;
import io.opsmcp.tools.system.status.HostMemoryTool;
import io.opsmcp.tools.system.status.HostTopProcessesTool;
import io.opsmcp.tools.system.status.HostUptimeLoadTool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code hosts} toolset: the built-in diagnostics, one {@code host_NAME} tool per command of the
 * {@link CommandCatalog}, and the mutating service tools (plus {@code host_exec} and the local account tools when
 * enabled). Closing it
 * closes the pooled SSH connections (the server should close it on shutdown; otherwise idle connections close
 * by themselves after {@code ssh.idle_close_seconds} and the background threads are daemons).
 */
public final class HostToolset implements OpsToolset, AutoCloseable {

    private static final int MAX_COMPLETIONS = 100;

    private final SshExecutor ssh;
    private final HostInventory hosts;
    private final List<OpsTool> tools;

    /** The built-in tools and the shipped catalog. */
    public HostToolset(HostsConfig config, SshExecutor ssh) {
        this(config, CommandCatalog.parse(null), MutatingSettings.DEFAULT, AccountSettings.DEFAULT, ssh);
    }

    /**
     * @throws IllegalArgumentException when a catalog command would take the name of a built-in tool
     */
    public HostToolset(HostsConfig config, CommandCatalog catalog, MutatingSettings mutating, SshExecutor ssh) {
        this(config, catalog, mutating, AccountSettings.DEFAULT, ssh);
    }

    /**
     * @throws IllegalArgumentException when a catalog command would take the name of a built-in tool
     */
    public HostToolset(
            HostsConfig config,
            CommandCatalog catalog,
            MutatingSettings mutating,
            AccountSettings accounts,
            SshExecutor ssh) {
        this.ssh = ssh;
        this.hosts = new HostInventory(config.hosts());
        List<OpsTool> all = new ArrayList<>(List.of(
                new HostListTool(hosts),
                new HostUptimeLoadTool(hosts, ssh),
                new HostDiskUsageTool(hosts, ssh),
                new HostMemoryTool(hosts, ssh),
                new HostServiceStatusTool(hosts, ssh),
                new HostJournalTool(hosts, ssh),
                new HostTopProcessesTool(hosts, ssh),
                new HostServiceControlTool(hosts, ssh, HostServiceControlTool.Action.RESTART, mutating.sudo()),
                new HostServiceControlTool(hosts, ssh, HostServiceControlTool.Action.RELOAD, mutating.sudo())));
        if (mutating.execEnabled()) {
            all.add(new HostExecTool(hosts, ssh, mutating));
        }
        if (accounts.enabled()) {
            all.add(new HostAccountStatusTool(hosts, ssh, mutating.sudo(), accounts));
            all.add(new HostAccountChangeTool(
                    hosts, ssh, HostAccountChangeTool.Action.UNLOCK, mutating.sudo(), accounts));
            all.add(new HostAccountChangeTool(
                    hosts, ssh, HostAccountChangeTool.Action.EXPIRE, mutating.sudo(), accounts));
        }
        Set<String> names = new HashSet<>();
        all.forEach(t -> names.add(t.definition().name()));
        for (CatalogEntry entry : catalog.entries()) {
            if (!names.add(entry.toolName())) {
                throw new IllegalArgumentException("host_catalog: command '" + entry.name() + "' would be the tool "
                        + entry.toolName() + ", which is a built-in tool; choose another name");
            }
            all.add(entry.readOnly() ? new CatalogTool(hosts, ssh, entry) : new CatalogChangeTool(hosts, ssh, entry));
        }
        this.tools = List.copyOf(all);
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

    /**
     * Completes {@code host}: configured host names that start with the prefix (case-insensitive), then those
     * that contain it, each group in configuration order.
     */
    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        if (!"host".equals(argument)) {
            return List.of();
        }
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        List<String> starts = new ArrayList<>();
        List<String> contains = new ArrayList<>();
        for (HostEntry h : hosts.all()) {
            if (h.name().startsWith(p)) {
                starts.add(h.name());
            } else if (h.name().contains(p)) {
                contains.add(h.name());
            }
        }
        starts.addAll(contains);
        return starts.size() > MAX_COMPLETIONS ? starts.subList(0, MAX_COMPLETIONS) : starts;
    }

    /** A host name names that host, in its environment (the same descriptor its read-only tools give). */
    @Override
    public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        if (!"host".equals(argument)) {
            return null;
        }
        return hosts.all().stream()
                .filter(h -> h.name().equals(value))
                .findFirst()
                .map(HostTool::descriptor)
                .orElse(null);
    }

    @Override
    public void close() {
        ssh.close();
    }
}
