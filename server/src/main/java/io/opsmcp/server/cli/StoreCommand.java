package io.opsmcp.server.cli;

import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.store.jdbc.Stores;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command on the approval and audit stores. Run from a shell, it goes through the control socket of a server
 * holding the embedded store of the same data directory when one answers ({@link ControlSocket}), and opens the
 * store itself otherwise (no server, or PostgreSQL). Run by the server for a socket peer, it works on the server's
 * stores with the server's configuration.
 */
abstract class StoreCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    /** Set by {@link ControlSocket} when the server runs this command for a peer; {@code null} from a shell. */
    StoreSession session;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (session != null) {
                return run(session, out, err);
            }
            OpsMcpConfig config = options.load(null, null, null);
            Main.applyLogging(config);
            if (Stores.isEmbedded(config.tree().path("store"))) {
                Writer remote = remoteOut(out);
                OptionalInt forwarded;
                try {
                    forwarded = ControlSocket.forward(ControlSocket.path(config), this::remoteArgs, remote, err);
                } finally {
                    if (remote != out) {
                        remote.close();
                    }
                }
                if (forwarded.isPresent()) {
                    return forwarded.getAsInt();
                }
            }
            try (Stores stores =
                    Stores.open(config.tree().path("store"), config.server().dataDir())) {
                return run(new StoreSession(config, stores, ControlSocket.localOsUser()), out, err);
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * This command's arguments as sent to a server (without the configuration options: the server uses its own),
     * e.g. {@code [approvals, approve, apr_…, --reason, …]}.
     */
    abstract List<String> remoteArgs();

    /** Where a server's standard output for this command goes (a file for {@code audit export --output}). */
    Writer remoteOut(PrintWriter out) throws java.io.IOException {
        return out;
    }

    /** Does the work; returns the exit code. */
    abstract int run(StoreSession session, PrintWriter out, PrintWriter err) throws Exception;
}
