package io.opsmcp.server.cli;

import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.store.jdbc.Stores;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The server's control socket: a Unix domain socket {@value #FILE} in the data directory (the directory is 0700,
 * the socket 0600) through which {@code ops-mcp approvals …} and {@code ops-mcp audit …} reach the embedded store
 * while the server holds it. The embedded store then has one writer and no TCP listener. The server reads the
 * peer's OS user from the kernel ({@code SO_PEERCRED}), so a vote is cast as the principal mapped to that user
 * ({@code principals[].os_user}) in the <em>server's</em> configuration, whatever the client claims.
 *
 * <p>Protocol (one exchange per connection; Java {@link DataOutputStream} encoding): the client sends an
 * {@code int} count and that many {@code writeUTF} arguments; the server answers with frames
 * {@code 'o'|'e', int length, UTF-8 bytes} (standard output and error) and ends with {@code 'x', int exit code}.
 */
public final class ControlSocket implements AutoCloseable {

    /** Socket file name in the data directory. */
    public static final String FILE = "ops-mcp.sock";

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    private static final Set<String> COMMANDS = Set.of("approvals", "audit");
    private static final int MAX_ARGS = 64;

    private final ServerSocketChannel server;
    private final Path path;
    private final OpsMcpConfig config;
    private final Stores stores;
    private final ExecutorService workers;
    private final Thread acceptor;

