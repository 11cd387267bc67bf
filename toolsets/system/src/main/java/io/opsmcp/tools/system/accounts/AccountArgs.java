package io.opsmcp.tools.system.accounts;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.hosts.HostTool;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code user} argument and the resource every account tool describes. */
final class AccountArgs {

    /** The policy's resource kind for a local account on a host. */
    static final String KIND = "host:account";

    /**
     * A local user name, checked before anything connects: {@value AccountSettings#USER_PATTERN}, at most 32
     * characters (so never an option, a uid or a uid range).
     */
    static final ArgSpec<String> USER = ArgSpec.string("user")
            .description("Local user name (POSIX), e.g. jdoe.")
            .pattern(AccountSettings.USER_PATTERN)
            .maxLength(AccountSettings.USER_MAX_LENGTH)
            .required();

    private AccountArgs() {}

    /**
     * Provider {@code host}, kind {@value #KIND}, the host's environment, name = the host's name (so every host rule
     * of the policy scopes it), ids = the host's ids plus {@code account}: one resource per account for the circuit
     * breaker and the audit.
     */
    static ActionDescriptor descriptor(HostEntry host, String user, ChangePreview change) {
        Map<String, String> ids = new LinkedHashMap<>(HostTool.ids(host));
        ids.put("account", user);
        return new ActionDescriptor("host", KIND, host.environment(), host.name(), ids, change);
    }
}
