package io.opsmcp.tools.system.sandbox;

import io.opsmcp.toolkit.Deferred;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An embedded SSH server (Apache MINA SSHD) that makes the local machine available as host {@value #HOST_NAME}
 * for sandbox mode. It listens on 127.0.0.1 on a random free port, has a fresh ECDSA P-256 host key per start,
 * accepts exactly one freshly generated client key for the current OS user (no passwords, no shell, no
 * subsystems, no forwarding) and runs each exec request with {@code /bin/sh -c} as the current user, with simulated
 * local accounts first on PATH ({@link SandboxAccounts}: the account tools never change the machine's real users).
 *
 * <p>{@link #start(Path)} writes into the directory: {@code client_key} (OpenSSH private key, mode 600),
 * {@code client_key.pub}, {@code host_key.pub} and {@code known_hosts} (one {@code [127.0.0.1]:PORT} line with
 * the host key), so that the normal known_hosts check applies to the sandbox too.
 *
 * <p>Clients connect to a port this class binds itself and which it relays to the SSH server's own, so that the port
 * is known before the SSH server runs ({@link #open}: a stdio server answers {@code initialize} without loading it).
 *
 * <p>It knows nothing of the hosts toolset's classes: {@link #hostConfig()} is the configuration the toolset
 * reads, which keeps this module off the toolset's class path (and the toolset's tests free to use it).
 */
public final class SandboxSshServer implements AutoCloseable {

    /** The host name the sandbox is registered under. */
    public static final String HOST_NAME = "sandbox";
    /** Environment of the sandbox host. */
    public static final String ENVIRONMENT = "dev";
    /** Host group of the sandbox host. */
    public static final String HOST_GROUP = "sandbox";

    private static final String BIND = "127.0.0.1";
    private static final Logger log = LoggerFactory.getLogger(SandboxSshServer.class);

    private final ServerSocketChannel listener;
    /**
     * Counted down when the accept loop has left {@code accept()}: a channel closed while a thread is blocked in
     * it releases its port only when that thread leaves (NIO's deferred close), so {@link #close()} waits for this.
     */
    private final java.util.concurrent.CountDownLatch acceptEnded = new java.util.concurrent.CountDownLatch(1);

    private final ExecutorService threads;
    private final String user;
    private final Path clientKey;
    private final Path knownHosts;
    private final KeyPair hostKey;
    private final SandboxAccounts accounts;
    private final Map<String, String> environment;
    /** The SSH server proper, on its own ephemeral loopback port behind {@link #listener}; built at most once. */
    private final Deferred<SshdBackend> server;

    private SandboxSshServer(
            ServerSocketChannel listener,
            ExecutorService threads,
            String user,
            Path clientKey,
            Path knownHosts,
            KeyPair hostKey,
            SandboxAccounts accounts) {
        this.listener = listener;
        this.threads = threads;
        this.user = user;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
        this.hostKey = hostKey;
        this.accounts = accounts;
        this.environment = accounts.environment();
        this.server = new Deferred<>("sandbox-ssh", this::startSshd);
    }

    /**
     * Generates keys into {@code dir} (created if missing; existing key files are replaced) and starts the server;
     * returns when it answers SSH.
     *
     * @throws IOException when the directory cannot be written or the server cannot bind
     */
    public static SandboxSshServer start(Path dir) throws IOException {
        SandboxSshServer sandbox = open(dir);
        try {
            sandbox.server.get();
        } catch (RuntimeException e) {
            sandbox.close();
            throw new IOException("cannot start the sandbox SSH server: " + e.getMessage(), e);
        }
        return sandbox;
    }

    /**
     * Like {@link #start}, but leaves the SSH server proper (Apache SSHD, BouncyCastle: ~1,000 classes) and the
     * client key for {@link #startInBackground()} or the first connection, whichever comes first. When this returns,
     * the listening port, {@code known_hosts} and {@code host_key.pub} exist, so the host entry ({@link
     * #hostConfig()}) is complete; {@code client_key} is written before the server answers its first SSH handshake,
     * which is before any client reads it. A connection that arrives earlier is accepted and waits for the server;
     * should it fail to start, such connections are closed, and every later one too.
     *
     * @throws IOException when the directory cannot be written or the port cannot be bound
     */
    public static SandboxSshServer open(Path dir) throws IOException {
        Files.createDirectories(dir);
        // The client key pair is made with the SSH server proper (startSshd), which writes client_key before it
        // answers its first handshake: only the host key is needed now, for known_hosts. It is made on this thread
        // (~20 ms of CPU once its classes come from the start-up cache): on a thread of its own, a stdio server's
        // initialize waited ~40 ms for it while the JIT and the start's warm-ups held the other core
        // (server/BENCHMARKS.md, "Fast start, sixth pass").
        KeyPair hostKey = generate();
        String user = System.getProperty("user.name");
        Path clientKey = dir.resolve("client_key");
        Files.deleteIfExists(clientKey); // a previous run's key: the server will not accept it
        // The simulated accounts are installed and seeded by the SSH server's start (startSshd), before it answers
        // any handshake and so before any command can use them; their places, all the environment needs, are fixed.
        SandboxAccounts accounts = SandboxAccounts.at(dir);
        String hostKeyLine = OpenSshPublicKey.line((ECPublicKey) hostKey.getPublic());
        Files.writeString(dir.resolve("host_key.pub"), hostKeyLine + " ops-mcp-sandbox-host\n", StandardCharsets.UTF_8);

        // The port clients use is this socket's, bound now: the host entry needs it before the SSH server runs.
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(BIND, 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Path knownHosts = dir.resolve("known_hosts");
            // joined, not `+`: the first `+` of a string with an int spins ~7 method-handle classes at every start
            // (the start-up cache does not hold them), on the thread a stdio client's initialize waits for
            String line = String.join("", "[", BIND, "]:", Integer.toString(port), " ", hostKeyLine, "\n");
            Files.writeString(knownHosts, line, StandardCharsets.UTF_8);
            ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
            SandboxSshServer sandbox =
                    new SandboxSshServer(listener, threads, user, clientKey, knownHosts, hostKey, accounts);
            threads.execute(sandbox::acceptLoop);
            return sandbox;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Begins starting the SSH server on a daemon thread unless it has begun already; returns at once. */
    public void startInBackground() {
        server.start();
    }

    private SshdBackend startSshd() {
        try {
            accounts.install();
            return SshdBackend.start(BIND, hostKey, generate(), clientKey, user, environment, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox SSH server: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts on the public port and relays each connection to the SSH server's own port (starting it if nothing
     * has yet). A relay rather than a hand-over of the socket: SSHD binds its own, and a port that was released
     * and bound again could be taken by another process in between. Ends when {@link #close()} closes the socket.
     */
    private void acceptLoop() {
        try {
            while (listener.isOpen()) {
                SocketChannel client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                try {
                    threads.execute(() -> relay(client));
                } catch (RuntimeException e) { // shut down
                    closeQuietly(client);
                    return;
                }
            }
        } finally {
            acceptEnded.countDown();
        }
    }

    private void relay(SocketChannel client) {
        SocketChannel upstream;
        try {
            upstream =
                    SocketChannel.open(new InetSocketAddress(BIND, server.get().port()));
        } catch (IOException | RuntimeException e) {
            // The SSH client only sees a closed connection: say here why.
            log.warn("sandbox SSH connection closed: {}", e.getMessage());
            closeQuietly(client);
            return;
        }
        try {
            threads.execute(() -> copy(upstream, client));
        } catch (RuntimeException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        copy(client, upstream);
    }

    /** Copies until end of stream, then half-closes {@code to}; on an error closes both. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a connection that is going away
        }
    }

    private static KeyPair generate() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ECDSA P-256 key", e);
        }
    }

    public String address() {
        return BIND;
    }

    /** The port clients connect to (the SSH server proper listens on another, which nobody needs to know). */
    public int port() {
        return ((InetSocketAddress) listenerAddress()).getPort();
    }

    private java.net.SocketAddress listenerAddress() {
        try {
            return listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OS user commands run as, and the SSH user name the server accepts. */
    public String user() {
        return user;
    }

    public Path clientKey() {
        return clientKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /**
     * The sandbox as one element of the configuration's {@code hosts:} list, with its own {@code known_hosts}, so
     * that it can be appended to a user's configuration without touching {@code ssh.known_hosts}.
     */
    public ObjectNode hostConfig() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode host = json.objectNode();
        host.put("name", HOST_NAME);
        host.put("address", BIND);
        host.put("port", port());
        host.put("user", user);
        ObjectNode auth = host.putObject("auth");
        auth.put("type", "key_file");
        auth.put("key_file", clientKey.toAbsolutePath().toString());
        host.put("host_group", HOST_GROUP);
        host.put("environment", ENVIRONMENT);
        host.put("known_hosts", knownHosts.toAbsolutePath().toString());
        return host;
    }

    /** Stops the server and ends any command still running. */
    @Override
    public void close() throws IOException {
        try {
            listener.close();
            awaitAcceptEnded();
            server.close();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot stop the sandbox SSH server: " + e.getMessage(), e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Waits (at most 5 s) for the accept loop to leave, so that the port is free when {@link #close()} returns. */
    private void awaitAcceptEnded() {
        try {
            acceptEnded.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sandbox-ssh-".concat(Integer.toString(counter.incrementAndGet()))); // as above
            t.setDaemon(true);
            return t;
        };
    }
}
