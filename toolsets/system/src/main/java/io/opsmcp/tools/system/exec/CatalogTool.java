package io.opsmcp.tools.system.exec;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.catalog.CatalogEntry;
import io.opsmcp.tools.system.catalog.CatalogParameter;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A host tool defined by a {@link CatalogEntry}: validates the typed parameters, runs the argv under the entry's
 * timeout and output cap, and returns the output with the exit status. A command still running at its deadline is
 * ended on the host and the result says so.
 *
 * <p>Path parameters are opened and checked in the same remote invocation that runs the command
 * ({@link PathCheck}): the file is opened once, the real path of the open descriptor must be the checked path,
 * and the command reads that descriptor. A symbolic link inside the allowlist is followed only when its target is
 * allowed too, by running again with the target itself. Nothing can be swapped between the check and the read.
 */
public final class CatalogTool extends HostTool {

    /** Runs per call when path parameters are links: the link, its target, and one retry if it moved meanwhile. */
    private static final int MAX_PATH_ATTEMPTS = 3;

    private static final DateTimeFormatter OPENSSL_DATE =
            DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final CatalogEntry entry;

    public CatalogTool(HostInventory hosts, SshExecutor ssh, CatalogEntry entry) {
        super(hosts, ssh);
        this.entry = entry;
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode properties = JsonSchemas.properties().set("host", HostArgs.HOST.schema());
        List<String> required = new java.util.ArrayList<>(List.of("host"));
        for (CatalogParameter p : entry.parameters()) {
            properties.set(p.name(), p.schema());
            if (p.required()) {
                required.add(p.name());
            }
        }
        ToolAnnotations annotations = entry.readOnly()
                ? ToolAnnotations.readOnly()
                : entry.destructive() ? ToolAnnotations.destructive() : ToolAnnotations.mutating(false);
        // The command line, timeout and output cap are not restated here: the model reads every description on
        // every turn and needs none of them to choose the tool; the result's argv shows what ran, and the catalog
        // (configuration) is where an operator reviews the commands.
        String description = entry.description();
        return new ToolDefinition(
                entry.toolName(),
                entry.title(),
                description,
                JsonSchemas.input(properties, required.toArray(String[]::new)),
                outputSchema(),
                annotations);
    }

    private static ObjectNode outputSchema() {
        return JsonSchemas.output(
                JsonSchemas.properties()
                        .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                        .<ObjectNode>set("command", JsonSchemas.type("string", "catalog command name"))
                        .<ObjectNode>set("argv", JsonSchemas.arrayOf(JsonSchemas.type("string", "word"), "what ran"))
                        .<ObjectNode>set(
                                "exit_status",
                                JsonSchemas.type(
                                        "integer", "exit status; absent when ended by a signal or the deadline"))
                        .<ObjectNode>set(
                                "timed_out", JsonSchemas.type("boolean", "still running at its deadline; ended"))
                        .<ObjectNode>set("elapsed_ms", JsonSchemas.type("integer", "run time"))
                        .<ObjectNode>set("stdout", JsonSchemas.type("string", "standard output (capped)"))
                        .<ObjectNode>set("omitted_bytes", JsonSchemas.type("integer", "stdout bytes past the cap"))
                        .<ObjectNode>set("stderr", JsonSchemas.type("string", "standard error (capped at 8 KiB)"))
                        .<ObjectNode>set("fields", JsonSchemas.type("object", "key=value output lines, when parsed"))
                        .<ObjectNode>set(
                                "host_key_check", JsonSchemas.type("string", "known_hosts or trust_on_first_use")),
                "host",
                "command",
                "argv",
                "timed_out",
                "stdout",
                "omitted_bytes",
                "stderr");
    }

