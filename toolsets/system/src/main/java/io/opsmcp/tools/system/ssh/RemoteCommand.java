package io.opsmcp.tools.system.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One remote command as an argument vector. SSH "exec" carries a single string that the remote user's shell
 * parses, so {@link #toShellString()} quotes every argument with POSIX single quotes (inside single quotes no
 * character is special; a single quote itself is written as {@code '\''}, POSIX XCU 2.2.2). Callers still
 * validate every parameter by pattern before it becomes an argument: quoting is the second line of defence.
 *
 * @param argv program name followed by its arguments; none may contain NUL, CR or LF
 */
public record RemoteCommand(List<String> argv) {

    public RemoteCommand {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0 || arg.indexOf('\n') >= 0 || arg.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("command arguments must not contain NUL, CR or LF");
            }
        }
    }

    public static RemoteCommand of(String... argv) {
        return new RemoteCommand(List.of(argv));
    }

    /** The string sent in the SSH exec request, e.g. {@code 'df' '-P' '-k'}. */
    public String toShellString() {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    /**
     * This command run under coreutils/busybox {@code timeout -k 2 SECONDS}: TERM at the deadline, KILL two
     * seconds later. This ends the command on the host even where the SSH {@code signal} request is refused
     * (OpenSSH refuses it for sessions without privilege separation, e.g. root logins).
     */
    public RemoteCommand withRemoteTimeout(long seconds) {
        List<String> wrapped = new ArrayList<>(List.of("timeout", "-k", "2", Long.toString(Math.max(1, seconds))));
        wrapped.addAll(argv);
        return new RemoteCommand(wrapped);
    }

    /** Human-readable form for messages: the arguments joined by spaces, unquoted. */
    public String display() {
        return String.join(" ", argv);
    }
}
