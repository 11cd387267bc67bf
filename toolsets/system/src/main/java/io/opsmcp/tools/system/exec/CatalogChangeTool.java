package io.opsmcp.tools.system.exec;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.catalog.CatalogEntry;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A catalog command configured with {@code read_only: false}: the same command as {@link CatalogTool}, on the
 * toolkit's {@link MutatingTool}, so it has {@code dry_run} (the planned argv, nothing run) and a dry run is what
 * the gateway decided ({@link ToolContext#dryRun()}).
 */
public final class CatalogChangeTool extends MutatingTool<CatalogChangeTool.Invocation> {

    /**
     * A validated call.
     *
     * @param host   the configured host
     * @param values the bound parameter values
     */
    public record Invocation(HostEntry host, Map<String, String> values) {}

    private final HostInventory hosts;
    private final CatalogEntry entry;
    private final CatalogTool command;

    /**
     * @throws IllegalArgumentException when the entry is read-only (that is a {@link CatalogTool})
     */
    public CatalogChangeTool(HostInventory hosts, SshExecutor ssh, CatalogEntry entry) {
        this(hosts, entry, new CatalogTool(hosts, ssh, entry));
    }

    private CatalogChangeTool(HostInventory hosts, CatalogEntry entry, CatalogTool command) {
        super(withDryRun(command.definition()));
        this.hosts = hosts;
        this.entry = entry;
        this.command = command;
    }

    /** The catalog command's definition with the toolkit's {@code dry_run} argument. */
    private static ToolDefinition withDryRun(ToolDefinition d) {
        ObjectNode input = d.inputSchema().deepCopy();
        ((ObjectNode) input.get("properties")).set(ToolSpec.DRY_RUN, ToolSpec.DRY_RUN_ARG.schema());
        return new ToolDefinition(d.name(), d.title(), d.description(), input, d.outputSchema(), d.annotations());
    }

    @Override
    protected PlannedChange<Invocation> plan(ObjectNode args, ToolContext ctx) {
        return new PlannedChange<>(
                command.describe(args, ctx), new Invocation(hosts.require(HostArgs.HOST.read(args)), entry.bind(args)));
    }

    @Override
    protected ToolResult apply(PlannedChange<Invocation> plan, ObjectNode args, ToolContext ctx) {
        return command.run(plan.data().values(), plan.data().host(), ctx);
    }
}
