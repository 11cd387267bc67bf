package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;

/**
 * Whether systemd is the host's init system, checked the way sd_booted(3) does: the directory
 * {@code /run/systemd/system} exists. Containers and non-systemd hosts have no systemd manager to ask, so
 * systemctl and journalctl would only fail there with confusing errors.
 */
public final class Systemd {

    public static final RemoteCommand PROBE = RemoteCommand.of("test", "-d", "/run/systemd/system");

    private Systemd() {}

    public static boolean booted(SshExecutor ssh, HostEntry host, ToolContext ctx) {
        CommandResult result = ssh.run(host, PROBE, ctx);
        return result.succeeded();
    }

    public static String notBootedNote(HostEntry host) {
        return "systemd is not the init system (PID 1) on " + host.name()
                + " (no /run/systemd/system: a container or a non-systemd host), so systemctl and journalctl "
                + "cannot be used there";
    }
}
