package io.opsmcp.tools.system.services;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.hosts.Systemd;
import io.opsmcp.tools.system.logs.HostJournalTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_service_status}: on systemd hosts {@code systemctl show --property=...} of the unit and its last
 * journal lines; elsewhere (containers, SysV hosts) {@code service NAME status}, whose exit status follows the
 * LSB init-script conventions (LSB 5.0 Core, "Init Script Actions": 0 running, 1 dead with pid file, 2 dead
 * with lock file, 3 not running, 4 unknown).
 */
public final class HostServiceStatusTool extends HostTool {

    static final String NAME = "host_service_status";
    static final String PROPERTIES =
            "Id,Description,LoadState,ActiveState,SubState,ActiveEnterTimestamp,MainPID,UnitFileState,Result";
    static final ArgSpec<String> UNIT = HostArgs.unit("Unit or service name, e.g. nginx.");
    static final ArgSpec<Integer> LOG_LINES = ArgSpec.integer("log_lines")
            .description("Journal lines to include.")
            .range(0, 200)
            .defaultValue(10);
    private static final int MAX_SYSV_OUTPUT_LINES = 20;

    public HostServiceStatusTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    static RemoteCommand showCommand(String unit) {
        return RemoteCommand.of("systemctl", "show", "--no-pager", "--property=" + PROPERTIES, "--", unit);
    }

    static RemoteCommand sysvCommand(String service) {
        return RemoteCommand.of("service", service, "status");
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode props = JsonSchemas.properties();
        props.set("host", JsonSchemas.type("string", "host name"));
        props.set("unit", JsonSchemas.type("string", "unit as requested"));
        props.set("systemd", JsonSchemas.type("boolean", "systemd is the host's init system"));
        props.set("load_state", JsonSchemas.type("string", "loaded, not-found, masked, …"));
        props.set(
                "active_state",
                JsonSchemas.type(
                        "string",
                        "active, inactive, failed, activating, … (systemd), "
                                + "or running / not-running / dead / unknown from the SysV exit status"));
        props.set("sub_state", JsonSchemas.type("string", "running, exited, dead, …"));
        props.set("since", JsonSchemas.type("string", "when the unit last entered the active state"));
        props.set("main_pid", JsonSchemas.type("integer", "main process id; absent when none"));
        props.set("description", JsonSchemas.type("string", "unit description"));
        props.set("unit_file_state", JsonSchemas.type("string", "enabled, disabled, static, …"));
        props.set("result", JsonSchemas.type("string", "result of the last run: success, exit-code, …"));
        props.set("sysv_exit_status", JsonSchemas.type("integer", "exit status of `service NAME status`, when used"));
        props.set("sysv_output", JsonSchemas.type("string", "first lines `service NAME status` printed, when used"));
        props.set(
                "logs",
                JsonSchemas.arrayOf(
                        JsonSchemas.type("object", "journal entry as in host_journal"),
                        "last journal entries of the unit"));
        props.set("note", JsonSchemas.type("string", "how the status was determined when not via systemd"));
        return ToolSpec.tool(NAME)
                .title("Host service status")
                .description(
                        "A service's state (active/sub state, since, main PID, enablement) and last journal lines; "
                                + "works without systemd.")
                .args(HostArgs.HOST, UNIT, LOG_LINES)
                .output(JsonSchemas.output(props, "host", "unit", "systemd", "active_state", "logs"))
                .readOnly()
                .build();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String unit = UNIT.read(args);
        int logLines = LOG_LINES.read(args);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("unit", unit);
        ctx.progress().report(0, 3.0, "checking for systemd on " + host.name());
        boolean systemd = Systemd.booted(ssh, host, ctx);
        out.put("systemd", systemd);
        return systemd ? viaSystemd(host, unit, logLines, out, ctx) : viaSysv(host, unit, out, ctx);
    }

