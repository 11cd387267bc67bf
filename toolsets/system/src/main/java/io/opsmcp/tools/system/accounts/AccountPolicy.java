package io.opsmcp.tools.system.accounts;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.accounts.AccountParsers.PasswdEntry;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostInventory;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which accounts the change tools refuse, whatever the policy says: {@code root}, the configured
 * {@code protected_names}, every host's SSH login user (locking it would cut ops-mcp off from the host), checked
 * from the arguments before anything connects; and uids outside {@code min_uid..max_uid}, checked on the host
 * before anything changes.
 */
final class AccountPolicy {

    private final AccountSettings settings;
    private final Set<String> protectedNames;

    AccountPolicy(AccountSettings settings, HostInventory hosts) {
        this.settings = settings;
        Set<String> names = new TreeSet<>(settings.protectedNames());
        names.add("root");
        hosts.all().forEach(h -> names.add(h.user()));
        this.protectedNames = Set.copyOf(names);
    }

    /** @throws ToolException FORBIDDEN when {@code user} is protected by name */
    void checkName(HostEntry host, String user) {
        if (!protectedNames.contains(user)) {
            return;
        }
        String why = user.equals("root")
                ? "root is never changed by these tools"
                : settings.protectedNames().contains(user)
                        ? user + " is listed in host_changes.accounts.protected_names"
                        : user + " is the SSH login user of a configured host; locking it would lock ops-mcp out";
        throw new ToolException(Kind.FORBIDDEN, "refused: " + why + "; nothing was changed");
    }

    /** Whether the uid is one the change tools may change. */
    boolean changeableUid(long uid) {
        return uid >= settings.minUid() && uid <= settings.maxUid();
    }

    /** @throws ToolException FORBIDDEN when the account is a system account by uid */
    void checkUid(HostEntry host, PasswdEntry entry) {
        if (!changeableUid(entry.uid())) {
            throw new ToolException(
                    Kind.FORBIDDEN,
                    "refused: " + entry.name() + " on " + host.name() + " has uid " + entry.uid()
                            + ", a system account (host_changes.accounts allows uids " + settings.minUid() + ".."
                            + settings.maxUid() + "); nothing was changed");
        }
    }

    boolean protectedName(String user) {
        return protectedNames.contains(user);
    }
}
