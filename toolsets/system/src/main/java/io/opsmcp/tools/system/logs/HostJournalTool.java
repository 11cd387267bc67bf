package io.opsmcp.tools.system.logs;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.hosts.Systemd;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    static final ArgSpec<String> UNIT = HostArgs.unit("systemd unit, e.g. nginx.");
    /** The one {@code since} grammar of every toolset ({@link Durations}); passed to journalctl as a UTC time. */
    static final ArgSpec<Instant> SINCE = ArgSpec.since("since").description("Entries since.");

    static final ArgSpec<Integer> LINES = ArgSpec.integer("lines")
            .description("Most recent entries to return.")
            .range(1, 1000)
            .defaultValue(100);
    private static final DateTimeFormatter JOURNALCTL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public HostJournalTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** One journal entry; {@code priority} 0 (emerg) .. 7 (debug), {@code null} when absent. */
    public record JournalEntry(Instant time, Integer priority, String identifier, Long pid, String message) {}

    /** The journalctl argv; {@code since} is {@code null} for no lower bound. */
    public static RemoteCommand command(String unit, Instant since, int lines) {
        List<String> argv = new ArrayList<>(List.of(
                "journalctl",
                "--no-pager",
                "-o",
                "json",
                "--output-fields=MESSAGE,PRIORITY,SYSLOG_IDENTIFIER,_PID",
                "-u",
                unit));
        if (since != null) {
            argv.add("--since=" + journalctlSince(since));
        }
        argv.add("-n");
        argv.add(Integer.toString(lines));
        return new RemoteCommand(argv);
    }

    /**
     * The point as journalctl reads it whatever the host's time zone: {@code 2025-01-31 13:45:00 UTC}
     * (systemd.time(7); seconds precision is what journalctl compares at).
     */
    static String journalctlSince(Instant since) {
        return JOURNALCTL_TIME.format(since);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode entry = JsonSchemas.output(
                JsonSchemas.properties()
                        .<ObjectNode>set("time", JsonSchemas.type("string", "ISO-8601 UTC time of the entry"))
                        .<ObjectNode>set(
                                "priority", JsonSchemas.type("integer", "syslog priority 0 (emerg) .. 7 (debug)"))
                        .<ObjectNode>set("identifier", JsonSchemas.type("string", "syslog identifier"))
                        .<ObjectNode>set("pid", JsonSchemas.type("integer", "process id"))
                        .<ObjectNode>set("message", JsonSchemas.type("string", "log message")),
                "message");
        return ToolSpec.tool(NAME)
                .title("Host journal for a unit")
                .description("Recent journal entries of one systemd unit, oldest first.")
                .args(HostArgs.HOST, UNIT, SINCE, LINES)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set("unit", JsonSchemas.type("string", "unit"))
                                .<ObjectNode>set(
                                        "systemd", JsonSchemas.type("boolean", "systemd is the host's init system"))
                                .<ObjectNode>set("entries", JsonSchemas.arrayOf(entry, "oldest first"))
                                .<ObjectNode>set(
                                        "truncated",
                                        JsonSchemas.type("boolean", "output was cut at ssh.max_output_bytes"))
                                .<ObjectNode>set("note", JsonSchemas.type("string", "why entries may be missing")),
                        "host",
                        "unit",
                        "systemd",
                        "entries"))
                .readOnly()
                .build();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String unit = UNIT.read(args);
        Instant since = SINCE.read(args);
        int lines = LINES.read(args);
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
                + (since == null ? "" : " since " + since.truncatedTo(ChronoUnit.SECONDS)) + "\n");
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
            entries.add(new JournalEntry(
                    micros(node.get("__REALTIME_TIMESTAMP")),
                    integer(node.get("PRIORITY")),
                    text(node.get("SYSLOG_IDENTIFIER")),
                    longValue(node.get("_PID")),
                    message(node.get("MESSAGE"))));
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