    private ToolResult viaSystemd(HostEntry host, String unit, int logLines, ObjectNode out, ToolContext ctx) {
        ctx.progress().report(1, 3.0, "systemctl show " + unit);
        RemoteCommand show = showCommand(unit);
        CommandResult result = run(host, show, ctx);
        if (!result.succeeded()) {
            throw failed(host, show, result);
        }
        Map<String, String> p = parseShow(result.stdoutText());
        String since = blankToNull(p.get("ActiveEnterTimestamp"));
        Long mainPid = parsePid(p.get("MainPID"));
        out.put("load_state", blankToNull(p.get("LoadState")));
        out.put("active_state", blankToNull(p.get("ActiveState")));
        out.put("sub_state", blankToNull(p.get("SubState")));
        out.put("since", since);
        out.put("main_pid", mainPid);
        out.put("description", blankToNull(p.get("Description")));
        out.put("unit_file_state", blankToNull(p.get("UnitFileState")));
        out.put("result", blankToNull(p.get("Result")));
        out.putNull("sysv_exit_status");
        out.putNull("sysv_output");
        List<HostJournalTool.JournalEntry> logs = List.of();
        if (logLines > 0 && !"not-found".equals(p.get("LoadState"))) {
            ctx.progress().report(2, 3.0, "journalctl -u " + unit);
            RemoteCommand journal = HostJournalTool.command(unit, null, logLines);
            CommandResult j = run(host, journal, ctx);
            if (j.succeeded()) {
                logs = HostJournalTool.parse(j.stdoutText(), j.truncated());
            } else {
                out.put("note", "journal not readable: " + j.stderrSummary());
            }
        }
        out.set("logs", HostJournalTool.toJson(logs));
        if (!out.has("note")) {
            out.putNull("note");
        }
        StringBuilder text = new StringBuilder();
        if ("not-found".equals(p.get("LoadState"))) {
            text.append(host.name()).append(": unit ").append(unit).append(" is not found (LoadState=not-found)\n");
        } else {
            text.append(host.name())
                    .append(": ")
                    .append(p.getOrDefault("Id", unit))
                    .append(" - ")
                    .append(p.getOrDefault("Description", ""))
                    .append('\n')
                    .append("  Loaded: ")
                    .append(p.get("LoadState"))
                    .append(" (")
                    .append(p.get("UnitFileState"))
                    .append(")\n")
                    .append("  Active: ")
                    .append(p.get("ActiveState"))
                    .append(" (")
                    .append(p.get("SubState"))
                    .append(")")
                    .append(since == null ? "" : " since " + since)
                    .append('\n')
                    .append("  Main PID: ")
                    .append(mainPid == null ? "-" : mainPid)
                    .append('\n');
            if (!logs.isEmpty()) {
                text.append("Last ").append(logs.size()).append(" log line(s):\n");
                logs.forEach(
                        e -> text.append("  ").append(HostJournalTool.line(e)).append('\n'));
            }
        }
        return ToolResult.ok(text.toString(), out);
    }

    private ToolResult viaSysv(HostEntry host, String unit, ObjectNode out, ToolContext ctx) {
        String note = Systemd.notBootedNote(host);
        String service = unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
        out.putNull("load_state");
        out.putNull("sub_state");
        out.putNull("since");
        out.putNull("main_pid");
        out.putNull("description");
        out.putNull("unit_file_state");
        out.putNull("result");
        out.putArray("logs");
        if (service.contains(".")) {
            out.putNull("active_state");
            out.putNull("sysv_exit_status");
            out.putNull("sysv_output");
            out.put("note", note + "; '" + unit + "' is not a service, so there is no SysV fallback");
            return new ToolResult(host.name() + ": " + out.get("note").asString() + ".\n", out, true);
        }
        ctx.progress().report(1, 3.0, "service " + service + " status");
        RemoteCommand command = sysvCommand(service);
        CommandResult result = run(host, command, ctx);
        Integer status = result.exitStatus();
        String state = sysvState(status);
        String output = firstLines(result.stdoutText() + result.stderr(), MAX_SYSV_OUTPUT_LINES);
        out.put("active_state", state);
        out.put("sysv_exit_status", status);
        out.put("sysv_output", output);
        boolean noServiceCommand = status != null && status == 127;
        out.put(
                "note",
                note
                        + (noServiceCommand
                                ? "; the `service` command is not installed either, so the state is unknown"
                                : "; the state comes from the exit status of `service " + service
                                        + " status` (LSB conventions)"));
        String text = host.name() + ": " + out.get("note").asString() + ".\n"
                + "  " + service + ": " + state + " (exit status " + (status == null ? "-" : status) + ")\n"
                + (output.isBlank()
                        ? ""
                        : output.lines().map(l -> "  | " + l + "\n").reduce("", String::concat));
        return new ToolResult(text, out, noServiceCommand);
    }

    /** LSB 5.0 status exit codes; 127 means the service command itself is missing. */
    static String sysvState(Integer status) {
        if (status == null) {
            return "unknown";
        }
        return switch (status) {
            case 0 -> "running";
            case 1 -> "dead (pid file exists)";
            case 2 -> "dead (lock file exists)";
            case 3 -> "not-running";
            default -> "unknown";
        };
    }

    /** Parses {@code systemctl show} output: {@code Key=Value} per line; the value may contain '='. */
    static Map<String, String> parseShow(String output) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                props.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return props;
    }

    private static Long parsePid(String value) {
        if (value == null || !value.matches("^\\d{1,10}$")) {
            return null;
        }
        long pid = Long.parseLong(value);
        return pid == 0 ? null : pid;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String firstLines(String text, int max) {
        List<String> lines = text.strip().lines().limit(max).toList();
        return String.join("\n", lines);
    }
}
