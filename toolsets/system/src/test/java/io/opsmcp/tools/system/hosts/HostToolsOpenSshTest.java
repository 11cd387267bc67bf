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
import io.opsmcp.tools.system.ssh.OpenSshd;
import io.opsmcp.tools.system.ssh.RemoteCommand;
import io.opsmcp.tools.system.ssh.SshExecutor;
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

    @TempDir
    static Path dir;

    static OpenSshd sshd;
    static int port;
    static HostToolset toolset;
    static HostsConfig config;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshd.startOrSkip(dir);
        port = sshd.port();
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", dir.resolve("known_hosts").toString())
                .put("command_timeout_seconds", 10);
        settings.putArray("hosts").add(sshd.hostConfig("local-openssh"));
        config = HostsConfig.parse(settings, dir);
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (toolset != null) {
            toolset.close();
        }
        if (sshd != null) {
            sshd.close();
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
        OpenSshd.exec(
                Map.of(),
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
            OpenSshd.exec(
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
