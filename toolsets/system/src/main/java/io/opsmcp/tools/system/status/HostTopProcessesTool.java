package io.opsmcp.tools.system.status;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.TextTable;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.Bytes;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_top_processes}: {@code ps -eo pid=,user:32=,pcpu=,pmem=,rss=,etimes=,args= --sort=-pcpu|-rss}
 * (procps), the first {@code limit} rows kept. {@code pcpu} is CPU time over the process lifetime, as ps
 * defines it, not an instantaneous sample.
 */
public final class HostTopProcessesTool extends HostTool {

    static final String NAME = "host_top_processes";
    /** What the rows are ranked by. */
    enum SortBy {
        CPU,
        MEMORY
    }

    static final ArgSpec<SortBy> SORT_BY = ArgSpec.enumeration("sort_by", SortBy.class)
            .description("What to rank by.")
            .defaultValue(SortBy.CPU);
    static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit")
            .description("Processes to return.")
            .range(1, 50)
            .defaultValue(10);
    private static final int MAX_COMMAND_CHARS = 300;
    /** Stateless; command lines are redacted here because they are cut here. */
    private static final Redactor REDACTOR = new Redactor();

    public HostTopProcessesTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** One process; {@code rssBytes} is resident memory, {@code elapsedSeconds} the time since it started. */
    record ProcessRow(
            long pid,
            String user,
            double cpuPercent,
            double memoryPercent,
            long rssBytes,
            long elapsedSeconds,
            String command) {}

    static RemoteCommand command(String sortBy) {
        return RemoteCommand.of(
                "ps",
                "-eo",
                "pid=,user:32=,pcpu=,pmem=,rss=,etimes=,args=",
                sortBy.equals("memory") ? "--sort=-rss" : "--sort=-pcpu");
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode row = JsonSchemas.output(
                JsonSchemas.properties()
                        .<ObjectNode>set("pid", JsonSchemas.type("integer", "process id"))
                        .<ObjectNode>set("user", JsonSchemas.type("string", "effective user"))
                        .<ObjectNode>set("cpu_percent", JsonSchemas.type("number", "CPU time / elapsed time, percent"))
                        .<ObjectNode>set("memory_percent", JsonSchemas.type("number", "resident memory share, percent"))
                        .<ObjectNode>set("rss_bytes", JsonSchemas.type("integer", "resident set size"))
                        .<ObjectNode>set("elapsed_seconds", JsonSchemas.type("integer", "seconds since start"))
                        .<ObjectNode>set("command", JsonSchemas.type("string", "command line (cut at 300 characters)")),
                "pid",
                "user",
                "cpu_percent",
                "memory_percent",
                "rss_bytes",
                "command");
        return ToolSpec.tool(NAME)
                .title("Host top processes")
                .description("Top processes by CPU or memory (ps): pid, user, CPU %, memory %, RSS, age, command.")
                .args(HostArgs.HOST, SORT_BY, LIMIT)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set("sort_by", JsonSchemas.type("string", "cpu or memory"))
                                .<ObjectNode>set("processes", JsonSchemas.arrayOf(row, "highest first")),
                        "host",
                        "sort_by",
                        "processes"))
                .readOnly()
                .build();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String sortBy = ArgSpec.wireName(SORT_BY.read(args));
        int limit = LIMIT.read(args);
        RemoteCommand command = command(sortBy);
        CommandResult result = run(host, command, ctx);
        if (!result.succeeded()) {
            throw failed(host, command, result);
        }
        List<ProcessRow> rows = parse(result.stdoutText(), result.truncated());
        rows = rows.subList(0, Math.min(limit, rows.size()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("sort_by", sortBy);
        ArrayNode list = out.putArray("processes");
        List<List<String>> table = new ArrayList<>();
        for (ProcessRow p : rows) {
            ObjectNode o = list.addObject();
            o.put("pid", p.pid());
            o.put("user", p.user());
            o.put("cpu_percent", p.cpuPercent());
            o.put("memory_percent", p.memoryPercent());
            o.put("rss_bytes", p.rssBytes());
            o.put("elapsed_seconds", p.elapsedSeconds());
            o.put("command", p.command());
            table.add(List.of(
                    Long.toString(p.pid()),
                    p.user(),
                    String.format(Locale.ROOT, "%.1f", p.cpuPercent()),
                    String.format(Locale.ROOT, "%.1f", p.memoryPercent()),
                    Bytes.human(p.rssBytes()),
                    HostUptimeLoadTool.human(p.elapsedSeconds()),
                    REDACTOR.cut(p.command(), 81)));
        }
        String text = host.name() + ": top " + rows.size() + " process(es) by " + sortBy + "\n"
                + TextTable.render(List.of("PID", "USER", "%CPU", "%MEM", "RSS", "AGE", "COMMAND"), table);
        return ToolResult.ok(text, out);
    }

    /** Parses headerless ps rows {@code PID USER PCPU PMEM RSS(KiB) ETIMES ARGS...}; skips lines of another shape. */
    static List<ProcessRow> parse(String output, boolean truncated) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        if (truncated && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<ProcessRow> rows = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+", 7);
            if (f.length < 6) {
                continue;
            }
            try {
                String cmd = f.length == 7 ? f[6] : "";
                // redacted before it is cut: a cut token may be too short to be recognised afterwards
                cmd = REDACTOR.cut(cmd, MAX_COMMAND_CHARS + 1);
                rows.add(new ProcessRow(
                        Long.parseLong(f[0]),
                        f[1],
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Long.parseLong(f[4]) * 1024,
                        Long.parseLong(f[5]),
                        cmd));
            } catch (NumberFormatException e) {
                // not a process row
            }
        }
        return rows;
    }
}
