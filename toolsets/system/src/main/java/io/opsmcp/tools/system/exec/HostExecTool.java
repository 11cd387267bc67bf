package io.opsmcp.tools.system.exec;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_exec}: runs an arbitrary one-line shell command ({@code sh -c COMMAND}) on a host. Exists only with
 * {@code host_changes.exec.enabled: true}; always destructive for the policy. The command is classified
 * ({@link CommandClassifier}) and the class goes into the action descriptor's policy facts as {@code command_class}, so
 * the policy can demand more approvals for destructive commands. {@code dry_run} classifies without running.
 */
public final class HostExecTool extends MutatingTool<HostExecTool.Planned> {

    static final String NAME = "host_exec";
    static final int MAX_COMMAND = 4096;

    static final ArgSpec<String> COMMAND = ArgSpec.string("command")
            .description("One line of POSIX shell, run with sh -c as the configured user.")
            .pattern("^[^\\x00\\r\\n]+$")
            .nonEmpty()
            .maxLength(MAX_COMMAND)
            .required();

    /**
     * A classified command on a host, planned without connecting.
     *
     * @param host           the configured host
     * @param command        the command line
     * @param classification its class and the rule that decided it
     */
    public record Planned(HostEntry host, String command, CommandClassifier.Classification classification) {}

    private final HostInventory hosts;
    private final SshExecutor ssh;
    private final MutatingSettings settings;

    public HostExecTool(HostInventory hosts, SshExecutor ssh, MutatingSettings settings) {
        super(definition(settings));
        this.hosts = hosts;
        this.ssh = ssh;
        this.settings = settings;
    }

    private static ToolDefinition definition(MutatingSettings settings) {
        return ToolSpec.tool(NAME)
                .title("Run a shell command on a host")
                .description(
                        "Runs an arbitrary shell command on a Linux host (sh -c) and returns its exit status and output. "
                                + "Prefer the specific host_* tools: this one is a last resort, is always treated as "
                                + "destructive, and is classified (read / write / destructive) for the policy, which may "
                                + "require one or more human approvals. Pass dry_run: true to see the classification without "
                                + "running anything. Timeout "
                                + settings.execTimeout().toSeconds() + " s, output cap "
                                + settings.execMaxOutput() + " bytes.")
                .args(HostArgs.HOST, COMMAND)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set("command", JsonSchemas.type("string", "the command"))
                                .<ObjectNode>set(
                                        "command_class", JsonSchemas.type("string", "read, write or destructive"))
                                .<ObjectNode>set("dry_run", JsonSchemas.type("boolean", "nothing was run"))
                                .<ObjectNode>set(
                                        "exit_status",
                                        JsonSchemas.type(
                                                "integer",
                                                "exit status; absent when ended by a signal or the deadline"))
                                .<ObjectNode>set("timed_out", JsonSchemas.type("boolean", "ended at its deadline"))
                                .<ObjectNode>set("stdout", JsonSchemas.type("string", "standard output (capped)"))
                                .<ObjectNode>set("stderr", JsonSchemas.type("string", "standard error (capped)")),
                        "host",
                        "command",
                        "command_class",
                        "dry_run"))
                .destructive()
                .build();
    }

    @Override
    protected PlannedChange<Planned> plan(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String command = command(args);
        CommandClassifier.Classification c = CommandClassifier.classify(command);
        Map<String, String> ids = HostTool.ids(host);
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        after.put("command", command);
        after.put(CommandClass.POLICY_FACT, c.commandClass().wireName());
        after.put("reason", c.reason());
        return new PlannedChange<>(
                new ActionDescriptor(
                                "host",
                                "host",
                                host.environment(),
                                host.name(),
                                ids,
                                new ChangePreview(
                                        "run `" + command + "` on " + host.name() + " ("
                                                + c.commandClass().wireName() + ": " + c.reason() + ")",
                                        null,
                                        after))
                        .withFacts(c.commandClass().asPolicyFact()),
                new Planned(host, command, c));
    }

    /** The classification, nothing run (the same result as before the toolkit). */
    @Override
    protected ToolResult preview(PlannedChange<Planned> plan, ToolContext ctx) {
        return run(plan.data(), true, ctx);
    }

    @Override
    protected ToolResult apply(PlannedChange<Planned> plan, ObjectNode args, ToolContext ctx) {
        return run(plan.data(), false, ctx);
    }

    private ToolResult run(Planned planned, boolean dryRun, ToolContext ctx) {
        HostEntry host = planned.host();
        String command = planned.command();
        CommandClassifier.Classification c = planned.classification();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("command", command);
        out.put(CommandClass.POLICY_FACT, c.commandClass().wireName());
        out.put("dry_run", dryRun);
        if (dryRun) {
            return ToolResult.ok(
                    "dry run: `" + command + "` on " + host.name() + " is classed "
                            + c.commandClass().wireName() + " (" + c.reason() + "); nothing was run\n",
                    out);
        }
        List<String> argv = new ArrayList<>();
        if (settings.sudo()) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        argv.addAll(List.of("sh", "-c", command));
        CommandResult result = ssh.run(
                host,
                new RemoteCommand(argv),
                new SshExecutor.Limits(settings.execTimeout(), settings.execMaxOutput()),
                ctx);
        out.put("exit_status", result.exitStatus());
        out.put("timed_out", result.timedOut());
        out.put("stdout", result.stdoutText());
        out.put("stderr", result.stderr());
        String status = result.timedOut()
                ? "was still running at its deadline and was killed on the host"
                : "exited with " + result.exitStatus();
        String text = host.name() + ": `" + command + "` (" + c.commandClass().wireName() + ") " + status + "\n"
                + result.stdoutText()
                + (result.truncated() ? "\n[truncated: " + result.omittedBytes() + " bytes omitted]\n" : "")
                + (result.stderr().isBlank()
                        ? ""
                        : "\nstderr:\n" + result.stderr().strip() + "\n");
        return new ToolResult(text, out, !result.timedOut() && !result.succeeded());
    }

    private static String command(ObjectNode args) {
        String command = COMMAND.read(args);
        if (command.isBlank()) {
            throw new ToolException(Kind.INVALID_ARGUMENT, "command: must be a non-empty string");
        }
        return command;
    }
}
