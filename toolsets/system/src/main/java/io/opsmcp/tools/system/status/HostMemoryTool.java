package io.opsmcp.tools.system.status;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.TextTable;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.Bytes;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
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
 * {@code host_memory}: {@code free -b} parsed by its header (procps-ng 3.3.10+ prints
 * {@code total used free shared buff/cache available}; older versions print {@code buffers} and
 * {@code cached} separately, which are added up).
 */
public final class HostMemoryTool extends HostTool {

    static final String NAME = "host_memory";
    static final RemoteCommand COMMAND = RemoteCommand.of("free", "-b");

    public HostMemoryTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** Memory figures in bytes; {@code null} where this version of free does not report the column. */
    record Memory(
            long total,
            long used,
            long free,
            Long shared,
            Long buffCache,
            Long available,
            long swapTotal,
            long swapUsed,
            long swapFree) {}

    @Override
    public ToolDefinition definition() {
        ObjectNode props = JsonSchemas.properties();
        props.set("host", JsonSchemas.type("string", "host name"));
        for (String f : List.of(
                "total_bytes", "used_bytes", "free_bytes", "swap_total_bytes", "swap_used_bytes", "swap_free_bytes")) {
            props.set(f, JsonSchemas.type("integer", f.replace('_', ' ')));
        }
        for (String f : List.of("shared_bytes", "buff_cache_bytes", "available_bytes")) {
            props.set(f, JsonSchemas.type("integer", f.replace('_', ' ') + " (absent when free does not report it)"));
        }
        return ToolSpec.tool(NAME)
                .title("Host memory")
                .description("RAM and swap in bytes (free -b). Low available with swap in use: memory pressure.")
                .args(HostArgs.HOST)
                .output(JsonSchemas.output(
                        props, "host", "total_bytes", "used_bytes", "free_bytes", "swap_total_bytes"))
                .readOnly()
                .build();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        CommandResult result = run(host, COMMAND, ctx);
        if (!result.succeeded()) {
            throw failed(host, COMMAND, result);
        }
        Memory m = parse(result.stdoutText());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("total_bytes", m.total());
        out.put("used_bytes", m.used());
        out.put("free_bytes", m.free());
        out.put("shared_bytes", m.shared());
        out.put("buff_cache_bytes", m.buffCache());
        out.put("available_bytes", m.available());
        out.put("swap_total_bytes", m.swapTotal());
        out.put("swap_used_bytes", m.swapUsed());
        out.put("swap_free_bytes", m.swapFree());
        List<List<String>> table = new ArrayList<>();
        table.add(List.of(
                "Mem",
                Bytes.human(m.total()),
                Bytes.human(m.used()),
                Bytes.human(m.free()),
                opt(m.shared()),
                opt(m.buffCache()),
                opt(m.available())));
        table.add(List.of(
                "Swap", Bytes.human(m.swapTotal()), Bytes.human(m.swapUsed()), Bytes.human(m.swapFree()), "", "", ""));
        String text = host.name() + ": memory\n"
                + TextTable.render(List.of("", "TOTAL", "USED", "FREE", "SHARED", "BUFF/CACHE", "AVAILABLE"), table);
        return ToolResult.ok(text, out);
    }

    private static String opt(Long bytes) {
        return bytes == null ? "-" : Bytes.human(bytes);
    }

    /**
     * Parses {@code free -b}: a header naming the columns, a {@code Mem:} line and a {@code Swap:} line.
     *
     * @throws ToolException INTERNAL when there is no header, Mem: or Swap: line
     */
    static Memory parse(String output) {
        List<String> header = null;
        long[] mem = null;
        long[] swap = null;
        for (String line : output.lines().toList()) {
            String t = line.strip();
            if (t.startsWith("total")) {
                header = List.of(t.split("\\s+"));
            } else if (t.startsWith("Mem:")) {
                mem = numbers(t);
            } else if (t.startsWith("Swap:")) {
                swap = numbers(t);
            }
        }
        if (header == null || mem == null || swap == null || swap.length < 3) {
            throw new ToolException(Kind.INTERNAL, "unexpected `free -b` output (no header, Mem: or Swap: line)");
        }
        Map<String, Long> col = new LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < mem.length; i++) {
            col.put(header.get(i), mem[i]);
        }
        Long buffCache = col.get("buff/cache");
        if (buffCache == null && col.containsKey("buffers") && col.containsKey("cached")) {
            buffCache = col.get("buffers") + col.get("cached");
        }
        if (!col.containsKey("total") || !col.containsKey("used") || !col.containsKey("free")) {
            throw new ToolException(Kind.INTERNAL, "unexpected `free -b` header: " + String.join(" ", header));
        }
        return new Memory(
                col.get("total"),
                col.get("used"),
                col.get("free"),
                col.get("shared"),
                buffCache,
                col.get("available"),
                swap[0],
                swap[1],
                swap[2]);
    }

    private static long[] numbers(String line) {
        String[] f = line.split("\\s+");
        long[] n = new long[f.length - 1];
        try {
            for (int i = 1; i < f.length; i++) {
                n[i - 1] = Long.parseLong(f[i]);
            }
        } catch (NumberFormatException e) {
            throw new ToolException(Kind.INTERNAL, "unexpected number in `free -b` output");
        }
        return n;
    }
}
