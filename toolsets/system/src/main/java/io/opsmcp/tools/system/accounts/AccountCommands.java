package io.opsmcp.tools.system.accounts;

import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The account commands as argument vectors. The user name is a separate argument, validated as a POSIX user name
 * before anything is built (so it never starts with {@code -} and never names a uid range), and placed after
 * {@code --} wherever the program reads options with getopt. Programs that need root ({@code passwd -S},
 * {@code chage}, {@code faillock}, {@code pam_tally2}, {@code usermod}) run under {@code sudo -n --} when
 * {@code host_changes.sudo} is set. Dates are printed in the C locale ({@code env LC_ALL=C}) so they can be parsed.
 */
final class AccountCommands {

    private final boolean sudo;

    AccountCommands(boolean sudo) {
        this.sudo = sudo;
    }

    static RemoteCommand getent(String user) {
        return RemoteCommand.of("getent", "passwd", "--", user);
    }

    RemoteCommand passwdStatus(String user) {
        return privileged("passwd", "-S", "--", user);
    }

    RemoteCommand chage(String user) {
        return privileged("env", "LC_ALL=C", "chage", "-l", "--", user);
    }

    RemoteCommand faillock(String user) {
        return privileged("faillock", "--user", user);
    }

    RemoteCommand faillockReset(String user) {
        return privileged("faillock", "--user", user, "--reset");
    }

    RemoteCommand pamTally2(String user) {
        return privileged("pam_tally2", "--user", user);
    }

    RemoteCommand pamTally2Reset(String user) {
        return privileged("pam_tally2", "--user", user, "--reset");
    }

    /** lastlog reads the world-readable /var/log/lastlog: no sudo. */
    static RemoteCommand lastlog(String user) {
        return RemoteCommand.of("env", "LC_ALL=C", "lastlog", "-u", user);
    }

    /** util-linux last(1) over wtmp, where lastlog is gone (shadow-utils 4.15 dropped it). */
    static RemoteCommand last(String user) {
        return RemoteCommand.of("env", "LC_ALL=C", "last", "-R", "-w", "-n", "5", "--time-format", "iso", "--", user);
    }

    /** {@code usermod -U}: removes the {@code !} that locks the password (usermod(8)). */
    RemoteCommand unlockPassword(String user) {
        return privileged("usermod", "-U", "--", user);
    }

    /** {@code chage -E -1}: removes the account expiry date. */
    RemoteCommand clearExpiry(String user) {
        return privileged("chage", "-E", "-1", "--", user);
    }

    /**
     * {@code usermod -L -e 1}: locks the password and expires the account on 1970-01-02, which also refuses logins
     * that use no password (SSH keys): usermod(8), "-L": "if you wish to lock the account (not only access with a
     * password), you should also set the EXPIRE_DATE to 1".
     */
    RemoteCommand expire(String user) {
        return privileged("usermod", "-L", "-e", "1", "--", user);
    }

    /** Where usermod is missing: {@code passwd -l}, then {@code chage -E 0}. */
    List<RemoteCommand> expireWithoutUsermod(String user) {
        return List.of(privileged("passwd", "-l", "--", user), privileged("chage", "-E", "0", "--", user));
    }

    private RemoteCommand privileged(String... argv) {
        List<String> all = new ArrayList<>();
        if (sudo) {
            all.addAll(List.of("sudo", "-n", "--"));
        }
        all.addAll(List.of(argv));
        return new RemoteCommand(all);
    }

    /**
     * Whether the program was not found: {@code timeout} exits 127 (126: found but not executable), sudo exits 1
     * saying {@code command not found}.
     */
    static boolean missing(CommandResult result) {
        Integer status = result.exitStatus();
        if (status == null) {
            return false;
        }
        return status == 127 || status == 126 || (status == 1 && result.stderr().contains("command not found"));
    }

    /** The program a command runs (after {@code sudo -n --} and {@code env LC_ALL=C}), for messages. */
    static String program(RemoteCommand command) {
        List<String> argv = command.argv();
        int i = 0;
        if (argv.get(i).equals("sudo")) {
            i += 3;
        }
        if (argv.get(i).equals("env")) {
            i += 2;
        }
        return argv.get(i);
    }
}
