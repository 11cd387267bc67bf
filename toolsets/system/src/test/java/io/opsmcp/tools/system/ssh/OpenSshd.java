package io.opsmcp.tools.system.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test fixture: a private OpenSSH {@code /usr/sbin/sshd} on 127.0.0.1 and a free high port, with host and client
 * keys made by ssh-keygen, accepting the current user. {@link #startOrSkip} skips the test when sshd is not
 * installed, unless {@code OPS_MCP_REQUIRE_SSHD=1} (CI), which turns a missing sshd into a failure.
 */
public final class OpenSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final Process process;
    private final int port;

    private OpenSshd(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts sshd in {@code dir} with extra sshd_config lines.
     */
    public static OpenSshd startOrSkip(Path dir, String... extraConfig) throws Exception {
        if (!Files.isExecutable(SSHD)) {
            if ("1".equals(System.getenv("OPS_MCP_REQUIRE_SSHD"))) {
                throw new AssertionError("OPS_MCP_REQUIRE_SSHD=1 but " + SSHD + " is missing; run ci/sshd/install.sh");
            }
            Assumptions.abort(SSHD + " is not installed (ci/sshd/install.sh installs it)");
        }
        exec(
                Map.of(),
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("host_key").toString());
        exec(
                Map.of(),
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> config = new ArrayList<>(List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "MaxSessions 20",
                "LogLevel DEBUG1"));
        config.addAll(List.of(extraConfig));
        Path sshdConfig = Files.writeString(dir.resolve("sshd_config"), String.join("\n", config) + "\n");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", sshdConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        OpenSshd sshd = new OpenSshd(dir, process, port);
        sshd.awaitListening();
        Files.writeString(
                sshd.knownHosts(), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        return sshd;
    }

    private void awaitListening() throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("sshd exited: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("sshd did not listen on port " + port);
    }

    /** Runs a local program and requires exit status 0. */
    public static void exec(Map<String, String> env, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    public int port() {
        return port;
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    /** How many TCP connections sshd has accepted so far (its "Connection from" log lines). */
    public long connectionsAccepted() throws IOException {
        return log().lines().filter(l -> l.contains("Connection from ")).count();
    }

    /**
     * {@link #connectionsAccepted()} once the count has not changed for 300 ms (at most 10 s): an earlier test's
     * connection (a cancelled command's clean-up, a pool closing) can still be logged after that test returned, and
     * a "no new connection" check must not count it.
     */
    public long connectionsAcceptedWhenQuiet() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long count = connectionsAccepted();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = connectionsAccepted();
            if (now != count) {
                count = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300)) {
                return count;
            }
        }
        return count;
    }

    /** A {@code hosts:} entry for this server, logging in as the current user with the client key. */
    public ObjectNode hostConfig(String name) {
        ObjectNode host = JsonNodeFactory.instance.objectNode();
        host.put("name", name);
        host.put("address", "127.0.0.1");
        host.put("port", port);
        host.put("user", System.getProperty("user.name"));
        host.putObject("auth")
                .put("type", "key_file")
                .put("key_file", clientKey().toString());
        host.put("host_group", "ci");
        host.put("environment", "dev");
        return host;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
