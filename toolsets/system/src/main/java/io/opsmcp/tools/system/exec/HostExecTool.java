package io.opsmcp.tools.system.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.hosts.Params;
import io.opsmcp.tools.system.hosts.Schemas;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_exec}: runs an arbitrary one-line shell command ({@code sh -c COMMAND}) on a host. Exists only with
 * {@code host_changes.exec.enabled: true}; always destructive for the policy. The command is classified
 * ({@link CommandClassifier}) and the class goes into the action descriptor's ids as {@code command_class}, so
 * the policy can demand more approvals for destructive commands. {@code dry_run} classifies without running.
 */
public final class HostExecTool extends HostTool {

    static final String NAME = "host_exec";
    static final int MAX_COMMAND = 4096;

    private final MutatingSettings settings;

    public HostExecTool(HostInventory hosts, SshExecutor ssh, MutatingSettings settings) {
        super(hosts, ssh);
        this.settings = settings;
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode command = JsonSchemas.type("string",
                "One line of POSIX shell, run with sh -c as the configured user.");
        command.put("minLength", 1);
        command.put("maxLength", MAX_COMMAND);
        command.put("pattern", "^[^\\u0000\\r\\n]+$");
        return new ToolDefinition(NAME, "Run a shell command on a host",
                "Runs an arbitrary shell command on a Linux host (sh -c) and returns its exit status and output. "
                        + "Prefer the specific host_* tools: this one is a last resort, is always treated as "
                        + "destructive, and is classified (read / write / destructive) for the policy, which may "
                        + "require one or more human approvals. Pass dry_run: true to see the classification without "
                        + "running anything. Timeout " + settings.execTimeout().toSeconds() + " s, output cap "
                        + settings.execMaxOutput() + " bytes.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("host", Schemas.host())
                        .<ObjectNode>set("command", command)
                        .<ObjectNode>set("dry_run", Schemas.dryRun()), "host", "command"),
                JsonSchemas.output(JsonSchemas.properties()
                        .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                        .<ObjectNode>set("command", JsonSchemas.type("string", "the command"))
                        .<ObjectNode>set("command_class", JsonSchemas.type("string", "read, write or destructive"))
                        .<ObjectNode>set("dry_run", JsonSchemas.type("boolean", "nothing was run"))
                        .<ObjectNode>set("exit_status", JsonSchemas.nullable("integer", "exit status; null when ended"))
                        .<ObjectNode>set("timed_out", JsonSchemas.type("boolean", "ended at its deadline"))
                        .<ObjectNode>set("stdout", JsonSchemas.type("string", "standard output (capped)"))
                        .<ObjectNode>set("stderr", JsonSchemas.type("string", "standard error (capped)")),
                        "host", "command", "command_class", "dry_run"),
                ToolAnnotations.destructive());
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(Params.host(args));
        String command = command(args);
        CommandClassifier.Classification c = CommandClassifier.classify(command);
        Map<String, String> ids = new LinkedHashMap<>(ids(host));
        ids.putAll(c.commandClass().asPolicyFact());
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        after.put("command", command);
        after.put(CommandClass.POLICY_FACT, c.commandClass().wireName());
        after.put("reason", c.reason());
        return new ActionDescriptor("host", "host", host.environment(), host.name(), ids, new ChangePreview(
                "run `" + command + "` on " + host.name() + " (" + c.commandClass().wireName() + ": " + c.reason() + ")",
                null, after));
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(Params.host(args));
        String command = command(args);
        boolean dryRun = Params.dryRun(args);
        CommandClassifier.Classification c = CommandClassifier.classify(command);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("command", command);
        out.put(CommandClass.POLICY_FACT, c.commandClass().wireName());
        out.put("dry_run", dryRun);
        if (dryRun) {
            return ToolResult.ok("dry run: `" + command + "` on " + host.name() + " is classed "
                    + c.commandClass().wireName() + " (" + c.reason() + "); nothing was run\n", out);
        }
        List<String> argv = new ArrayList<>();
        if (settings.sudo()) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        argv.addAll(List.of("sh", "-c", command));
        CommandResult result = ssh.run(host, new RemoteCommand(argv),
                new SshExecutor.Limits(settings.execTimeout(), settings.execMaxOutput()), ctx.deadline());
        out.put("exit_status", result.exitStatus());
        out.put("timed_out", result.timedOut());
        out.put("stdout", result.stdoutText());
        out.put("stderr", result.stderr());
        String status = result.timedOut() ? "was still running at its deadline and was killed on the host"
                : "exited with " + result.exitStatus();
        String text = host.name() + ": `" + command + "` (" + c.commandClass().wireName() + ") " + status + "\n"
                + result.stdoutText()
                + (result.truncated() ? "\n[truncated: " + result.omittedBytes() + " bytes omitted]\n" : "")
                + (result.stderr().isBlank() ? "" : "\nstderr:\n" + result.stderr().strip() + "\n");
        return new ToolResult(text, out, !result.timedOut() && !result.succeeded());
    }

    private static String command(ObjectNode args) {
        JsonNode node = args == null ? null : args.get("command");
        if (node == null || node.isNull()) {
            throw Params.invalid("command", "is required");
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw Params.invalid("command", "must be a non-empty string");
        }
        String command = node.asString();
        if (command.length() > MAX_COMMAND) {
            throw Params.invalid("command", "must be at most " + MAX_COMMAND + " characters");
        }
        if (command.indexOf('\0') >= 0 || command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw Params.invalid("command", "must be one line (no NUL, CR or LF)");
        }
        return command;
    }
}
