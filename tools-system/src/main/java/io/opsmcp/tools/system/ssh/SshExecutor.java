package io.opsmcp.tools.system.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Runs {@link RemoteCommand}s on configured hosts over SSH (sshj). One authenticated connection per host is
 * kept and shared by concurrent calls (SSH multiplexes channels); a connection unused for {@link #IDLE_CLOSE}
 * is closed. Every connection checks the host key against the known_hosts file first.
 *
 * <p>Every command runs under {@code timeout} on the host (see {@link RemoteCommand#withRemoteTimeout}), so it
 * ends at its deadline on the host's side. In addition, a command that passes its deadline is sent the SSH
 * {@code signal KILL} request (OpenSSH signals the command's process group when privilege separation applies)
 * and its channel is closed; the call then fails with {@link Kind#TIMEOUT}.
 *
 * <p>Thread-safe. Failures surface as {@link ToolException} with messages that name the host and the cause
 * and carry no key material.
 */
public final class SshExecutor implements AutoCloseable {

    /** How long an unused connection stays open. */
    public static final Duration IDLE_CLOSE = Duration.ofSeconds(60);

    private static final int READ_CHUNK = 8192;

    private final SshSettings settings;
    private final Path agentSocket;
    private final Clock clock;
    private final Config sshConfig = new DefaultConfig();
    private final Map<String, Pooled> pool = new HashMap<>();
    private final ExecutorService readers = Executors.newCachedThreadPool(daemon("ssh-output"));
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemon("ssh-idle-close"));

    /**
     * @param settings    shared SSH settings
     * @param agentSocket the ssh-agent socket (usually {@code $SSH_AUTH_SOCK}), or {@code null} when there is none;
     *                    only hosts with {@code auth: agent} use it
     */
    public SshExecutor(SshSettings settings, Path agentSocket) {
        this(settings, agentSocket, Clock.systemUTC());
    }

    SshExecutor(SshSettings settings, Path agentSocket, Clock clock) {
        this.settings = settings;
        this.agentSocket = agentSocket;
        this.clock = clock;
        long period = IDLE_CLOSE.toSeconds() / 2;
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.SECONDS);
    }

    public SshSettings settings() {
        return settings;
    }

    /**
     * Runs one command and returns its output; a non-zero exit status is a result, not an error.
     *
     * @param callDeadline the caller's deadline; the command gets the earlier of it and the command timeout
     * @throws ToolException UNAVAILABLE when the host cannot be reached or authenticated, FORBIDDEN when its host
     *                       key is unknown or changed, TIMEOUT when the command did not finish in time
     */
    public CommandResult run(HostEntry host, RemoteCommand command, Instant callDeadline) {
        Instant now = clock.instant();
        Instant deadline = now.plus(settings.commandTimeout());
        if (callDeadline != null && callDeadline.isBefore(deadline)) {
            deadline = callDeadline;
        }
        if (!deadline.isAfter(now)) {
            throw new ToolException(Kind.TIMEOUT, "no time left to run `" + command.display() + "` on " + host.name());
        }
        Duration allowed = Duration.between(now, deadline);
        Lease lease = acquire(host, deadline);
        try {
            try {
                return exec(lease.pooled().client, host, command, deadline, allowed);
            } catch (StaleConnection stale) {
                if (lease.fresh()) {
                    throw unavailable(host, "the connection failed while opening a channel", stale.getCause());
                }
                // a pooled connection the server or network dropped: reconnect once
                discard(host, lease.pooled());
                release(lease);
                lease = acquire(host, deadline);
                try {
                    return exec(lease.pooled().client, host, command, deadline, allowed);
                } catch (StaleConnection again) {
                    throw unavailable(host, "the connection failed while opening a channel", again.getCause());
                }
            }
        } finally {
            release(lease);
        }
    }

    private CommandResult exec(SSHClient client, HostEntry host, RemoteCommand command, Instant deadline,
                               Duration allowed) {
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            throw new StaleConnection(e);
        }
        Session.Command cmd = null;
        try {
            try {
                long seconds = (allowed.toMillis() + 999) / 1000;
                cmd = session.exec(command.withRemoteTimeout(seconds).toShellString());
            } catch (IOException e) {
                throw new StaleConnection(e);
            }
            Session.Command running = cmd;
            Future<Captured> out = readers.submit(() -> capture(running.getInputStream(), settings.maxOutputBytes()));
            Future<Captured> err = readers.submit(() -> capture(running.getErrorStream(), SshSettings.MAX_STDERR_BYTES));
            Captured stdout = await(out, deadline);
            Captured stderr = await(err, deadline);
            cmd.join(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
            return new CommandResult(cmd.getExitStatus(), stdout.bytes, stdout.omitted,
                    new String(stderr.bytes, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            // signal before closing: OpenSSH keeps a channel whose command still runs open until it exits
            kill(cmd);
            throw new ToolException(Kind.TIMEOUT, "`" + command.display() + "` on " + host.name()
                    + " did not finish within " + allowed.toMillis() / 1000.0
                    + " s and was ended (ssh.command_timeout_seconds is "
                    + settings.commandTimeout().toSeconds() + ")");
        } catch (IOException e) {
            throw unavailable(host, "running `" + command.display() + "` failed", e);
        } finally {
            closeQuietly(session);
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel may already be closed by the server
        }
    }

    private Captured await(Future<Captured> reading, Instant deadline) throws TimeoutException, IOException {
        try {
            return reading.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reading.cancel(true);
            throw new ToolException(Kind.TIMEOUT, "interrupted while waiting for the remote command");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw e;
        }
    }

    /** Asks the server to kill the command (RFC 4254 section 6.9), then closes the channel either way. */
    private static void kill(Session.Command cmd) {
        if (cmd == null) {
            return;
        }
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
            // the channel may already be gone; closing it below is all that is left to do
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort: the session is being abandoned
        }
    }

    private static Captured capture(InputStream in, int max) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
        long omitted = 0;
        byte[] buf = new byte[READ_CHUNK];
        int n;
        // keep draining past the cap so the remote side is never blocked on a full window
        while ((n = in.read(buf)) != -1) {
            int room = max - kept.size();
            if (room > 0) {
                kept.write(buf, 0, Math.min(room, n));
            }
            omitted += Math.max(0, n - Math.max(room, 0));
        }
        return new Captured(kept.toByteArray(), omitted);
    }

    private record Captured(byte[] bytes, long omitted) {
    }

    // ---- connections ----

    private static final class Pooled {
        final SSHClient client;
        final AtomicInteger users = new AtomicInteger();
        volatile Instant lastUsed;

        Pooled(SSHClient client, Instant now) {
            this.client = client;
            this.lastUsed = now;
        }
    }

    /** One call's use of a pooled connection; {@code fresh} when this call opened it. */
    private record Lease(Pooled pooled, boolean fresh) {
    }

    private Lease acquire(HostEntry host, Instant deadline) {
        synchronized (pool) {
            Pooled existing = pool.get(host.name());
            if (existing != null && existing.client.isConnected() && existing.client.isAuthenticated()) {
                existing.users.incrementAndGet();
                existing.lastUsed = clock.instant();
                return new Lease(existing, false);
            }
            if (existing != null && existing.users.get() == 0) {
                pool.remove(host.name());
                closeQuietly(existing.client);
            }
        }
        // connect outside the lock so one slow host does not hold up the others
        SSHClient client = connect(host, deadline);
        Pooled created = new Pooled(client, clock.instant());
        created.users.incrementAndGet();
        synchronized (pool) {
            Pooled current = pool.get(host.name());
            if (current == null || !current.client.isConnected()) {
                pool.put(host.name(), created);
            }
        }
        return new Lease(created, true);
    }

    private void release(Lease lease) {
        Pooled pooled = lease.pooled();
        pooled.lastUsed = clock.instant();
        boolean pooledNow;
        synchronized (pool) {
            pooledNow = pool.containsValue(pooled);
            pooled.users.decrementAndGet();
        }
        if (!pooledNow && pooled.users.get() <= 0) {
            closeQuietly(pooled.client);
        }
    }

    private void discard(HostEntry host, Pooled pooled) {
        synchronized (pool) {
            pool.remove(host.name(), pooled);
        }
    }

    private void closeIdle() {
        Instant cutoff = clock.instant().minus(IDLE_CLOSE);
        List<SSHClient> idle = new ArrayList<>();
        synchronized (pool) {
            pool.entrySet().removeIf(e -> {
                Pooled p = e.getValue();
                boolean unused = p.users.get() == 0 && p.lastUsed.isBefore(cutoff);
                if (unused) {
                    idle.add(p.client);
                }
                return unused;
            });
        }
        idle.forEach(SshExecutor::closeQuietly);
    }

    private SSHClient connect(HostEntry host, Instant deadline) {
        int timeoutMillis = (int) Math.max(1, Math.min(settings.connectTimeout().toMillis(), remainingMillis(deadline)));
        Path knownHosts = host.knownHosts() != null ? host.knownHosts() : settings.knownHosts();
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(knownHosts);
        } catch (IOException e) {
            throw new ToolException(Kind.UNAVAILABLE, "cannot read known_hosts " + knownHosts + ": "
                    + e.getClass().getSimpleName());
        }
        SSHClient client = new SSHClient(sshConfig);
        client.setConnectTimeout(timeoutMillis);
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.addHostKeyVerifier(verifier);
        try {
            client.connect(host.address(), host.port());
        } catch (TransportException e) {
            closeQuietly(client);
            if (verifier.refusal() != KnownHostsVerifier.Refusal.NONE) {
                throw new ToolException(Kind.FORBIDDEN, verifier.refusalMessage(host));
            }
            throw unavailable(host, "the SSH handshake failed", e);
        } catch (IOException e) {
            closeQuietly(client);
            throw unavailable(host, "cannot connect", e);
        }
        try {
            authenticate(client, host);
            return client;
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw e;
        }
    }

    private void authenticate(SSHClient client, HostEntry host) {
        try {
            if (host.auth() instanceof HostAuth.KeyFile keyFile) {
                client.authPublickey(host.user(), loadKey(client, host, keyFile.keyFile()));
            } else {
                List<AuthMethod> methods = SshAgent.authMethods(agentSocket, host);
                client.auth(host.user(), methods);
            }
        } catch (UserAuthException e) {
            throw new ToolException(Kind.UNAVAILABLE, "authentication as '" + host.user() + "' to " + host.label()
                    + " failed: the server accepted none of the offered keys ("
                    + describe(host.auth()) + "); check the host's authorized_keys for that user");
        } catch (TransportException e) {
            throw unavailable(host, "the connection failed during authentication", e);
        }
    }

    private static KeyProvider loadKey(SSHClient client, HostEntry host, Path keyFile) {
        if (!Files.isReadable(keyFile)) {
            throw new ToolException(Kind.UNAVAILABLE, "key file " + keyFile + " for host " + host.name()
                    + " does not exist or is not readable (hosts[].auth.key_file)");
        }
        try {
            KeyProvider keys = client.loadKeys(keyFile.toString());
            keys.getPublic();
            return keys;
        } catch (IOException | RuntimeException e) {
            throw new ToolException(Kind.UNAVAILABLE, "key file " + keyFile + " for host " + host.name()
                    + " cannot be used: it must be an unencrypted OpenSSH or PEM private key (use auth type agent"
                    + " for passphrase-protected keys)");
        }
    }

    private static String describe(HostAuth auth) {
        return auth instanceof HostAuth.KeyFile keyFile ? "key file " + keyFile.keyFile() : "ssh-agent keys";
    }

    private ToolException unavailable(HostEntry host, String what, Throwable cause) {
        String why;
        if (cause instanceof UnknownHostException) {
            why = "the address cannot be resolved";
        } else if (cause instanceof ConnectException) {
            why = "connection refused";
        } else if (cause instanceof SocketTimeoutException) {
            why = "timed out after " + settings.connectTimeout().toSeconds() + " s (ssh.connect_timeout_seconds)";
        } else if (cause instanceof NoRouteToHostException) {
            why = "no route to host";
        } else if (cause != null && cause.getMessage() != null) {
            why = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        } else {
            why = cause == null ? "unknown cause" : cause.getClass().getSimpleName();
        }
        return new ToolException(Kind.UNAVAILABLE, host.label() + ": " + what + ": " + why);
    }

    private long remainingMillis(Instant deadline) {
        return Duration.between(clock.instant(), deadline).toMillis();
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // disconnecting a broken connection may fail; it is closed either way
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Closes every connection and stops the background threads. */
    @Override
    public void close() {
        reaper.shutdownNow();
        List<SSHClient> all;
        synchronized (pool) {
            all = pool.values().stream().map(p -> p.client).toList();
            pool.clear();
        }
        all.forEach(SshExecutor::closeQuietly);
        readers.shutdownNow();
    }

    /** Opening a channel on a pooled connection failed: the connection is probably dead. */
    private static final class StaleConnection extends RuntimeException {
        StaleConnection(IOException cause) {
            super(cause);
        }
    }
}
