package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.HostsConfig;
import io.opsmcp.tools.system.ssh.CommandResult;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every host tool against a real OpenSSH server: a private {@code /usr/sbin/sshd} on 127.0.0.1 and a free high
 * port with keys made by ssh-keygen, logging in as the current user. Skipped when sshd is not installed, unless
 * {@code OPS_MCP_REQUIRE_SSHD=1} (CI), which turns a missing sshd into a failure.
 */
class HostToolsOpenSshTest extends HostToolsContract {

    static final Path SSHD = Path.of("/usr/sbin/sshd");

    @TempDir
    static Path dir;

    static Process sshd;
    static int port;
    static HostToolset toolset;
    static HostsConfig config;

    @BeforeAll
    static void startSshd() throws Exception {
        if (!Files.isExecutable(SSHD)) {
            if ("1".equals(System.getenv("OPS_MCP_REQUIRE_SSHD"))) {
                throw new AssertionError("OPS_MCP_REQUIRE_SSHD=1 but " + SSHD + " is missing; run ci/sshd/install.sh");
            }
            Assumptions.abort(SSHD + " is not installed (ci/sshd/install.sh installs it)");
        }
        exec(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("host_key").toString());
        exec(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path sshdConfig = Files.writeString(
                dir.resolve("sshd_config"),
                String.join(
                                "\n",
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
                                "LogLevel DEBUG1",
                                "")
                        + "\n");
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", sshdConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        awaitListening();
        Files.writeString(
                dir.resolve("known_hosts"),
                "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));

        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", dir.resolve("known_hosts").toString())
                .put("command_timeout_seconds", 10);
        ObjectNode host = settings.putArray("hosts").addObject();
        host.put("name", "local-openssh");
        host.put("address", "127.0.0.1");
        host.put("port", port);
        host.put("user", System.getProperty("user.name"));
        host.putObject("auth")
                .put("type", "key_file")
                .put("key_file", dir.resolve("client_key").toString());
        host.put("host_group", "ci");
        host.put("environment", "dev");
        config = HostsConfig.parse(settings, dir);
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    private static void awaitListening() throws Exception {
        for (int i = 0; i < 100; i++) {
            if (!sshd.isAlive()) {
                throw new AssertionError("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("sshd did not listen on port " + port);
    }

    private static void exec(String... argv) throws Exception {
        exec(Map.of(), argv);
    }

    private static void exec(Map<String, String> env, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + out).isZero();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (toolset != null) {
            toolset.close();
        }
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
    }

    @Override
    HostToolset toolset() {
        return toolset;
    }

    @Override
    String hostName() {
        return "local-openssh";
    }

    private HostEntry host() {
        return config.hosts().get(0);
    }

    @Test
    void timeoutEndsTheRemoteCommandOnOpenSsh() throws Exception {
        String seconds = Long.toString(3000 + ProcessHandle.current().pid() % 1000);
        try (SshExecutor ssh = new SshExecutor(config.ssh(), null)) {
            assertThatThrownBy(() -> ssh.run(
                            host(),
                            RemoteCommand.of("sleep", seconds),
                            Instant.now().plusSeconds(2)))
                    .isInstanceOf(ToolException.class)
                    .extracting(e -> ((ToolException) e).kind())
                    .isEqualTo(ToolException.Kind.TIMEOUT);
        }
        assertThat(io.opsmcp.tools.system.ssh.ProcessWatch.waitUntilGone("sleep " + seconds))
                .as("OpenSSH ended the remote sleep; sshd log:%n%s", Files.readString(dir.resolve("sshd.log")))
                .isTrue();
    }

    @Test
    void wrongHostKeyIsRefusedAndNothingRuns() throws Exception {
        exec(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("other_host_key").toString());
        Path wrong = Files.writeString(
                dir.resolve("wrong_known_hosts"),
                "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("other_host_key.pub")));
        Path marker = dir.resolve("ran");
        HostEntry h = host();
        HostEntry spoofed = new HostEntry(h.name(), h.address(), h.port(), h.user(), h.auth(), null, null, wrong);
        try (SshExecutor ssh = new SshExecutor(config.ssh(), null)) {
            assertThatThrownBy(() -> ssh.run(
                            spoofed,
                            RemoteCommand.of("touch", marker.toString()),
                            Instant.now().plusSeconds(10)))
                    .hasMessageContaining("has CHANGED")
                    .hasMessageContaining(wrong.toString());
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void agentAuthenticationWorksWithOpenSshAgent() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "ssh-agent is not installed");
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        try {
            for (int i = 0; i < 50 && !Files.exists(socket); i++) {
                Thread.sleep(100);
            }
            exec(
                    Map.of("SSH_AUTH_SOCK", socket.toString()),
                    "ssh-add",
                    "-q",
                    dir.resolve("client_key").toString());
            HostEntry h = host();
            HostEntry viaAgent =
                    new HostEntry(h.name(), h.address(), h.port(), h.user(), new HostAuth.Agent(), null, null, null);
            try (SshExecutor ssh = new SshExecutor(config.ssh(), socket)) {
                CommandResult r = ssh.run(
                        viaAgent,
                        RemoteCommand.of("echo", "via agent"),
                        Instant.now().plusSeconds(10));
                assertThat(r.stdoutText()).isEqualTo("via agent\n");
            }
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void outputIsCappedOnOpenSsh() {
        HostsConfig small = new HostsConfig(
                new io.opsmcp.tools.system.config.SshSettings(
                        config.ssh().knownHosts(), Duration.ofSeconds(5), Duration.ofSeconds(10), 1024),
                List.of(host()));
        try (SshExecutor ssh = new SshExecutor(small.ssh(), null)) {
            CommandResult r = ssh.run(
                    host(),
                    RemoteCommand.of("head", "-c", "5000", "/dev/zero"),
                    Instant.now().plusSeconds(10));
            assertThat(r.stdout()).hasSize(1024);
            assertThat(r.omittedBytes()).isEqualTo(5000 - 1024);
        }
    }
}
