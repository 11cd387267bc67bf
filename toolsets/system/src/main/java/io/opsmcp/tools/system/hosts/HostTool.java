package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** What every host tool shares: host lookup, the action descriptor and running one command. */
public abstract class HostTool implements OpsTool {

    protected final HostInventory hosts;
    protected final SshExecutor ssh;

    protected HostTool(HostInventory hosts, SshExecutor ssh) {
        this.hosts = hosts;
        this.ssh = ssh;
    }

    /**
     * Provider {@code host}, kind {@code host}, the host's environment and name; ids {@code address},
     * {@code host_group}, {@code proxy_jump} (when tunnelled) and {@code host_key_check} ({@code known_hosts}, or
     * {@code trust_on_first_use} so that the audit shows every call to a lab host whose key was never verified).
     */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return descriptor(hosts.require(HostArgs.HOST.read(args)));
    }

    /**
     * The host is looked up in the configured inventory (immutable): nothing connects. A subclass whose
     * {@code describe} connects or waits must return {@code false}.
     */
    @Override
    public boolean describesLocally() {
        return true;
    }

    public static ActionDescriptor descriptor(HostEntry host) {
        return ActionDescriptor.read("host", "host", host.environment(), host.name(), ids(host));
    }

    /** The descriptor ids of a host (see {@link #describe}). */
    public static Map<String, String> ids(HostEntry host) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("address", host.address());
        if (host.hostGroup() != null) {
            ids.put("host_group", host.hostGroup());
        }
        if (host.proxyJump() != null) {
            ids.put("proxy_jump", host.proxyJump().name());
        }
        ids.put("host_key_check", host.hostKeyCheck());
        return ids;
    }

    protected CommandResult run(HostEntry host, RemoteCommand command, ToolContext ctx) {
        return ssh.run(host, command, ctx);
    }

    /** The failure for a command that exited non-zero: names command, host, status and stderr's last line. */
    public static ToolException failed(HostEntry host, RemoteCommand command, CommandResult result) {
        String status = result.exitStatus() == null ? "was ended by a signal" : "exited with " + result.exitStatus();
        String stderr = result.stderrSummary();
        return new ToolException(
                Kind.UNAVAILABLE,
                "`" + command.display() + "` on " + host.name() + " " + status
                        + (stderr.isEmpty() ? "" : ": " + stderr));
    }

    /** The line a text result ends with when output was cut at {@code ssh.max_output_bytes}. */
    public static String truncationNote(CommandResult result) {
        return result.truncated()
                ? "[truncated: " + result.omittedBytes() + " bytes omitted (ssh.max_output_bytes)]\n"
                : "";
    }
}
