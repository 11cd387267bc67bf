package io.opsmcp.server.cli;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.policy.Principals;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.store.jdbc.Stores;
import java.time.Clock;

/**
 * What an {@code approvals} or {@code audit} command works on.
 *
 * @param config the configuration that decides who may vote: the server's own when the command runs through its
 *               control socket, the command line's when it opened the store itself
 * @param stores the open stores (not closed by the command)
 * @param osUser the OS user who asked: the control socket's peer credentials, or the user running this process
 */
record StoreSession(OpsMcpConfig config, Stores stores, String osUser) {

    /** The approval rules over the open store. */
    ApprovalService approvals() {
        return new ApprovalService(stores.approvals(), Clock.systemUTC());
    }

    /** Every principal {@code config} knows: {@code principals}, the API keys' and the local identity. */
    static Principals principals(OpsMcpConfig config) {
        var s = config.server();
        return Principals.from(
                config.tree().path("principals"),
                config.apiKeys().principals(),
                new Principal(s.principalId(), s.principalRoles(), "local"));
    }
}
