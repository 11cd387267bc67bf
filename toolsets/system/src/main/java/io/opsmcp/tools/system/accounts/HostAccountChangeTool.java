package io.opsmcp.tools.system.accounts;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.accounts.AccountParsers.PasswdEntry;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_account_unlock} and {@code host_account_expire}. The change is planned from the arguments without
 * connecting (the guard decides before any SSH; protected names are refused here). Preview and apply then look the
 * user up on the host, refuse system uids, read the state before, run the commands (each an argument vector, the
 * user name a separate validated argument) and read the state after.
 *
 * <ul>
 *   <li>unlock: reset the failure counter ({@code faillock --user U --reset}, or {@code pam_tally2 --user U --reset}),
 *       unlock a locked password ({@code usermod -U -- U}); with {@code clear_expiry} also remove an account expiry
 *       ({@code chage -E -1 -- U}). Mutating, idempotent, not destructive.</li>
 *   <li>expire: lock the account at once ({@code usermod -L -e 1 -- U}; without usermod {@code passwd -l} and
 *       {@code chage -E 0}): neither a password nor an SSH key logs in any more. Destructive: it cuts a user off.
 *       Sessions already open are not ended (the result counts the user's processes).</li>
 * </ul>
 */
public final class HostAccountChangeTool extends MutatingTool<HostAccountChangeTool.Target> {

    /** The two account changes. */
    public enum Action {
        UNLOCK("host_account_unlock"),
        EXPIRE("host_account_expire");

        final String toolName;

        Action(String toolName) {
            this.toolName = toolName;
        }
    }

    static final ArgSpec<Boolean> CLEAR_EXPIRY = ArgSpec.bool("clear_expiry")
            .description("Also remove the account's expiry date (undo host_account_expire).")
            .defaultValue(false);

    /**
     * What a call changes, planned from the arguments.
     *
     * @param host        the configured host
     * @param user        the validated user name
     * @param clearExpiry unlock also removes the account expiry
     */
    public record Target(HostEntry host, String user, boolean clearExpiry) {}

    private final HostInventory hosts;
    private final SshExecutor ssh;
    private final Action action;
    private final AccountCommands commands;
    private final AccountReader reader;
    private final AccountPolicy policy;

    public HostAccountChangeTool(
            HostInventory hosts, SshExecutor ssh, Action action, boolean sudo, AccountSettings settings) {
        this(hosts, ssh, action, sudo, settings, Clock.systemUTC());
    }

    HostAccountChangeTool(
            HostInventory hosts, SshExecutor ssh, Action action, boolean sudo, AccountSettings settings, Clock clock) {
        super(definition(action));
        this.hosts = hosts;
        this.ssh = ssh;
        this.action = action;
        this.commands = new AccountCommands(sudo);
        this.reader = new AccountReader(ssh, commands, clock);
        this.policy = new AccountPolicy(settings, hosts);
    }

    private static ToolDefinition definition(Action action) {
        ObjectNode p = JsonSchemas.properties();
        p.set("host", JsonSchemas.type("string", "host name"));
        p.set("user", JsonSchemas.type("string", "user name"));
        p.set("uid", JsonSchemas.type("integer", "numeric user id"));
        p.set("dry_run", JsonSchemas.type("boolean", "nothing was changed"));
        p.set(
                "commands",
                JsonSchemas.arrayOf(JsonSchemas.type("string", "command"), "what ran (or would run), in order"));
        p.set("before", JsonSchemas.type("object", "password, aging, failures before"));
        p.set("after", JsonSchemas.type("object", "the same afterwards (absent in a dry run)"));
        p.set("locked_by", JsonSchemas.arrayOf(JsonSchemas.type("string", "cause"), "what still keeps the user out"));
        ToolSpec spec = ToolSpec.tool(action.toolName);
        if (action == Action.UNLOCK) {
            spec.title("Unlock a host account")
                    .description("Unlocks a local account: resets its login failure counter (faillock/pam_tally2) and "
                            + "unlocks its password (usermod -U). Confirm the person's identity first; repeated "
                            + "failures from unknown addresses are an attack, not a forgotten password.")
                    .args(HostArgs.HOST, AccountArgs.USER, CLEAR_EXPIRY)
                    // destructiveHint without being destructive to the policy: an unlock removes nothing, but it lets
                    // someone in again, so no client may auto-approve it
                    .interrupting();
        } else {
            p.set("processes", JsonSchemas.type("integer", "processes still running as the user (open sessions)"));
            spec.title("Expire a host account")
                    .description("Locks a local account at once (usermod -L -e 1): no password or SSH key login any "
                            + "more, e.g. for a departed employee. Open sessions keep running (counted in the result).")
                    .args(HostArgs.HOST, AccountArgs.USER)
                    .destructive();
        }
        return spec.output(JsonSchemas.output(p, "host", "user", "dry_run", "commands"))
                .build();
    }

    @Override
    protected PlannedChange<Target> plan(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String user = AccountArgs.USER.read(args);
        policy.checkName(host, user);
        boolean clearExpiry = action == Action.UNLOCK && CLEAR_EXPIRY.read(args);
        ObjectNode after = JsonNodeFactory.instance.objectNode().put("account", user);
        String summary;
        if (action == Action.UNLOCK) {
            after.put("password", "usable").put("failures", 0);
            if (clearExpiry) {
                after.put("account_expires", "never");
            }
            summary = "unlock account " + user + " on " + host.name() + " (reset login failures, unlock the password"
                    + (clearExpiry ? ", remove the account expiry" : "") + ")";
        } else {
            after.put("password", "locked").put("account_expires", "1970-01-02");
            summary = "expire account " + user + " on " + host.name()
                    + " now (lock the password, account expiry 1970-01-02: no password or key login)";
        }
        return new PlannedChange<>(
                AccountArgs.descriptor(host, user, new ChangePreview(summary, null, after, action == Action.EXPIRE)),
                new Target(host, user, clearExpiry));
    }

    @Override
    protected ToolResult preview(PlannedChange<Target> plan, ToolContext ctx) {
        return run(plan, true, ctx);
    }

    @Override
    protected ToolResult apply(PlannedChange<Target> plan, ObjectNode args, ToolContext ctx) {
        return run(plan, false, ctx);
    }

    private ToolResult run(PlannedChange<Target> plan, boolean dryRun, ToolContext ctx) {
        Target t = plan.data();
        HostEntry host = t.host();
        PasswdEntry entry = reader.lookup(host, t.user(), ctx);
        policy.checkUid(host, entry);
        AccountReader.Snapshot before = reader.read(host, t.user(), false, ctx);
        List<RemoteCommand> steps = steps(t, before);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("user", t.user());
        out.put("uid", entry.uid());
        out.put("dry_run", dryRun);
        ArrayNode cmds = out.putArray("commands");
        steps.forEach(c -> cmds.add(c.display()));
        out.set("before", before.json());
        StringBuilder text = new StringBuilder();
        if (dryRun) {
            text.append("Dry run (nothing was changed): ")
                    .append(plan.change().summary())
                    .append('\n');
            text.append("before: ").append(state(before)).append('\n');
            text.append(steps.isEmpty() ? "nothing to run: the account is already in that state\n" : "would run:\n");
            steps.forEach(c -> text.append("  ").append(c.display()).append('\n'));
            putLockedBy(out, before);
            out.put("summary", plan.change().summary());
            out.put("destructive", plan.change().destructive());
            return ToolResult.ok(text.toString(), out);
        }
        ctx.progress().report(1, 3.0, plan.change().summary());
        text.append(host.name()).append(": ").append(plan.change().summary()).append('\n');
        text.append("before: ").append(state(before)).append('\n');
        List<RemoteCommand> queue = new ArrayList<>(steps);
        while (!queue.isEmpty()) {
            RemoteCommand step = queue.remove(0);
            CommandResult r = ssh.run(host, step, ctx);
            if (AccountCommands.missing(r) && step.equals(commands.expire(t.user()))) {
                // no usermod (busybox, minimal images): the same two changes with passwd and chage
                text.append("usermod is not installed; using passwd -l and chage -E 0\n");
                queue.addAll(0, commands.expireWithoutUsermod(t.user()));
                cmds.removeAll();
                commands.expireWithoutUsermod(t.user()).forEach(c -> cmds.add(c.display()));
                continue;
            }
            if (AccountCommands.missing(r)) {
                throw new ToolException(
                        Kind.UNAVAILABLE,
                        AccountCommands.program(step) + " is not installed on " + host.name() + "; ran so far: "
                                + text.toString().strip());
            }
            if (!r.succeeded()) {
                text.append("FAILED: `")
                        .append(step.display())
                        .append("`: ")
                        .append(AccountReader.refused(step, r))
                        .append('\n');
                AccountReader.Snapshot now = reader.read(host, t.user(), false, ctx);
                out.set("after", now.json());
                putLockedBy(out, now);
                text.append("now: ").append(state(now)).append('\n');
                return new ToolResult(text.toString(), out, true);
            }
            text.append("ran `").append(step.display()).append("`\n");
        }
        AccountReader.Snapshot after = reader.read(host, t.user(), false, ctx);
        out.set("after", after.json());
        putLockedBy(out, after);
        text.append("after: ").append(state(after)).append('\n');
        if (action == Action.EXPIRE) {
            int processes = processes(host, t.user(), ctx);
            out.put("processes", processes);
            if (processes > 0) {
                text.append(processes)
                        .append(" process(es) still run as ")
                        .append(t.user())
                        .append(" (sessions opened before); they were not ended\n");
            }
        } else if (!after.lockedBy().isEmpty()) {
            text.append("still locked by: ")
                    .append(String.join(", ", after.lockedBy()))
                    .append('\n');
        }
        return ToolResult.ok(text.toString(), out);
    }

    /** The commands for the state read: steps already done are left out (unlocking an unlocked password fails). */
    List<RemoteCommand> steps(Target t, AccountReader.Snapshot before) {
        List<RemoteCommand> steps = new ArrayList<>();
        String user = t.user();
        if (action == Action.UNLOCK) {
            if ("faillock".equals(before.failureTool())) {
                steps.add(commands.faillockReset(user));
            } else if ("pam_tally2".equals(before.failureTool())) {
                steps.add(commands.pamTally2Reset(user));
            }
            if ("locked".equals(before.passwordState())) {
                steps.add(commands.unlockPassword(user));
            }
            if (t.clearExpiry()) {
                steps.add(commands.clearExpiry(user));
            }
        } else {
            steps.add(commands.expire(user));
        }
        return steps;
    }

    private int processes(HostEntry host, String user, ToolContext ctx) {
        CommandResult r = ssh.run(host, RemoteCommand.of("ps", "-o", "pid=", "-u", user), ctx);
        return (int) r.stdoutText().lines().filter(l -> !l.isBlank()).count();
    }

    private static void putLockedBy(ObjectNode out, AccountReader.Snapshot s) {
        ArrayNode a = out.putArray("locked_by");
        s.lockedBy().forEach(a::add);
    }

    private static String state(AccountReader.Snapshot s) {
        return "password " + (s.passwordState() == null ? "unknown" : s.passwordState())
                + ", login failures " + (s.failures() == null ? "unknown" : s.failures())
                + (s.accountExpired() ? ", account expired" : "")
                + (s.lockedBy().isEmpty() ? ", not locked" : ", locked by " + String.join(", ", s.lockedBy()));
    }
}