    /**
     * Validates all arguments (nothing connects before this passes) and names the host; mutating commands get a
     * preview ({@link CatalogChangeTool} plans with it).
     */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        Map<String, String> values = entry.bind(args);
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        Map<String, String> ids = new LinkedHashMap<>(ids(host));
        ids.put("command", entry.name());
        if (entry.readOnly()) {
            return ActionDescriptor.read("host", "host", host.environment(), host.name(), ids);
        }
        RemoteCommand command = entry.render(values);
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        after.putArray("argv")
                .addAll(command.argv().stream()
                        .map(JsonNodeFactory.instance::stringNode)
                        .toList());
        return new ActionDescriptor(
                "host",
                "host",
                host.environment(),
                host.name(),
                ids,
                new ChangePreview("run `" + command.display() + "` on " + host.name(), null, after));
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        return run(entry.bind(args), hosts.require(HostArgs.HOST.read(args)), ctx);
    }

    /** Runs the command with validated values on the host (also the apply step of {@link CatalogChangeTool}). */
    ToolResult run(Map<String, String> bound, HostEntry host, ToolContext ctx) {
        Map<String, String> values = new LinkedHashMap<>(bound);
        List<CatalogParameter.FilePath> paths = entry.parameters().stream()
                .filter(p -> p instanceof CatalogParameter.FilePath && values.containsKey(p.name()))
                .map(p -> (CatalogParameter.FilePath) p)
                .toList();
        SshExecutor.Limits limits = new SshExecutor.Limits(entry.timeout(), entry.maxOutputBytes());
        RemoteCommand command = entry.render(values);
        CommandResult result = null;
        if (paths.isEmpty()) {
            result = ssh.run(host, command, limits, ctx);
        }
        // A link is followed only after its target passed the allowlist here, and then by the target's own name,
        // which must again be the real path of what is opened: a path swapped in between is refused.
        for (int attempt = 0; attempt < MAX_PATH_ATTEMPTS && result == null; attempt++) {
            command = entry.render(values);
            CommandResult r = ssh.run(host, PathCheck.wrap(entry, values, paths), limits, ctx);
            PathCheck.Refusal refusal = PathCheck.refusal(r, paths.size());
            if (refusal == null) {
                result = r;
                continue;
            }
            CatalogParameter.FilePath parameter = paths.get(refusal.index());
            String requested = values.get(parameter.name());
            if (refusal.real() == null) {
                throw new ToolException(
                        Kind.NOT_FOUND,
                        parameter.name() + ": " + requested + " cannot be opened on " + host.name()
                                + (refusal.detail().isEmpty() ? "" : ": " + refusal.detail()));
            }
            try {
                parameter.requireAllowed(refusal.real());
            } catch (ToolException e) {
                throw new ToolException(
                        Kind.FORBIDDEN,
                        parameter.name() + ": " + requested + " is a link to " + refusal.real()
                                + ", which is outside the allowed paths " + parameter.globs());
            }
            values.put(parameter.name(), refusal.real());
        }
        if (result == null) {
            throw new ToolException(
                    Kind.FORBIDDEN,
                    paths.stream().map(CatalogParameter::name).collect(java.util.stream.Collectors.joining(", "))
                            + ": the path kept changing on " + host.name()
                            + " while it was being checked (links replaced during the call); refused");
        }
        if (!result.timedOut()
                && result.exitStatus() != null
                && (result.exitStatus() == 127 || result.exitStatus() == 126)) {
            // timeout(1) exits 127 when the program is missing and 126 when it cannot be run
            String program = command.argv().get(0);
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "`" + program + "` "
                            + (result.exitStatus() == 127
                                    ? "is not installed on " + host.name() + " (or not on the PATH of " + host.user()
                                            + ")"
                                    : "cannot be run on " + host.name() + " by " + host.user())
                            + (result.stderrSummary().isEmpty() ? "" : ": " + result.stderrSummary()));
        }
        return toResult(host, command, result);
    }

    private ToolResult toResult(HostEntry host, RemoteCommand command, CommandResult result) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("command", entry.name());
        out.putArray("argv")
                .addAll(command.argv().stream()
                        .map(JsonNodeFactory.instance::stringNode)
                        .toList());
        out.put("exit_status", result.exitStatus());
        out.put("timed_out", result.timedOut());
        out.put("elapsed_ms", result.elapsed().toMillis());
        String stdout = result.stdoutText();
        out.put("stdout", stdout);
        out.put("omitted_bytes", result.omittedBytes());
        out.put("stderr", result.stderr());
        Map<String, String> fields =
                entry.output() == CatalogEntry.OutputFormat.TEXT ? Map.of() : fields(stdout, entry.output());
        if (!fields.isEmpty()) {
            ObjectNode f = out.putObject("fields");
            fields.forEach(f::put);
        }
        out.put("host_key_check", host.hostKeyCheck());

        StringBuilder text = new StringBuilder();
        text.append(host.name()).append(": `").append(command.display()).append("` ");
        if (result.timedOut()) {
            text.append("was still running after ")
                    .append(result.elapsed().toMillis() / 1000.0)
                    .append(" s (timeout ")
                    .append(entry.timeout().toSeconds())
                    .append(" s) and was killed on the host; output until then:\n");
        } else {
            text.append("exited with ")
                    .append(result.exitStatus() == null ? "a signal" : result.exitStatus())
                    .append(" in ")
                    .append(result.elapsed().toMillis())
                    .append(" ms\n");
        }
        if (!fields.isEmpty()) {
            fields.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        } else {
            text.append(stdout);
            if (!stdout.isEmpty() && !stdout.endsWith("\n")) {
                text.append('\n');
            }
        }
        if (result.truncated()) {
            text.append("[truncated: ")
                    .append(result.omittedBytes())
                    .append(" bytes omitted (output cap ")
                    .append(entry.maxOutputBytes())
                    .append(" bytes)]\n");
        }
        if (!result.stderr().isBlank()) {
            text.append("stderr:\n").append(result.stderr().strip()).append('\n');
        }
        if (host.trustOnFirstUse()) {
            text.append("note: ")
                    .append(host.name())
                    .append("'s host key was trusted on first use, not verified"
                            + " against known_hosts (lab setting trust_on_first_use)\n");
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** {@code key=value} lines; for certificates also {@code not_after} (ISO-8601 UTC) and {@code days_left}. */
    static Map<String, String> fields(String stdout, CatalogEntry.OutputFormat format) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : stdout.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (format == CatalogEntry.OutputFormat.CERTIFICATE && fields.containsKey("notAfter")) {
            // openssl prints e.g. "Mar  1 12:00:00 2026 GMT" (always GMT, day padded with a space)
            String raw = fields.get("notAfter").replaceAll("\\s+", " ").replace(" GMT", "");
            try {
                LocalDateTime notAfter = LocalDateTime.parse(raw, OPENSSL_DATE);
                fields.put(
                        "not_after",
                        notAfter.atOffset(ZoneOffset.UTC).toInstant().toString());
                fields.put(
                        "days_left",
                        Long.toString(
                                ChronoUnit.DAYS.between(java.time.Instant.now(), notAfter.toInstant(ZoneOffset.UTC))));
            } catch (DateTimeParseException e) {
                // an unexpected date format: the raw notAfter line is still returned
            }
        }
        return fields;
    }
}
