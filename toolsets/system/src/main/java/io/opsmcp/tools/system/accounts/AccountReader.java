package io.opsmcp.tools.system.accounts;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.accounts.AccountParsers.Failure;
import io.opsmcp.tools.system.accounts.AccountParsers.Login;
import io.opsmcp.tools.system.accounts.AccountParsers.PasswdEntry;
import io.opsmcp.tools.system.accounts.AccountParsers.PasswordStatus;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one local account's state over SSH: the passwd entry ({@code getent}), the password status
 * ({@code passwd -S}), password and account aging ({@code chage -l}), login failures ({@code faillock}, else
 * {@code pam_tally2}) and, for the status tool, the last logins ({@code lastlog}, else {@code last}). A program that
 * is missing or refused (no root, no sudo) leaves its part with an {@code error} and the rest is still read; only an
 * unknown user is an error of the whole call. Never reads /etc/shadow itself: no password hash is ever fetched.
 */
final class AccountReader {

    /** pam_faillock(8): {@code deny=n}, default 3. */
    static final int FAILLOCK_DEFAULT_DENY = 3;

    static final RemoteCommand FAILLOCK_DENY = RemoteCommand.of(
            "sed",
            "-n",
            "s/^[[:space:]]*deny[[:space:]]*=[[:space:]]*\\([0-9][0-9]*\\).*/\\1/p",
            "/etc/security/faillock.conf");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SshExecutor ssh;
    private final AccountCommands commands;
    private final Clock clock;

