package io.opsmcp.tools.system.accounts;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.accounts.AccountParsers.PasswdEntry;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostArgs;
import io.opsmcp.tools.system.hosts.HostInventory;
import io.opsmcp.tools.system.hosts.HostTool;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.time.Clock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code host_account_status}: one local account — passwd entry, password status ({@code passwd -S}), aging and
 * account expiry ({@code chage -l}), login failures ({@code faillock --user}, else {@code pam_tally2}) and last
 * logins ({@code lastlog -u}, else {@code last}) — and what keeps the user out ({@code locked_by}). Any user name
 * may be read, system accounts included.
 */
public final class HostAccountStatusTool extends HostTool {

    static final String NAME = "host_account_status";

    private final AccountReader reader;
    private final AccountPolicy policy;

    public HostAccountStatusTool(HostInventory hosts, SshExecutor ssh, boolean sudo, AccountSettings settings) {
        this(hosts, ssh, sudo, settings, Clock.systemUTC());
    }

    HostAccountStatusTool(HostInventory hosts, SshExecutor ssh, boolean sudo, AccountSettings settings, Clock clock) {
        super(hosts, ssh);
        this.reader = new AccountReader(ssh, new AccountCommands(sudo), clock);
        this.policy = new AccountPolicy(settings, hosts);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode p = JsonSchemas.properties();
        p.set("host", JsonSchemas.type("string", "host name"));
        p.set("user", JsonSchemas.type("string", "user name"));
        p.set("uid", JsonSchemas.type("integer", "numeric user id"));
        p.set("home", JsonSchemas.type("string", "home directory"));
        p.set("shell", JsonSchemas.type("string", "login shell"));
        p.set(
                "changeable",
                JsonSchemas.type(
                        "boolean", "host_account_unlock/expire may change it (not root, protected or a system uid)"));
        p.set("locked", JsonSchemas.type("boolean", "something keeps the user out (locked_by)"));
        p.set(
                "locked_by",
                JsonSchemas.arrayOf(
                        JsonSchemas.enumeration(
                                "cause", java.util.List.of("password", "account_expiry", "login_failures")),
                        "password locked, account expired, failures at faillock's deny count"));
        p.set(
                "password",
                JsonSchemas.type(
                        "object", "passwd -S: state (locked/no_password/usable), code, last_change; or error"));
        p.set("aging", JsonSchemas.type("object", "chage -l as ISO dates and day counts, account_expired; or error"));
        p.set("failures", JsonSchemas.type("object", "tool, count of valid failures, deny, records; or error"));
        p.set("last_logins", JsonSchemas.type("object", "tool, never_logged_in, entries (time, port, from); or error"));
        p.set("missing_tools", JsonSchemas.arrayOf(JsonSchemas.type("string", "program"), "not installed on the host"));
        return ToolSpec.tool(NAME)
                .title("Host account status")
                .description("A local account's lock state on a host: password status, expiry, login failures "
                        + "(faillock/pam_tally2) and last logins. Use before host_account_unlock.")
                .args(HostArgs.HOST, AccountArgs.USER)
                .output(JsonSchemas.output(
                        p,
                        "host",
                        "user",
                        "uid",
                        "locked",
                        "locked_by",
                        "password",
                        "aging",
                        "failures",
                        "last_logins",
                        "missing_tools"))
                .readOnly()
                .build();
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        return AccountArgs.descriptor(host, AccountArgs.USER.read(args), null);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        HostEntry host = hosts.require(HostArgs.HOST.read(args));
        String user = AccountArgs.USER.read(args);
        PasswdEntry entry = reader.lookup(host, user, ctx);
        AccountReader.Snapshot s = reader.read(host, user, true, ctx);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("host", host.name());
        out.put("user", user);
        out.put("uid", entry.uid());
        out.put("home", entry.home());
        out.put("shell", entry.shell());
        out.put("changeable", !policy.protectedName(user) && policy.changeableUid(entry.uid()));
        out.put("locked", !s.lockedBy().isEmpty());
        var lockedBy = out.putArray("locked_by");
        s.lockedBy().forEach(lockedBy::add);
        s.json().properties().forEach(e -> out.set(e.getKey(), e.getValue()));
        var missing = out.putArray("missing_tools");
        s.missingTools().forEach(missing::add);
        return ToolResult.ok(text(host, entry, s), out);
    }

    static String text(HostEntry host, PasswdEntry entry, AccountReader.Snapshot s) {
        StringBuilder t = new StringBuilder();
        t.append(entry.name())
                .append(" on ")
                .append(host.name())
                .append(" (uid ")
                .append(entry.uid())
                .append(", shell ")
                .append(entry.shell())
                .append("): ")
                .append(s.lockedBy().isEmpty() ? "not locked" : "LOCKED by " + String.join(", ", s.lockedBy()))
                .append('\n');
        JsonNode pw = s.json().path("password");
        t.append("password: ")
                .append(
                        pw.has("error")
                                ? pw.path("error").asString()
                                : pw.path("state").asString());
        if (pw.has("last_change")) {
            t.append(", last changed ").append(pw.path("last_change").asString());
        }
        t.append('\n');
        JsonNode aging = s.json().path("aging");
        if (aging.has("error")) {
            t.append("aging: ").append(aging.path("error").asString()).append('\n');
        } else {
            t.append("account expires: ")
                    .append(aging.path("account_expires").asString("?"))
                    .append(aging.path("account_expired").asBoolean() ? " (EXPIRED)" : "")
                    .append("; password expires: ")
                    .append(aging.path("password_expires").asString("?"))
                    .append('\n');
        }
        JsonNode f = s.json().path("failures");
        if (f.has("error")) {
            t.append("login failures: ").append(f.path("error").asString()).append('\n');
        } else {
            t.append("login failures (")
                    .append(f.path("tool").asString())
                    .append("): ")
                    .append(f.path("count").asInt());
            if (f.has("deny")) {
                t.append(" valid, locks at ").append(f.path("deny").asInt());
            }
            for (JsonNode r : f.path("records")) {
                t.append("\n  ")
                        .append(r.path("time").asString())
                        .append(' ')
                        .append(r.path("type").asString())
                        .append(' ')
                        .append(r.path("source").asString())
                        .append(r.path("valid").asBoolean() ? "" : " (no longer counted)");
            }
            t.append('\n');
        }
        JsonNode l = s.json().path("last_logins");
        if (l.has("error")) {
            t.append("last logins: ").append(l.path("error").asString()).append('\n');
        } else if (l.path("never_logged_in").asBoolean()) {
            t.append("last login: never\n");
        } else {
            for (JsonNode e : l.path("entries")) {
                t.append("last login: ")
                        .append(e.path("time").asString())
                        .append(e.has("port") ? " on " + e.path("port").asString() : "")
                        .append(e.has("from") ? " from " + e.path("from").asString() : "")
                        .append('\n');
            }
        }
        if (!s.missingTools().isEmpty()) {
            t.append("not installed: ")
                    .append(String.join(", ", s.missingTools()))
                    .append('\n');
        }
        return t.toString();
    }
}
