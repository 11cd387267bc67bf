package io.opsmcp.server.cli;

import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.store.Stores;

/**
 * What an {@code approvals} or {@code audit} command works on.
 *
 * @param config the configuration that decides who may vote: the server's own when the command runs through its
 *               control socket, the command line's when it opened the store itself
 * @param stores the open stores (not closed by the command)
 * @param osUser the OS user who asked: the control socket's peer credentials, or the user running this process
 */
record StoreSession(OpsMcpConfig config, Stores stores, String osUser) {
}
