package io.opsmcp.tools.system.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.hosts.Params;
import io.opsmcp.tools.system.hosts.Schemas;
import io.opsmcp.tools.system.hosts.Systemd;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_journal}: {@code journalctl --no-pager -o json --output-fields=... -u UNIT [--since=SINCE] -n LINES}
 * parsed into entries (journalctl(1) JSON export: one object per line, {@code __REALTIME_TIMESTAMP} in
 * microseconds since the epoch, {@code MESSAGE} a string or, for non-UTF-8 data, an array of bytes).
 */
public final class HostJournalTool extends HostTool {

    static final String NAME = "host_journal";
    /**
     * The {@code since} forms accepted (a subset of systemd.time(7)): {@code 90s}, {@code 15min}, {@code 2h},
     * {@code 3d} (that long ago), {@code 10 minutes ago}, {@code today}, {@code yesterday}, and ISO dates
     * {@code 2025-01-31}, {@code 2025-01-31 13:45[:10]} or with {@code T}.
     */
    public static final String SINCE_PATTERN = "^(?:\\d{1,6}(?:s|min|h|d)|\\d{1,6} (?:seconds?|minutes?|hours?|days?) ago"
            + "|today|yesterday|\\d{4}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?)?)$";
    private static final Pattern SINCE = Pattern.compile(SINCE_PATTERN);
    private static final Pattern UNIT = Pattern.compile(Params.UNIT_PATTERN);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public HostJournalTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** One journal entry; {@code priority} 0 (emerg) .. 7 (debug), {@code null} when absent. */
    public record JournalEntry(Instant time, Integer priority, String identifier, Long pid, String message) {
    }

    /** The journalctl argv; {@code since} must already be validated (or {@code null}). */
    public static RemoteCommand command(String unit, String since, int lines) {
        List<String> argv = new ArrayList<>(List.of("journalctl", "--no-pager", "-o", "json",
                "--output-fields=MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_PID", "-u", unit));
        if (since != null) {
            argv.add("--since=" + journalctlSince(since));
        }
        argv.add("-n");
        argv.add(Integer.toString(lines));
        return new RemoteCommand(argv);
    }

