package io.opsmcp.tools.system.services;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.hosts.Systemd;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_service_restart} and {@code host_service_reload}: {@code systemctl restart|reload -- UNIT} (or
 * {@code service NAME restart|reload} where systemd is not PID 1), then the unit's new state. {@code dry_run} reports the current state and what would
 * run, without running it. Both are annotated destructive: they interrupt the service (a restart drops its
 * connections, a reload of a broken configuration can stop it).
 */
public final class HostServiceControlTool extends MutatingTool<HostServiceControlTool.Target> {

    /** The two service actions. */
    public enum Action {
        RESTART("restart"),
        RELOAD("reload");

        final String verb;

        Action(String verb) {
            this.verb = verb;
        }
    }

    static final ArgSpec<String> UNIT = HostArgs.unit("Unit or service name, e.g. nginx.");
    private static final String STATE = "ActiveState,SubState,MainPID,ActiveEnterTimestamp,Result";

    /**
     * What a call acts on, planned without connecting to the host (the guard decides before any SSH).
     *
     * @param host the configured host
     * @param unit the unit as given (the descriptor uses its canonical name)
     */
    public record Target(HostEntry host, String unit) {}

    private final HostInventory hosts;
    private final SshExecutor ssh;
    private final Action action;
    private final boolean sudo;

    public HostServiceControlTool(HostInventory hosts, SshExecutor ssh, Action action, boolean sudo) {
        super(definition(action));
        this.hosts = hosts;
        this.ssh = ssh;
        this.action = action;
        this.sudo = sudo;
    }

