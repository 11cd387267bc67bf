package io.opsmcp.tools.system.ssh;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.SshSettings;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RemoteCommand}s on configured hosts over SSH (sshj). One authenticated connection per host is
 * kept and shared by concurrent calls (SSH multiplexes channels); a connection unused for
 * {@link SshSettings#idleClose()} is closed. At most {@link SshSettings#maxConcurrentPerHost()} commands run on one
 * host at once (a host entry may set its own limit); further calls wait for a slot until their deadline. Hosts with
 * {@code proxy_jump} are reached through their jump host. Every connection checks the host key against the known_hosts file first.
 *
 * <p>Every command runs under {@code timeout} on the host (see {@link RemoteCommand#withRemoteTimeout}), so it
 * ends at its deadline on the host's side. In addition, a command that passes its deadline is sent the SSH
 * {@code signal KILL} request (OpenSSH signals the command's process group when privilege separation applies)
 * and its channel is closed; the call then fails with {@link Kind#TIMEOUT}.
 *
 * <p><b>Cancellation</b> ({@link ToolContext#cancellation()}, e.g. MCP {@code notifications/cancelled}) ends the
 * command on the host, not just the channel (OpenSSH keeps a command running when its channel closes). The command
 * is started as {@code sh -c 'echo MARK$$ >&2; exec "$@"' ops-mcp timeout …}: the host reports the command's PID,
 * which is also its process group ({@code timeout} makes itself a group leader; the SSH session's shell is one
 * anyway), before anything else runs. Cancelling sends {@code signal KILL} on the channel, then, on a second
 * channel of the same connection, {@code kill -9 -PID} (the whole group: the command and its children; {@code -9}, not {@code -KILL --}, which
 * dash's built-in kill refuses), and
 * closes the channel. The second channel is used only while the command's channel has no exit status, i.e. while
 * that PID is still the command's, so no reused PID is ever signalled.
 *
 * <p>Thread-safe. Failures surface as {@link ToolException} with messages that name the host and the cause
 * and carry no key material.
 */
public final class SshExecutor implements AutoCloseable {

    private static final int READ_CHUNK = 8192;
    /** Bytes of stderr searched for the PID line (a login script may print before it). */
    private static final int MAX_PID_SEARCH = 16 * 1024;

    private static final Logger log = LoggerFactory.getLogger(SshExecutor.class);

    /**
     * Per-command limits.
     *
     * @param timeout        how long the command may run
     * @param maxOutputBytes standard output kept; the rest is counted and dropped
     */
    public record Limits(Duration timeout, int maxOutputBytes) {
        public Limits {
            if (timeout.isNegative() || timeout.isZero() || maxOutputBytes < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final SshSettings settings;
    private final Path agentSocket;
    private final Clock clock;
    // Made on the first connection, not with the toolset: DefaultConfig's cipher and key-exchange factories
    // register BouncyCastle (~450 classes), which a server that never connects (or not yet) does not need.
    private volatile Config sshConfig;
    private final Map<String, Pooled> pool = new HashMap<>();
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Object tofuLock = new Object();
    private final ExecutorService readers = Executors.newCachedThreadPool(daemon("ssh-output"));
    private final ScheduledExecutorService reaper =
            Executors.newSingleThreadScheduledExecutor(daemon("ssh-idle-close"));

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
        long period = Math.max(1, settings.idleClose().toSeconds() / 2);
        reaper.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.SECONDS);
    }

    public SshSettings settings() {
        return settings;
    }

    /**
     * Runs one command with the shared limits and returns its output; a non-zero exit status is a result, not an
     * error.
     *
     * @param callDeadline the caller's deadline; the command gets the earlier of it and the command timeout
     * @throws ToolException UNAVAILABLE when the host cannot be reached or authenticated or is busy, FORBIDDEN
     *                       when its host key is unknown or changed, TIMEOUT when the command did not finish in time
     */
    public CommandResult run(HostEntry host, RemoteCommand command, Instant callDeadline) {
        return run(host, command, callDeadline, ToolContext.Cancellation.NONE);
    }

    /**
     * As {@link #run(HostEntry, RemoteCommand, Instant)} with the call's deadline and cancellation: a cancelled
     * command is killed on the host and the call fails with {@link Kind#TIMEOUT} ("cancelled").
     */
    public CommandResult run(HostEntry host, RemoteCommand command, ToolContext ctx) {
        return run(host, command, ctx.deadline(), ctx.cancellation());
    }

    /**
     * As {@link #run(HostEntry, RemoteCommand, Limits, Instant)} with the call's deadline and cancellation: a
     * cancelled command is killed on the host and the call fails with {@link Kind#TIMEOUT} ("cancelled").
     */
    public CommandResult run(HostEntry host, RemoteCommand command, Limits limits, ToolContext ctx) {
        return run(host, command, limits, ctx.deadline(), ctx.cancellation());
    }

    private CommandResult run(
            HostEntry host, RemoteCommand command, Instant callDeadline, ToolContext.Cancellation cancellation) {
        CommandResult result = run(
                host,
                command,
                new Limits(settings.commandTimeout(), settings.maxOutputBytes()),
                callDeadline,
                cancellation);
        if (result.timedOut()) {
            throw new ToolException(
                    Kind.TIMEOUT,
                    "`" + command.display() + "` on " + host.name()
                            + " did not finish within " + result.elapsed().toMillis() / 1000.0
                            + " s and was ended (ssh.command_timeout_seconds is "
                            + settings.commandTimeout().toSeconds() + ")");
        }
        return result;
    }

    /**
     * Runs one command with its own limits. A command still running at its deadline is ended on the host and
     * returned with {@link CommandResult#timedOut()} set and the output read until then.
     *
     * @param callDeadline the caller's deadline; the command gets the earlier of it and {@code limits.timeout}
     * @throws ToolException UNAVAILABLE when the host cannot be reached or authenticated or is busy, FORBIDDEN
     *                       when its host key is unknown or changed, TIMEOUT when no time is left to start
     */
    public CommandResult run(HostEntry host, RemoteCommand command, Limits limits, Instant callDeadline) {
        return run(host, command, limits, callDeadline, ToolContext.Cancellation.NONE);
    }

    private CommandResult run(
            HostEntry host,
            RemoteCommand command,
            Limits limits,
            Instant callDeadline,
            ToolContext.Cancellation cancellation) {
        if (cancellation.cancelled()) {
            throw cancelled(host, command);
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(limits.timeout());
        if (callDeadline != null && callDeadline.isBefore(deadline)) {
            deadline = callDeadline;
        }
        if (!deadline.isAfter(now)) {
            throw new ToolException(Kind.TIMEOUT, "no time left to run `" + command.display() + "` on " + host.name());
        }
        Semaphore slots = permits.computeIfAbsent(host.name(), n -> new Semaphore(maxConcurrent(host), true));
        acquireSlot(host, slots, deadline);
        try {
            return runLeased(host, command, limits, deadline, cancellation);
        } finally {
            slots.release();
        }
    }

    private static ToolException cancelled(HostEntry host, RemoteCommand command) {
        return new ToolException(
                Kind.TIMEOUT, "`" + command.display() + "` on " + host.name() + " was cancelled and ended on the host");
    }

    private int maxConcurrent(HostEntry host) {
        return host.maxConcurrent() > 0 ? host.maxConcurrent() : settings.maxConcurrentPerHost();
    }

    private void acquireSlot(HostEntry host, Semaphore slots, Instant deadline) {
        try {
            if (!slots.tryAcquire(Math.max(0, remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
                throw new ToolException(
                        Kind.UNAVAILABLE,
                        host.name() + " is busy: " + maxConcurrent(host)
                                + " commands are already running there (hosts[].max_concurrent / ssh.max_concurrent_per_host)"
                                + " and none finished before the deadline; try again later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Kind.TIMEOUT, "interrupted while waiting for a free slot on " + host.name());
        }
    }

    private CommandResult runLeased(
            HostEntry host,
            RemoteCommand command,
            Limits limits,
            Instant deadline,
            ToolContext.Cancellation cancellation) {
        Lease lease = acquire(host, deadline);
        try {
            try {
                return exec(lease.pooled().client, host, command, limits, deadline, cancellation);
            } catch (StaleConnection stale) {
                if (lease.fresh()) {
                    throw unavailable(host, "the connection failed while opening a channel", stale.getCause());
                }
                // a pooled connection the server or network dropped: reconnect once
                discard(host, lease.pooled());
                release(lease);
                lease = acquire(host, deadline);
                try {
                    return exec(lease.pooled().client, host, command, limits, deadline, cancellation);
                } catch (StaleConnection again) {
                    throw unavailable(host, "the connection failed while opening a channel", again.getCause());
                }
            }
        } finally {
            release(lease);
        }
    }

    private CommandResult exec(
            SSHClient client,
            HostEntry host,
            RemoteCommand command,
            Limits limits,
            Instant deadline,
            ToolContext.Cancellation cancellation) {
        Instant started = clock.instant();
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            throw new StaleConnection(e);
        }
        Session.Command cmd = null;
        Capture stdout = new Capture(limits.maxOutputBytes());
        Capture stderr = new Capture(SshSettings.MAX_STDERR_BYTES);
        CompletableFuture<Long> pid = new CompletableFuture<>();
        AutoCloseable onCancel = () -> {};
        AtomicReference<Future<?>> killing = new AtomicReference<>();
        try {
            try {
                long seconds = (remainingMillis(deadline) + 999) / 1000;
                cmd = session.exec(
                        reportingPid(command.withRemoteTimeout(seconds)).toShellString());
            } catch (IOException e) {
                throw new StaleConnection(e);
            }
            Session.Command running = cmd;
            Future<?> out = readers.submit(() -> stdout.drain(running.getInputStream()));
            Future<?> err = readers.submit(() -> stderr.drainAfterPid(running.getErrorStream(), pid));
            onCancel = cancellation.onCancel(() -> killing.set(readers.submit(() -> killOnHost(client, running, pid))));
            await(out, deadline);
            await(err, deadline);
            cmd.join(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
            if (cancellation.cancelled()) {
                throw cancelled(host, command);
            }
            return new CommandResult(
                    cmd.getExitStatus(),
                    stdout.bytes(),
                    stdout.omitted(),
                    new String(stderr.bytes(), StandardCharsets.UTF_8),
                    false,
                    Duration.between(started, clock.instant()));
        } catch (TimeoutException e) {
            if (cancellation.cancelled()) {
                throw cancelled(host, command);
            }
            // signal before closing: OpenSSH keeps a channel whose command still runs open until it exits
            kill(cmd);
            return new CommandResult(
                    null,
                    stdout.bytes(),
                    stdout.omitted(),
                    new String(stderr.bytes(), StandardCharsets.UTF_8),
                    true,
                    Duration.between(started, clock.instant()));
        } catch (ToolException e) {
            // interrupted while waiting: by the cancellation (the gateway interrupts the tool's thread) or otherwise
            throw cancellation.cancelled() ? cancelled(host, command) : e;
        } catch (IOException e) {
            if (cancellation.cancelled()) {
                throw cancelled(host, command);
            }
            throw unavailable(host, "running `" + command.display() + "` failed", e);
        } finally {
            closeQuietly(onCancel);
            // the kill needs the channel open (its exit status tells whether the PID is still the command's)
            awaitKill(killing.get());
            closeQuietly(session);
        }
    }

    /** Prefix of the line on which the host reports the command's PID (first line of stderr, then removed). */
    static final String PID_MARK = "ops-mcp-pid:";

    /**
     * {@code command} run by {@code sh -c 'echo MARK$$ >&2; exec "$@"' ops-mcp ARGV…}: the shell reports its PID,
     * then becomes the command (same PID). Every word stays single-quoted, so any login shell passes it on as is.
     */
    static RemoteCommand reportingPid(RemoteCommand command) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "echo " + PID_MARK + "$$ >&2; exec \"$@\"", "ops-mcp"));
        argv.addAll(command.argv());
        return new RemoteCommand(argv);
    }

    /**
     * Ends a cancelled command on the host: {@code signal KILL} on its channel, then {@code kill -KILL} of its
     * process group over a second channel while its channel has no exit status, then closes the channel.
     */
    private void killOnHost(SSHClient client, Session.Command cmd, CompletableFuture<Long> pid) {
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
            // refused or already gone; the second channel below does not depend on it
        }
        Long known = pid.getNow(null);
        if (known == null) {
            try {
                // the PID line is the first thing the host writes; it is on its way unless the command is gone
                known = pid.get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // no PID: the signal and closing the channel are all that is left
            }
        }
        if (known != null && cmd.getExitStatus() == null && cmd.getExitSignal() == null) {
            try (Session killer = client.startSession()) {
                Session.Command kill = killer.exec(RemoteCommand.of(
                                "sh",
                                "-c",
                                "kill -9 -\"$1\" 2>/dev/null || kill -9 \"$1\" 2>/dev/null; true",
                                "ops-mcp-kill",
                                Long.toString(known))
                        .toShellString());
                kill.join(5, TimeUnit.SECONDS);
            } catch (IOException | RuntimeException e) {
                log.debug(
                        "killing the cancelled command (pid {}) over a second channel failed: {}", known, e.toString());
            }
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort: the session is being abandoned
        }
    }

    /**
     * Waits (at most 10 s) for a cancelled command's kill to finish; the calling thread may have been interrupted
     * by the cancellation itself, so the interrupt is set aside meanwhile and restored.
     */
    private static void awaitKill(Future<?> kill) {
        if (kill == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            kill.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (ExecutionException | TimeoutException e) {
            log.debug("killing a cancelled command did not finish: {}", e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(AutoCloseable registration) {
        try {
            registration.close();
        } catch (Exception ignored) {
            // unregistering a cancellation action cannot fail in a way that matters
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel may already be closed by the server
        }
    }

    private void await(Future<?> reading, Instant deadline) throws TimeoutException, IOException {
        try {
            reading.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
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

    /**
     * One output stream read to its end: the first {@code max} bytes are kept, the rest counted and dropped (the
     * remote side is never blocked on a full window). What was read so far stays available after a timeout.
     */
    private Config sshConfig() {
        Config config = sshConfig;
        if (config == null) {
            synchronized (this) {
                config = sshConfig;
                if (config == null) {
                    config = new DefaultConfig();
                    sshConfig = config;
                }
            }
        }
        return config;
    }

    private static final class Capture {
        private final int max;
        private final ByteArrayOutputStream kept;
        private long omitted;

        Capture(int max) {
            this.max = max;
            this.kept = new ByteArrayOutputStream(Math.min(max, 64 * 1024));
        }

        /**
         * Drains stderr, where the host first reports the command's PID ({@link #PID_MARK}): lines before the mark
         * (a login script's chatter) are kept, the mark line is not; {@code pid} completes with the PID, or
         * exceptionally when the stream ends without one.
         */
        Void drainAfterPid(InputStream in, CompletableFuture<Long> pid) throws IOException {
            try {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                int seen = 0;
                while (!pid.isDone() && seen < MAX_PID_SEARCH && (b = in.read()) != -1) {
                    seen++;
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String text = line.toString(StandardCharsets.UTF_8);
                    if (text.startsWith(PID_MARK)
                            && text.substring(PID_MARK.length()).matches("^[0-9]{1,10}$")) {
                        pid.complete(Long.parseLong(text.substring(PID_MARK.length())));
                    } else {
                        keep(line.toByteArray());
                        keep(new byte[] {'\n'});
                    }
                    line.reset();
                }
                keep(line.toByteArray());
                return drain(in);
            } finally {
                pid.completeExceptionally(new IOException("no PID reported"));
            }
        }

        private synchronized void keep(byte[] bytes) {
            int room = max - kept.size();
            if (room > 0) {
                kept.write(bytes, 0, Math.min(room, bytes.length));
            }
            omitted += Math.max(0, bytes.length - Math.max(room, 0));
        }

        Void drain(InputStream in) throws IOException {
            byte[] buf = new byte[READ_CHUNK];
            int n;
            while ((n = in.read(buf)) != -1) {
                synchronized (this) {
                    int room = max - kept.size();
                    if (room > 0) {
                        kept.write(buf, 0, Math.min(room, n));
                    }
                    omitted += Math.max(0, n - Math.max(room, 0));
                }
            }
            return null;
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }

        synchronized long omitted() {
            return omitted;
        }
    }

    // ---- connections ----

    /**
     * An authenticated connection and the jump-host connections it is tunnelled through (nearest first), which
     * belong to it alone and close with it.
     */
    private record Connected(SSHClient client, List<SSHClient> jumps) {
        void close() {
            closeQuietly(client);
            jumps.forEach(SshExecutor::closeQuietly);
        }
    }

    private static final class Pooled {
        final Connected connection;
        final SSHClient client;
        final AtomicInteger users = new AtomicInteger();
        volatile Instant lastUsed;

        Pooled(Connected connection, Instant now) {
            this.connection = connection;
            this.client = connection.client();
            this.lastUsed = now;
        }
    }

    /** One call's use of a pooled connection; {@code fresh} when this call opened it. */
    private record Lease(Pooled pooled, boolean fresh) {}

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
                existing.connection.close();
            }
        }
        // connect outside the lock so one slow host does not hold up the others
        Pooled created = new Pooled(connect(host, deadline), clock.instant());
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
            pooled.connection.close();
        }
    }

    private void discard(HostEntry host, Pooled pooled) {
        synchronized (pool) {
            pool.remove(host.name(), pooled);
        }
    }

    private void closeIdle() {
        Instant cutoff = clock.instant().minus(settings.idleClose());
        List<Connected> idle = new ArrayList<>();
        synchronized (pool) {
            pool.entrySet().removeIf(e -> {
                Pooled p = e.getValue();
                boolean unused = p.users.get() == 0 && p.lastUsed.isBefore(cutoff);
                if (unused) {
                    idle.add(p.connection);
                }
                return unused;
            });
        }
        idle.forEach(Connected::close);
    }

    /** Number of pooled connections (open or not yet reaped); for tests of idle close. */
    int pooledConnections() {
        synchronized (pool) {
            return pool.size();
        }
    }

    /**
     * Opens an authenticated connection to the host, through its {@code proxy_jump} chain when it has one (each
     * jump host is connected, its key checked and authenticated like any host; the target is then reached over
     * a {@code direct-tcpip} channel, RFC 4254 section 7.2, as OpenSSH's ProxyJump does).
     */
    private Connected connect(HostEntry host, Instant deadline) {
        if (host.proxyJump() == null) {
            return new Connected(open(host, deadline, null), List.of());
        }
        Connected jump = connect(host.proxyJump(), deadline);
        try {
            DirectConnection tunnel;
            try {
                tunnel = jump.client().newDirectConnection(host.address(), host.port());
            } catch (IOException e) {
                throw unavailable(
                        host,
                        "jump host " + host.proxyJump().name()
                                + " could not open a tunnel (is AllowTcpForwarding enabled there?)",
                        e);
            }
            SSHClient client = open(host, deadline, tunnel);
            List<SSHClient> hops = new ArrayList<>();
            hops.add(jump.client());
            hops.addAll(jump.jumps());
            return new Connected(client, List.copyOf(hops));
        } catch (RuntimeException e) {
            jump.close();
            throw e;
        }
    }

    private SSHClient open(HostEntry host, Instant deadline, DirectConnection tunnel) {
        int timeoutMillis =
                (int) Math.max(1, Math.min(settings.connectTimeout().toMillis(), remainingMillis(deadline)));
        Path knownHosts = host.knownHosts() != null ? host.knownHosts() : settings.knownHosts();
        HostKeyCheck verifier;
        try {
            verifier = new HostKeyCheck(host, knownHosts, settings.tofuKnownHosts(), tofuLock);
        } catch (IOException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "cannot read known_hosts " + knownHosts + ": "
                            + e.getClass().getSimpleName());
        }
        SSHClient client = new SSHClient(sshConfig());
        client.setConnectTimeout(timeoutMillis);
        client.getTransport().setTimeoutMs(timeoutMillis);
        client.addHostKeyVerifier(verifier);
        try {
            if (tunnel == null) {
                client.connect(host.address(), host.port());
            } else {
                client.connectVia(tunnel);
            }
        } catch (TransportException e) {
            closeQuietly(client);
            if (verifier.refused()) {
                throw new ToolException(Kind.FORBIDDEN, verifier.refusalMessage());
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
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "authentication as '" + host.user() + "' to " + host.label()
                            + " failed: the server accepted none of the offered keys ("
                            + describe(host.auth()) + "); check the host's authorized_keys for that user");
        } catch (TransportException e) {
            throw unavailable(host, "the connection failed during authentication", e);
        }
    }

    private static KeyProvider loadKey(SSHClient client, HostEntry host, Path keyFile) {
        if (!Files.isReadable(keyFile)) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "key file " + keyFile + " for host " + host.name()
                            + " does not exist or is not readable (hosts[].auth.key_file)");
        }
        try {
            KeyProvider keys = client.loadKeys(keyFile.toString());
            keys.getPublic();
            return keys;
        } catch (IOException | RuntimeException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "key file " + keyFile + " for host " + host.name()
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
        List<Connected> all;
        synchronized (pool) {
            all = pool.values().stream().map(p -> p.connection).toList();
            pool.clear();
        }
        all.forEach(Connected::close);
        readers.shutdownNow();
    }

    /** Opening a channel on a pooled connection failed: the connection is probably dead. */
    private static final class StaleConnection extends RuntimeException {
        StaleConnection(IOException cause) {
            super(cause);
        }
    }
}
