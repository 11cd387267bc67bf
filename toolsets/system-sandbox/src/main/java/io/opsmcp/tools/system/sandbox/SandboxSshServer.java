package io.opsmcp.tools.system.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
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

    private final SshServer server;
    private final ExecutorService threads;
    private final String user;
    private final Path clientKey;
    private final Path knownHosts;

    private SandboxSshServer(SshServer server, ExecutorService threads, String user, Path clientKey, Path knownHosts) {
        this.server = server;
        this.threads = threads;
        this.user = user;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    /**
     * Generates keys into {@code dir} (created if missing; existing key files are replaced) and starts the server.
     *
     * @throws IOException when the directory cannot be written or the server cannot bind
     */
    public static SandboxSshServer start(Path dir) throws IOException {
        Files.createDirectories(dir);
        KeyPair hostKey = generate();
        KeyPair clientKeys = generate();
        String user = System.getProperty("user.name");

        Path clientKey = dir.resolve("client_key");
        Files.deleteIfExists(clientKey);
        Files.createFile(clientKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(clientKey)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKeys, "ops-mcp-sandbox-client", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the sandbox client key", e);
        }
        Files.writeString(
                dir.resolve("client_key.pub"),
                PublicKeyEntry.toString(clientKeys.getPublic()) + " ops-mcp-sandbox-client\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("host_key.pub"),
                PublicKeyEntry.toString(hostKey.getPublic()) + " ops-mcp-sandbox-host\n",
                StandardCharsets.UTF_8);

        ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(BIND);
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        KeySetPublickeyAuthenticator onlyClientKey =
                new KeySetPublickeyAuthenticator("ops-mcp-sandbox", List.of(clientKeys.getPublic()));
        server.setPublickeyAuthenticator((username, key, session) ->
                user.equals(username) && onlyClientKey.authenticate(username, key, session));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        Map<String, String> environment = SandboxAccounts.install(dir).environment();
        server.setCommandFactory((channel, command) -> new LocalProcessCommand(command, threads, environment));
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            threads.shutdownNow();
            throw e;
        }

        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(
                knownHosts,
                "[" + BIND + "]:" + server.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n",
                StandardCharsets.UTF_8);
        return new SandboxSshServer(server, threads, user, clientKey, knownHosts);
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

    public int port() {
        return server.getPort();
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
            server.stop(true);
        } finally {
            threads.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sandbox-ssh-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