    private ControlSocket(ServerSocketChannel server, Path path, OpsMcpConfig config, Stores stores) {
        this.server = server;
        this.path = path;
        this.config = config;
        this.stores = stores;
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "ops-mcp-control");
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(2, daemons);
        this.acceptor = daemons.newThread(this::accept);
        acceptor.start();
    }

    /**
     * Where the socket is: {@code control_socket} when set, else {@value #FILE} in the data directory. A socket
     * outside the data directory (e.g. {@code /run/ops-mcp/ops-mcp.sock}) lets approvers with their own OS accounts
     * reach it: it is then mode 0666, and only the peers mapped by {@code principals[].os_user} (besides the
     * service user and root) get an answer.
     *
     * @throws ConfigException when {@code control_socket} is not a path
     */
    static Path path(OpsMcpConfig config) {
        JsonNode node = config.tree().path("control_socket");
        if (node.isMissingNode() || node.isNull()) {
            return config.server().dataDir().toAbsolutePath().resolve(FILE);
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw new ConfigException(
                    "control_socket: must be the path of a Unix socket (e.g. /run/ops-mcp/ops-mcp.sock)");
        }
        return Path.of(node.asString().strip()).toAbsolutePath();
    }

    /**
     * Listens on {@link #path} for the holder of the embedded store. A leftover socket there is replaced: whoever
     * holds the store's file lock (this process) owns the socket.
     *
     * @return the socket, or empty (logged) when the platform or path length does not allow one; the CLI then
     *         cannot reach the store while this server runs
     */
    public static Optional<ControlSocket> start(OpsMcpConfig config, Stores stores) {
        Path path = path(config);
        boolean shared = !path.getParent().equals(config.server().dataDir().toAbsolutePath());
        try {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isSymbolicLink(path)) {
                Files.delete(path); // a socket left by an earlier run; never a file someone configured by mistake
            }
            if (shared) {
                Files.createDirectories(path.getParent());
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
                // In the 0700 data directory only the service user reaches it anyway; a shared socket is open to
                // every local user, and SO_PEERCRED decides who gets an answer.
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(shared ? "rw-rw-rw-" : "rw-------"));
            }
            return Optional.of(new ControlSocket(server, path, config, stores));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            log.warn(
                    "no control socket at {} ({}); `ops-mcp approvals` and `ops-mcp audit` cannot reach the store while"
                            + " this server runs",
                    path,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The OS user running this process (from the password database, not from {@code $USER}). */
    public static String localOsUser() {
        return System.getProperty("user.name");
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel peer = server.accept();
                workers.execute(() -> serve(peer));
            } catch (IOException e) {
                if (server.isOpen()) {
                    log.warn("control socket: {}", e.getMessage());
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    private void serve(SocketChannel peer) {
        try (peer) {
            UnixDomainPrincipal who = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String osUser = who.user().getName();
            DataInputStream in = new DataInputStream(Channels.newInputStream(peer));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(peer));
            int n = in.readInt();
            if (n < 1 || n > MAX_ARGS) {
                reply(out, 'e', "ops-mcp: control socket: expected 1.." + MAX_ARGS + " arguments\n");
                exit(out, 2);
                return;
            }
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                args.add(in.readUTF());
            }
            exit(out, run(args, osUser, out));
        } catch (EOFException e) {
            // the client went away
        } catch (IOException | RuntimeException e) {
            log.warn("control socket: {}", e.toString());
        }
    }

    private int run(List<String> args, String osUser, DataOutputStream frames) throws IOException {
        PrintWriter out = new PrintWriter(new FrameWriter(frames, 'o'), false);
        PrintWriter err = new PrintWriter(new FrameWriter(frames, 'e'), false);
        try {
            if (!allowed(osUser)) {
                err.println("ops-mcp: OS user " + osUser + " may not use this server's control socket (only the"
                        + " service user, root and the os_user of a configured principal)");
                return 1;
            }
            if (!COMMANDS.contains(args.get(0))) {
                err.println("ops-mcp: control socket: only the approvals and audit commands (got " + args.get(0) + ")");
                return 2;
            }
            StoreSession session = new StoreSession(config, stores, osUser);
            CommandLine cli = new CommandLine(new OpsMcpCommand(), new CommandLine.IFactory() {
                @Override
                public <K> K create(Class<K> type) throws Exception {
                    K made = CommandLine.defaultFactory().create(type);
                    if (made instanceof StoreCommand command) {
                        command.session = session;
                    }
                    return made;
                }
            });
            cli.setOut(out);
            cli.setErr(err);
            cli.setExecutionExceptionHandler((e, line, parsed) -> {
                log.warn("control socket: {} failed", args.subList(0, Math.min(2, args.size())), e);
                line.getErr().println("ops-mcp: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            });
            return cli.execute(args.toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }

    private boolean allowed(String osUser) {
        return osUser.equals(localOsUser())
                || "root".equals(osUser)
                || !StoreSession.principals(config).mappedTo(osUser).isEmpty();
    }

    private static void reply(DataOutputStream out, char kind, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.writeByte(kind);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
        }
    }

    private static void exit(DataOutputStream out, int code) throws IOException {
        synchronized (out) {
            out.writeByte('x');
            out.writeInt(code);
            out.flush();
        }
    }

    /**
     * Client side: runs the {@code request} arguments (asked for once a server answered) in the server listening on
     * {@code path} ({@link #path}), copying its
     * output to {@code out} and {@code err}.
     *
     * @return the exit code, or empty when no server answers on the socket (none runs: open the store directly)
     */
    static OptionalInt forward(Path path, java.util.function.Supplier<List<String>> request, Writer out, Writer err)
            throws IOException {
        if (!Files.exists(path)) {
            return OptionalInt.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return OptionalInt.empty(); // a socket left behind by a server that is gone
        }
        try (channel) {
            List<String> args = request.get();
            DataOutputStream send = new DataOutputStream(Channels.newOutputStream(channel));
            send.writeInt(args.size());
            for (String arg : args) {
                send.writeUTF(arg);
            }
            send.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            while (true) {
                int kind = in.readByte();
                if (kind == 'x') {
                    out.flush();
                    err.flush();
                    return OptionalInt.of(in.readInt());
                }
                int length = in.readInt();
                if (length < 0 || length > 1 << 20 || (kind != 'o' && kind != 'e')) {
                    throw new IOException("malformed answer from the server");
                }
                String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                (kind == 'o' ? out : err).write(text);
            }
        } catch (EOFException e) {
            err.write("ops-mcp: the server at " + path + " closed the connection before answering\n");
            err.flush();
            return OptionalInt.of(1);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the control socket: {}", e.getMessage());
        }
        workers.shutdown();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("removing {}: {}", path, e.getMessage());
        }
    }

    /** Sends what is written as frames of one kind, at most 64 KiB each. */
    private static final class FrameWriter extends Writer {
        private final DataOutputStream out;
        private final char kind;
        private final StringBuilder buffer = new StringBuilder();

        FrameWriter(DataOutputStream out, char kind) {
            this.out = out;
            this.kind = kind;
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            buffer.append(chars, off, len);
            if (buffer.length() >= 1 << 16) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (buffer.length() > 0) {
                reply(out, kind, buffer.toString());
                buffer.setLength(0);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