    AccountReader(SshExecutor ssh, AccountCommands commands, Clock clock) {
        this.ssh = ssh;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * What was read.
     *
     * @param json           the {@code password}, {@code aging}, {@code failures} (and {@code last_logins}) members
     * @param passwordState  {@code locked}, {@code no_password}, {@code usable}, or {@code null} when unknown
     * @param failures       valid login failures counted, or {@code null} when unknown
     * @param failureTool    {@code faillock}, {@code pam_tally2} or {@code null} when neither is installed
     * @param accountExpired the account expiry date has passed
     * @param lockedBy       what keeps the user out: {@code password}, {@code account_expiry}, {@code login_failures}
     * @param missingTools   programs that are not installed on the host
     */
    record Snapshot(
            ObjectNode json,
            String passwordState,
            Integer failures,
            String failureTool,
            boolean accountExpired,
            List<String> lockedBy,
            List<String> missingTools) {}

    /**
     * The passwd entry of {@code user}.
     *
     * @throws ToolException NOT_FOUND when the host has no such user, UNAVAILABLE when getent is missing or fails
     */
    PasswdEntry lookup(HostEntry host, String user, ToolContext ctx) {
        RemoteCommand getent = AccountCommands.getent(user);
        CommandResult r = ssh.run(host, getent, ctx);
        // getent(1): exit 2 = key not found in the database
        if (r.exitStatus() != null && r.exitStatus() == 2) {
            throw new ToolException(Kind.NOT_FOUND, "no user '" + user + "' on " + host.name() + " (getent passwd)");
        }
        if (AccountCommands.missing(r)) {
            throw new ToolException(Kind.UNAVAILABLE, "getent is not installed on " + host.name());
        }
        if (!r.succeeded()) {
            throw HostTool.failed(host, getent, r);
        }
        PasswdEntry entry = AccountParsers.passwd(r.stdoutText());
        if (entry == null || !entry.name().equals(user)) {
            throw new ToolException(
                    Kind.UNAVAILABLE, "`" + getent.display() + "` on " + host.name() + " printed no passwd entry");
        }
        return entry;
    }

    Snapshot read(HostEntry host, String user, boolean withLogins, ToolContext ctx) {
        ObjectNode json = JSON.objectNode();
        List<String> missing = new ArrayList<>();
        List<String> lockedBy = new ArrayList<>();

        ObjectNode password = json.putObject("password");
        String passwordState = null;
        CommandResult ps = runPart(host, commands.passwdStatus(user), password, missing, ctx);
        if (ps != null) {
            PasswordStatus status = AccountParsers.passwordStatus(ps.stdoutText());
            if (status == null) {
                password.put("error", "passwd -S printed no status: " + firstLine(ps.stdoutText()));
            } else {
                passwordState = status.state();
                password.put("state", passwordState);
                password.put("code", status.code());
                if (status.lastChange() != null) {
                    password.put("last_change", status.lastChange());
                }
                if (status.state().equals("locked")) {
                    lockedBy.add("password");
                }
            }
        }

        ObjectNode aging = json.putObject("aging");
        boolean expired = false;
        CommandResult ch = runPart(host, commands.chage(user), aging, missing, ctx);
        if (ch != null) {
            Map<String, String> fields = AccountParsers.chage(ch.stdoutText());
            fields.forEach(aging::put);
            expired = AccountParsers.accountExpired(fields, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
            aging.put("account_expired", expired);
            if (expired) {
                lockedBy.add("account_expiry");
            }
        }

        ObjectNode failures = json.putObject("failures");
        Integer count = null;
        String tool = null;
        CommandResult fl = ssh.run(host, commands.faillock(user), ctx);
        if (!AccountCommands.missing(fl)) {
            tool = "faillock";
            failures.put("tool", tool);
            if (fl.succeeded()) {
                List<Failure> records = AccountParsers.faillock(fl.stdoutText());
                count = (int) records.stream().filter(Failure::valid).count();
                int deny = faillockDeny(host, ctx);
                failures.put("count", count);
                failures.put("deny", deny);
                ArrayNode list = failures.putArray("records");
                for (Failure f : records) {
                    list.addObject()
                            .put("time", f.when())
                            .put("type", f.type())
                            .put("source", f.source())
                            .put("valid", f.valid());
                }
                if (count >= deny) {
                    lockedBy.add("login_failures");
                }
            } else {
                failures.put("error", refused(commands.faillock(user), fl));
            }
        } else {
            missing.add("faillock");
            CommandResult pt = ssh.run(host, commands.pamTally2(user), ctx);
            if (AccountCommands.missing(pt)) {
                missing.add("pam_tally2");
                failures.put("error", "neither faillock nor pam_tally2 is installed on " + host.name());
            } else {
                tool = "pam_tally2";
                failures.put("tool", tool);
                Integer n = pt.succeeded() ? AccountParsers.pamTally2(pt.stdoutText()) : null;
                if (n == null && !pt.succeeded()) {
                    failures.put("error", refused(commands.pamTally2(user), pt));
                } else {
                    count = n == null ? 0 : n;
                    failures.put("count", count);
                }
            }
        }

        if (withLogins) {
            json.set("last_logins", logins(host, user, missing, ctx));
        }
        return new Snapshot(json, passwordState, count, tool, expired, List.copyOf(lockedBy), List.copyOf(missing));
    }

    private ObjectNode logins(HostEntry host, String user, List<String> missing, ToolContext ctx) {
        ObjectNode out = JSON.objectNode();
        CommandResult ll = ssh.run(host, AccountCommands.lastlog(user), ctx);
        List<Login> logins = null;
        if (!AccountCommands.missing(ll)) {
            out.put("tool", "lastlog");
            logins = ll.succeeded() ? AccountParsers.lastlog(ll.stdoutText()) : null;
            if (logins == null) {
                out.put("error", refused(AccountCommands.lastlog(user), ll));
                return out;
            }
        } else {
            missing.add("lastlog");
            CommandResult la = ssh.run(host, AccountCommands.last(user), ctx);
            if (AccountCommands.missing(la)) {
                missing.add("last");
                out.put("error", "neither lastlog nor last is installed on " + host.name());
                return out;
            }
            out.put("tool", "last");
            if (!la.succeeded()) {
                out.put("error", refused(AccountCommands.last(user), la));
                return out;
            }
            logins = AccountParsers.last(la.stdoutText(), user);
        }
        out.put("never_logged_in", logins.isEmpty());
        ArrayNode entries = out.putArray("entries");
        for (Login l : logins) {
            ObjectNode e = entries.addObject().put("time", l.time());
            if (!l.port().isEmpty()) {
                e.put("port", l.port());
            }
            if (!l.from().isEmpty()) {
                e.put("from", l.from());
            }
        }
        return out;
    }

    /** Runs one part; on a missing program or a failure records {@code error} in {@code part} and returns null. */
    private CommandResult runPart(
            HostEntry host, RemoteCommand command, ObjectNode part, List<String> missing, ToolContext ctx) {
        CommandResult r = ssh.run(host, command, ctx);
        if (AccountCommands.missing(r)) {
            String program = AccountCommands.program(command);
            missing.add(program);
            part.put("error", program + " is not installed on " + host.name());
            return null;
        }
        if (!r.succeeded()) {
            part.put("error", refused(command, r));
            return null;
        }
        return r;
    }

    private int faillockDeny(HostEntry host, ToolContext ctx) {
        CommandResult r = ssh.run(host, FAILLOCK_DENY, ctx);
        String v = r.succeeded() ? r.stdoutText().strip() : "";
        int nl = v.lastIndexOf('\n');
        v = nl < 0 ? v : v.substring(nl + 1);
        return v.matches("^[0-9]{1,4}$") ? Integer.parseInt(v) : FAILLOCK_DEFAULT_DENY;
    }

    /** Why a command failed, e.g. {@code passwd -S -- jdoe exited with 1: You may not view …} (redacted, short). */
    static String refused(RemoteCommand command, CommandResult r) {
        String why = r.stderrSummary();
        return command.display() + " exited with " + r.exitStatus() + (why.isEmpty() ? "" : ": " + why);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