    private static ToolDefinition definition(Action action) {
        String what = action == Action.RESTART
                ? "Restarts a service (systemctl or service) and reports its state; drops in-flight " + "connections."
                : "Reloads a service's configuration without restarting it (systemctl or service) and "
                        + "reports its state. Test the configuration first.";
        return ToolSpec.tool("host_service_" + action.verb)
                .title("Host service " + action.verb)
                .description(what)
                .args(HostArgs.HOST, UNIT)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set("unit", JsonSchemas.type("string", "unit"))
                                .<ObjectNode>set("dry_run", JsonSchemas.type("boolean", "nothing was changed"))
                                .<ObjectNode>set("command", JsonSchemas.type("string", "what ran (or would run)"))
                                .<ObjectNode>set(
                                        "exit_status", JsonSchemas.type("integer", "exit status of the action"))
                                .<ObjectNode>set(
                                        "state", JsonSchemas.type("object", "systemctl show properties afterwards")),
                        "host",
                        "unit",
                        "dry_run",
                        "command"))
                // destructive: both interrupt the service (a reload with a broken configuration can stop it), and
                // hosts auto-approve by these hints
                .interrupting()
                .build();
    }

    @Override
    protected PlannedChange<Target> plan(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String given = UNIT.read(args);
        String unit = canonicalUnit(given);
        Map<String, String> ids = new LinkedHashMap<>(HostTool.ids(host));
        ids.put("unit", unit);
        ObjectNode after =
                JsonNodeFactory.instance.objectNode().put("action", action.verb).put("unit", unit);
        return new PlannedChange<>(
                new ActionDescriptor(
                        "host",
                        "host",
                        host.environment(),
                        host.name(),
                        ids,
                        new ChangePreview(action.verb + " " + unit + " on " + host.name(), null, after)),
                new Target(host, given));
    }

    /**
     * The unit's canonical name, as systemd resolves it: a name without a unit type suffix is a service
     * ({@code nginx} → {@code nginx.service}). The descriptor uses it, so both spellings are one resource to the
     * policy and the circuit breaker.
     */
    static String canonicalUnit(String unit) {
        int dot = unit.lastIndexOf('.');
        String suffix = dot < 0 ? "" : unit.substring(dot + 1);
        return UNIT_TYPES.contains(suffix) ? unit : unit + ".service";
    }

    private static final java.util.Set<String> UNIT_TYPES = java.util.Set.of(
            "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope");

    /** The current state and the exact command, nothing run (the same result as before the toolkit). */
    @Override
    protected ToolResult preview(PlannedChange<Target> plan, ToolContext ctx) {
        return run(plan.data(), true, ctx);
    }

    @Override
    protected ToolResult apply(PlannedChange<Target> plan, ObjectNode args, ToolContext ctx) {
        return run(plan.data(), false, ctx);
    }

    private ToolResult run(Target target, boolean dryRun, ToolContext ctx) {
        HostEntry host = target.host();
        String unit = target.unit();
        boolean systemd = Systemd.booted(ssh, host, ctx);
        RemoteCommand command = command(systemd, unit);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("unit", unit);
        out.put("dry_run", dryRun);
        out.put("command", command.display());
        StringBuilder text = new StringBuilder();
        if (dryRun) {
            out.putNull("exit_status");
            text.append("dry run: would run `")
                    .append(command.display())
                    .append("` on ")
                    .append(host.name())
                    .append("; nothing was changed\n");
        } else {
            ctx.progress().report(1, 2.0, action.verb + " " + unit + " on " + host.name());
            CommandResult result = ssh.run(host, command, ctx);
            out.put("exit_status", result.exitStatus());
            if (!result.succeeded()) {
                text.append(host.name())
                        .append(": `")
                        .append(command.display())
                        .append("` failed with exit status ")
                        .append(result.exitStatus())
                        .append(result.stderrSummary().isEmpty() ? "" : ": " + result.stderrSummary())
                        .append('\n');
                out.set("state", state(host, unit, systemd, ctx, text));
                return new ToolResult(text.toString(), out, true);
            }
            text.append(host.name()).append(": ran `").append(command.display()).append("`\n");
            if (!result.stdoutText().isBlank()) {
                text.append(result.stdoutText().strip()).append('\n');
            }
        }
        out.set("state", state(host, unit, systemd, ctx, text));
        return ToolResult.ok(text.toString(), out);
    }

    RemoteCommand command(boolean systemd, String unit) {
        List<String> argv = new ArrayList<>();
        if (sudo) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        if (systemd) {
            argv.addAll(List.of("systemctl", action.verb, "--", unit));
        } else {
            argv.addAll(List.of("service", sysvName(unit), action.verb));
        }
        return new RemoteCommand(argv);
    }

    private static String sysvName(String unit) {
        return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
    }

    /** The unit's state now: systemctl show properties, or the LSB status where systemd is not PID 1. */
    private ObjectNode state(HostEntry host, String unit, boolean systemd, ToolContext ctx, StringBuilder text) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        if (systemd) {
            CommandResult show = ssh.run(
                    host, RemoteCommand.of("systemctl", "show", "--no-pager", "--property=" + STATE, "--", unit), ctx);
            HostServiceStatusTool.parseShow(show.stdoutText()).forEach(state::put);
            text.append("state: ")
                    .append(state.path("ActiveState").asString("?"))
                    .append(" (")
                    .append(state.path("SubState").asString("?"))
                    .append("), main PID ")
                    .append(state.path("MainPID").asString("-"))
                    .append(", since ")
                    .append(state.path("ActiveEnterTimestamp").asString("-"))
                    .append('\n');
        } else {
            CommandResult status = ssh.run(host, HostServiceStatusTool.sysvCommand(sysvName(unit)), ctx);
            String lsb = HostServiceStatusTool.sysvState(status.exitStatus());
            state.put("ActiveState", lsb);
            state.put("sysv_exit_status", status.exitStatus());
            text.append("state: ")
                    .append(lsb)
                    .append(" (`service ")
                    .append(sysvName(unit))
                    .append(" status` exited ")
                    .append(status.exitStatus())
                    .append("; systemd is not PID 1)\n");
        }
        return state;
    }
}
