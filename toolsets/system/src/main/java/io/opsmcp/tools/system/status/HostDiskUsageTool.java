package io.opsmcp.tools.system.status;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
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
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_disk_usage}: {@code df -P -k -T} (POSIX output format, 1024-byte blocks, with file system type)
 * parsed into rows; with {@code mount}, only the file system holding that path.
 */
public final class HostDiskUsageTool extends HostTool {

    static final String NAME = "host_disk_usage";
    /** An absolute path of safe characters; no '..' segments are needed to name a mount point. */
    static final String MOUNT_PATTERN = "^/[A-Za-z0-9._@+/-]*$";

    static final ArgSpec<String> MOUNT = ArgSpec.string("mount")
            .description("Absolute path: show only the file system holding it.")
            .pattern(MOUNT_PATTERN)
            .nonEmpty()
            .maxLength(4096);

    public HostDiskUsageTool(HostInventory hosts, SshExecutor ssh) {
        super(hosts, ssh);
    }

    /** One df row; sizes in bytes, {@code usePercent} as df prints it (rounded up). */
    record DiskRow(
            String filesystem,
            String type,
            long sizeBytes,
            long usedBytes,
            long availableBytes,
            Integer usePercent,
            String mountPoint) {}

    @Override
    public ToolDefinition definition() {
        ObjectNode row = JsonSchemas.output(
                JsonSchemas.properties()
                        .<ObjectNode>set("filesystem", JsonSchemas.type("string", "device or source"))
                        .<ObjectNode>set("type", JsonSchemas.type("string", "file system type"))
                        .<ObjectNode>set("size_bytes", JsonSchemas.type("integer", "total size"))
                        .<ObjectNode>set("used_bytes", JsonSchemas.type("integer", "used"))
                        .<ObjectNode>set(
                                "available_bytes", JsonSchemas.type("integer", "available to unprivileged users"))
                        .<ObjectNode>set("use_percent", JsonSchemas.type("integer", "used share as df reports it"))
                        .<ObjectNode>set("mount_point", JsonSchemas.type("string", "where it is mounted")),
                "filesystem",
                "type",
                "size_bytes",
                "used_bytes",
                "available_bytes",
                "mount_point");
        return ToolSpec.tool(NAME)
                .title("Host disk usage")
                .description("Disk usage per file system (df), fullest first. For 'No space left on device' or disk "
                        + "alerts.")
                .args(HostArgs.HOST, MOUNT)
                .output(JsonSchemas.output(
                        JsonSchemas.properties()
                                .<ObjectNode>set("host", JsonSchemas.type("string", "host name"))
                                .<ObjectNode>set(
                                        "filesystems", JsonSchemas.arrayOf(row, "one row per mounted file system"))
                                .<ObjectNode>set(
                                        "truncated",
                                        JsonSchemas.type("boolean", "output was cut at ssh.max_output_bytes")),
                        "host",
                        "filesystems"))
                .readOnly()
                .build();
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String mount = MOUNT.read(args);
        if (mount != null && (mount.contains("/../") || mount.endsWith("/.."))) {
            throw new ToolException(Kind.INVALID_ARGUMENT, "mount: must not contain '..' segments");
        }
        List<String> argv = new ArrayList<>(List.of("df", "-P", "-k", "-T"));
        if (mount != null) {
            argv.add("--");
            argv.add(mount);
        }
        RemoteCommand command = new RemoteCommand(argv);
        CommandResult result = run(host, command, ctx);
        List<DiskRow> rows = parse(result.stdoutText(), result.truncated());
        // df exits 1 when some file systems could not be read but still prints the others
        if (rows.isEmpty() && !result.succeeded()) {
            if (mount != null && result.stderrSummary().contains("No such file")) {
                throw new ToolException(Kind.NOT_FOUND, "mount: " + mount + " does not exist on " + host.name());
            }
            throw failed(host, command, result);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        ArrayNode list = out.putArray("filesystems");
        List<List<String>> table = new ArrayList<>();
        for (DiskRow r : rows) {
            ObjectNode o = list.addObject();
            o.put("filesystem", r.filesystem());
            o.put("type", r.type());
            o.put("size_bytes", r.sizeBytes());
            o.put("used_bytes", r.usedBytes());
            o.put("available_bytes", r.availableBytes());
            o.put("use_percent", r.usePercent());
            o.put("mount_point", r.mountPoint());
        }
        out.put("truncated", result.truncated());
        rows.stream()
                .sorted((a, b) -> Integer.compare(
                        b.usePercent() == null ? -1 : b.usePercent(), a.usePercent() == null ? -1 : a.usePercent()))
                .forEach(r -> table.add(List.of(
                        r.mountPoint(),
                        r.type(),
                        Bytes.human(r.sizeBytes()),
                        Bytes.human(r.usedBytes()),
                        Bytes.human(r.availableBytes()),
                        r.usePercent() == null ? "-" : r.usePercent() + "%",
                        r.filesystem())));
        String text = host.name() + ": " + rows.size() + " file system(s)"
                + (mount == null ? "" : " holding " + mount) + "\n"
                + TextTable.render(List.of("MOUNT", "TYPE", "SIZE", "USED", "AVAIL", "USE%", "FILESYSTEM"), table)
                + (result.succeeded() ? "" : "note: df reported: " + result.stderrSummary() + "\n")
                + truncationNote(result);
        return ToolResult.ok(text, out);
    }

    /**
     * Parses {@code df -P -k -T} output: a header line, then {@code FS TYPE BLOCKS USED AVAIL CAP% MOUNT} per line
     * where the mount point may contain spaces. When the output was truncated the last (possibly partial) line
     * is dropped.
     */
    static List<DiskRow> parse(String output, boolean truncated) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        if (truncated && !lines.isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<DiskRow> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("Filesystem") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 7);
            if (f.length < 7) {
                continue;
            }
            try {
                rows.add(new DiskRow(
                        f[0],
                        f[1],
                        Long.parseLong(f[2]) * 1024,
                        Long.parseLong(f[3]) * 1024,
                        Long.parseLong(f[4]) * 1024,
                        f[5].endsWith("%") ? Integer.valueOf(f[5].substring(0, f[5].length() - 1)) : null,
                        f[6]));
            } catch (NumberFormatException e) {
                // a line that is not a df row (e.g. a wrapped or garbled line) is skipped
            }
        }
        return rows;
    }
}
