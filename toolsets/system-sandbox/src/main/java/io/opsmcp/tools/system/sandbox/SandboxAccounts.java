package io.opsmcp.tools.system.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Simulated local accounts of the sandbox host, so that {@code host_account_status}, {@code host_account_unlock} and
 * {@code host_account_expire} can be tried without touching the machine's real users (the sandbox runs commands
 * as the current user, often root in a container). A shell script ({@code accounts.sh}) is installed under the
 * names {@link #PROGRAMS} in a directory that comes first on PATH for sandbox commands; it keeps one state file per
 * user and prints what shadow-utils and pam_faillock print on Debian 12. {@code getent} answers {@code passwd}
 * from the simulated accounts and passes every other database to the real getent.
 *
 * <p>Seeded accounts (see {@link #SEED}): {@code jdoe} locked out (password locked after 5 failed logins from
 * 203.0.113.50), {@code asmith} fine, {@code mlee} a departing employee still active, {@code backup} a system
 * account (uid 34) that the change tools refuse, and {@code root}.
 */
public final class SandboxAccounts {

    /** The programs the script stands in for. */
    public static final List<String> PROGRAMS = List.of("getent", "passwd", "chage", "faillock", "lastlog", "usermod");

    /** Environment variable naming the state directory. */
    static final String STATE_ENV = "OPS_MCP_SANDBOX_ACCOUNTS";

    /** user → uid, password code, failed logins, last login ago in days (-1: never). */
    record Seed(String user, int uid, String password, int failures, int lastLoginDaysAgo) {}

    static final List<Seed> SEED = List.of(
            new Seed("root", 0, "P", 0, 1),
            new Seed("backup", 34, "L", 0, -1),
            new Seed("jdoe", 1001, "L", 5, 3),
            new Seed("asmith", 1002, "P", 0, 0),
            new Seed("mlee", 1003, "P", 0, 12));

    private final Path bin;
    private final Path state;

    private SandboxAccounts(Path bin, Path state) {
        this.bin = bin;
        this.state = state;
    }

    /** The accounts under {@code dir}: programs in {@code dir/accounts-bin}, state in {@code dir/accounts}; nothing written. */
    static SandboxAccounts at(Path dir) {
        return new SandboxAccounts(dir.resolve("accounts-bin"), dir.resolve("accounts"));
    }

    /**
     * Installs the programs and (re)seeds the state (directories created if missing).
     *
     * @throws IOException when the directory cannot be written
     */
    void install() throws IOException {
        Files.createDirectories(bin);
        Files.createDirectories(state);
        byte[] script;
        try (InputStream in = SandboxAccounts.class.getResourceAsStream("accounts.sh")) {
            if (in == null) {
                throw new IOException("accounts.sh is missing from the class path");
            }
            script = in.readAllBytes();
        }
        for (String program : PROGRAMS) {
            Path p = bin.resolve(program);
            Files.write(p, script);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        DateTimeFormatter lastlog = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss Z yyyy", Locale.ROOT);
        for (Seed s : SEED) {
            String last = s.lastLoginDaysAgo() < 0
                    ? ""
                    : lastlog.format(
                            today.minusDays(s.lastLoginDaysAgo()).atTime(8, 30).atOffset(ZoneOffset.UTC));
            Files.writeString(
                    state.resolve(s.user()),
                    "uid=" + s.uid() + "\npw=" + s.password() + "\nchanged=" + today.minusDays(40)
                            + "\nexpire=-1\nfailures=" + s.failures() + "\nfail_src=203.0.113.50\nfail_time='"
                            + today + " 07:55:00'\nlast_login='" + last
                            + "'\nlast_from=" + (last.isEmpty() ? "" : "198.51.100.7") + "\n");
        }
    }

    /** The environment of a sandbox command: PATH with the programs first, and the state directory. */
    Map<String, String> environment() {
        String path = System.getenv("PATH");
        return Map.of(
                "PATH",
                bin + ":" + (path == null || path.isEmpty() ? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" : path),
                STATE_ENV,
                state.toString());
    }
}