    /** Maps the accepted forms to journalctl's: {@code 2h} becomes {@code -2h}, {@code T} in ISO becomes a space. */
    static String journalctlSince(String since) {
        if (since.matches("^\\d{1,6}(?:s|min|h|d)$")) {
            return "-" + since;
        }
        if (since.matches("^\\d{4}-\\d{2}-\\d{2}T.*$")) {
            return since.replace('T', ' ');
        }
        return since;
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode entry = JsonSchemas.output(JsonSchemas.properties()
                        .<ObjectNode>set("time", JsonSchemas.nullable("string", "ISO-8601 UTC time of the entry"))
                        .<ObjectNode>set("priority", JsonSchemas.nullable("integer",
                                "syslog priority 0 (emerg) .. 7 (debug)"))
                        .<ObjectNode>set("identifier", JsonSchemas.nullable("string", "syslog identifier"))
                        .<ObjectNode>set("pid", JsonSchemas.nullable("integer", "process id"))
                        .<ObjectNode>set("message", JsonSchemas.type("string", "log message")),
                "message");
        return new ToolDefinition(NAME, "Host journal for a unit",
                "Reads recent systemd journal entries of one unit on a Linux host (journalctl -u UNIT), oldest "
                        + "first, at most `lines` (1-1000, default 100), optionally only entries since `since` "
                        + "(e.g. `30min`, `2h`, `1d`, `10 minutes ago`, `today`, `yesterday`, `2025-01-31 13:45`). "
                        + "Use it after host_service_status shows a failing unit. Needs systemd on the host.",
                JsonSchemas.input(JsonSchemas.properties()
                        .<ObjectNode>set("host", Schemas.host())
                        .<ObjectNode>set("unit", JsonSchemas.pattern("systemd unit, e.g. nginx.service or nginx.",
                                Params.UNIT_PATTERN, 256))
                        .<ObjectNode>set("since", JsonSchemas.pattern("Only entries since then (see description).",
                                SINCE_PATTERN, 32))
                        .<ObjectNode>set("lines", JsonSchemas.integer("Most recent entries to return.", 1, 1000, 100)),
                        "host", "unit"),
                JsonSchemas.output(JsonSchemas.properties()
                        .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                        .<ObjectNode>set("unit", JsonSchemas.type("string", "unit"))
                        .<ObjectNode>set("systemd", JsonSchemas.type("boolean", "systemd is the host's init system"))
                        .<ObjectNode>set("entries", JsonSchemas.arrayOf(entry, "oldest first"))
                        .<ObjectNode>set("truncated", JsonSchemas.type("boolean",
                                "output was cut at ssh.max_output_bytes"))
                        .<ObjectNode>set("note", JsonSchemas.nullable("string", "why entries may be missing")),
                        "host", "unit", "systemd", "entries"),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(Params.host(args));
        String unit = Params.string(args, "unit", UNIT, true);
        String since = Params.string(args, "since", SINCE, false);
        int lines = Params.integer(args, "lines", 1, 1000, 100);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("unit", unit);
        ctx.progress().report(0, 2.0, "checking for systemd on " + host.name());
        if (!Systemd.booted(ssh, host, ctx)) {
            out.put("systemd", false);
            out.putArray("entries");
            out.put("truncated", false);
            String note = Systemd.notBootedNote(host) + "; there is no journal to read";
            out.put("note", note);
            return new ToolResult(host.name() + ": " + note + ".\n", out, true);
        }
        ctx.progress().report(1, 2.0, "reading the journal of " + unit);
        RemoteCommand command = command(unit, since, lines);
        CommandResult result = run(host, command, ctx);
        if (!result.succeeded()) {
            throw failed(host, command, result);
        }
        List<JournalEntry> entries = parse(result.stdoutText(), result.truncated());
        out.put("systemd", true);
        out.set("entries", toJson(entries));
        out.put("truncated", result.truncated());
        String stderr = result.stderrSummary();
        out.put("note", stderr.isEmpty() ? null : stderr);
        StringBuilder text = new StringBuilder(host.name() + ": " + entries.size() + " journal entries for " + unit
                + (since == null ? "" : " since " + since) + "\n");
        entries.forEach(e -> text.append(line(e)).append('\n'));
        if (!stderr.isEmpty()) {
            text.append("note: journalctl said: ").append(stderr).append('\n');
        }
        text.append(truncationNote(result));
        return ToolResult.ok(text.toString(), out);
    }

    public static ArrayNode toJson(List<JournalEntry> entries) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (JournalEntry e : entries) {
            ObjectNode o = list.addObject();
            o.put("time", e.time() == null ? null : e.time().toString());
            o.put("priority", e.priority());
            o.put("identifier", e.identifier());
            o.put("pid", e.pid());
            o.put("message", e.message());
        }
        return list;
    }

    public static String line(JournalEntry e) {
        return (e.time() == null ? "-" : e.time().toString()) + " "
                + (e.identifier() == null ? "" : e.identifier()) + (e.pid() == null ? "" : "[" + e.pid() + "]")
                + ": " + e.message();
    }

    /**
     * Parses journalctl JSON lines. Lines that are not JSON objects (e.g. {@code -- No entries --} or a line cut
     * by the output cap) are skipped.
     */
    public static List<JournalEntry> parse(String output, boolean truncated) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        if (truncated && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<JournalEntry> entries = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JacksonException e) {
                continue;
            }
            entries.add(new JournalEntry(micros(node.get("__REALTIME_TIMESTAMP")),
                    integer(node.get("PRIORITY")), text(node.get("SYSLOG_IDENTIFIER")),
                    longValue(node.get("_PID")), message(node.get("MESSAGE"))));
        }
        return entries;
    }

    private static Instant micros(JsonNode n) {
        Long us = longValue(n);
        return us == null ? null : Instant.ofEpochSecond(us / 1_000_000, us % 1_000_000 * 1000);
    }

    private static Integer integer(JsonNode n) {
        Long v = longValue(n);
        return v == null ? null : v.intValue();
    }

    private static Long longValue(JsonNode n) {
        String s = text(n);
        if (s == null || !s.matches("^\\d{1,19}$")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isString() ? n.asString() : n.toString();
    }

    /** MESSAGE is a string, or an array of byte values when it is not valid UTF-8 (decoded leniently). */
    private static String message(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isArray()) {
            byte[] bytes = new byte[n.size()];
            for (int i = 0; i < n.size(); i++) {
                bytes[i] = (byte) n.get(i).asInt();
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return text(n);
    }
}
