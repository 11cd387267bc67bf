package io.opsmcp.tools.system.status;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_uptime_load}: uptime, load averages and CPU count from one read of {@code /proc/uptime},
 * {@code /proc/loadavg} (proc(5)) and {@code /sys/devices/system/cpu/online} (the kernel's cpu-list format,
 * e.g. {@code 0-3,6}).
 */
public final class HostUptimeLoadTool extends HostTool {

    static final String NAME = "host_uptime_load";
    static final RemoteCommand COMMAND =
            RemoteCommand.of("cat", "/proc/uptime", "/proc/loadavg", "/sys/devices/system/cpu/online");

    public HostUptimeLoadTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** Parsed facts. Load averages are run-queue lengths; {@code cpuCount} is the number of online CPUs. */
    record UptimeLoad(
            double uptimeSeconds,
            double load1,
            double load5,
            double load15,
            int runnable,
            int processes,
            int cpuCount) {}

    @Override
    public ToolDefinition definition() {
        return ToolSpec.tool(NAME)
                .title("Host uptime and load")
                .description("Uptime, 1/5/15-minute load and online CPUs (load per CPU above ~1: saturated).")
                .args(HostArgs.HOST)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set("uptime_seconds", JsonSchemas.type("number", "seconds since boot"))
                                .<ObjectNode>set("uptime", JsonSchemas.type("string", "uptime as days, hours, minutes"))
                                .<ObjectNode>set("load_1", JsonSchemas.type("number", "1-minute load average"))
                                .<ObjectNode>set("load_5", JsonSchemas.type("number", "5-minute load average"))
                                .<ObjectNode>set("load_15", JsonSchemas.type("number", "15-minute load average"))
                                .<ObjectNode>set("runnable", JsonSchemas.type("integer", "currently runnable entities"))
                                .<ObjectNode>set(
                                        "processes", JsonSchemas.type("integer", "existing scheduling entities"))
                                .<ObjectNode>set("cpu_count", JsonSchemas.type("integer", "online CPUs")),
                        "host",
                        "uptime_seconds",
                        "load_1",
                        "load_5",
                        "load_15",
                        "cpu_count"))
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
        UptimeLoad u = parse(result.stdoutText());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("uptime_seconds", u.uptimeSeconds());
        out.put("uptime", human(u.uptimeSeconds()));
        out.put("load_1", u.load1());
        out.put("load_5", u.load5());
        out.put("load_15", u.load15());
        out.put("runnable", u.runnable());
        out.put("processes", u.processes());
        out.put("cpu_count", u.cpuCount());
        String text = String.format(
                Locale.ROOT,
                "%s: up %s, load average %.2f %.2f %.2f (1/5/15 min) on %d CPU(s), %d runnable of %d%n",
                host.name(),
                human(u.uptimeSeconds()),
                u.load1(),
                u.load5(),
                u.load15(),
                u.cpuCount(),
                u.runnable(),
                u.processes());
        return ToolResult.ok(text, out);
    }

    /**
     * Parses the three files' contents in order: {@code UPTIME IDLE}, {@code L1 L5 L15 RUN/TOTAL LASTPID},
     * and a cpu list such as {@code 0-3,6}.
     *
     * @throws ToolException INTERNAL when the output has another shape
     */
    static UptimeLoad parse(String output) {
        List<String> lines =
                output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        try {
            String[] uptime = lines.get(0).split("\\s+");
            String[] load = lines.get(1).split("\\s+");
            String[] sched = load[3].split("/");
            return new UptimeLoad(
                    Double.parseDouble(uptime[0]),
                    Double.parseDouble(load[0]),
                    Double.parseDouble(load[1]),
                    Double.parseDouble(load[2]),
                    Integer.parseInt(sched[0]),
                    Integer.parseInt(sched[1]),
                    cpuCount(lines.get(2)));
        } catch (RuntimeException e) {
            throw new ToolException(Kind.INTERNAL, "unexpected /proc/uptime, /proc/loadavg or cpu list output");
        }
    }

    /** Counts the CPUs in a kernel cpu list ({@code 0-3,6,8-9} has 7). */
    static int cpuCount(String cpuList) {
        int count = 0;
        for (String part : cpuList.strip().split(",")) {
            int dash = part.indexOf('-');
            count += dash < 0
                    ? 1
                    : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return count;
    }

    static String human(double seconds) {
        long s = (long) seconds;
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        return (days > 0 ? days + "d " : "") + hours + "h " + minutes + "m";
    }
}
