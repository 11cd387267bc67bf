package io.opsmcp.tools.system.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.SshSettings;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH plumbing against the embedded sandbox server over real loopback SSH. */
class SshExecutorSandboxTest {

    @TempDir
    static Path dir;

    static SandboxSshServer sandbox;
    static SshExecutor ssh;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxSshServer.start(dir.resolve("sandbox"));
        ssh = new SshExecutor(
                new SshSettings(dir.resolve("unused_known_hosts"), Duration.ofSeconds(5), Duration.ofSeconds(10), 4096),
                null);
    }

    @AfterAll
    static void stop() throws Exception {
        ssh.close();
        sandbox.close();
    }

    /** The sandbox as a configured host, as the toolset reads it from {@link SandboxSshServer#hostConfig()}. */
    private static HostEntry sandboxHost() {
        return new HostEntry(
                SandboxSshServer.HOST_NAME,
                sandbox.address(),
                sandbox.port(),
                sandbox.user(),
                new HostAuth.KeyFile(sandbox.clientKey()),
                SandboxSshServer.HOST_GROUP,
                SandboxSshServer.ENVIRONMENT,
                sandbox.knownHosts());
    }

    private static Instant later() {
        return Instant.now().plusSeconds(30);
    }

    @Test
    void runsArgvWithoutShellInterpretation() {
        CommandResult r = ssh.run(
                sandboxHost(), RemoteCommand.of("printf", "%s|", "a b", "$(id)", "`id`", "x;y", "it's"), later());
        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdoutText()).isEqualTo("a b|$(id)|`id`|x;y|it's|");
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void reportsExitStatusAndStderr() {
        CommandResult r = ssh.run(sandboxHost(), RemoteCommand.of("ls", "/does-not-exist-ops-mcp"), later());
        assertThat(r.exitStatus()).isEqualTo(2);
        assertThat(r.stderrSummary()).contains("does-not-exist-ops-mcp");
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    void capsOutputAndCountsTheRest() {
        CommandResult r = ssh.run(sandboxHost(), RemoteCommand.of("head", "-c", "10000", "/dev/zero"), later());
        assertThat(r.stdout()).hasSize(4096);
        assertThat(r.omittedBytes()).isEqualTo(10000 - 4096);
        assertThat(r.exitStatus()).isZero();
    }

    @Test
    void endsTheRemoteCommandAtTheDeadline() throws Exception {
        String marker = "4242" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1000);
        assertThatThrownBy(() -> ssh.run(sandboxHost(), RemoteCommand.of("sleep", marker), later()))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("did not finish")
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.TIMEOUT);
        assertThat(ProcessWatch.waitUntilGone("sleep " + marker))
                .as("remote sleep was killed")
                .isTrue();
    }

    @Test
    void reusesOneConnectionForSeveralCommands() {
        for (int i = 0; i < 3; i++) {
            assertThat(ssh.run(sandboxHost(), RemoteCommand.of("true"), later()).exitStatus())
                    .isZero();
        }
    }

    @Test
    void refusesAnUnknownHostKeyAndRunsNothing() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        Path marker = dir.resolve("must-not-exist");
        HostEntry h = sandboxHost();
        HostEntry unknown = new HostEntry("other", h.address(), h.port(), h.user(), h.auth(), null, null, empty);
        try (SshExecutor fresh = new SshExecutor(ssh.settings(), null)) {
            assertThatThrownBy(() -> fresh.run(unknown, RemoteCommand.of("touch", marker.toString()), later()))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining(
                            "host key for other (127.0.0.1:" + h.port() + ") is not in known_hosts " + empty)
                    .hasMessageContaining("ssh-keyscan -p " + h.port() + " 127.0.0.1")
                    .hasMessageContaining("SHA256:");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesAChangedHostKeyLoudly() throws Exception {
        Path other = dir.resolve("other");
        Path changed;
        try (SandboxSshServer second = SandboxSshServer.start(other)) {
            // the second server's key, recorded for the first server's address and port
            String line = Files.readString(second.knownHosts())
                    .replace(":" + second.port() + " ", ":" + sandbox.port() + " ");
            changed = Files.writeString(dir.resolve("changed_known_hosts"), line);
        }
        Path marker = dir.resolve("must-not-exist-either");
        HostEntry h = sandboxHost();
        HostEntry spoofed = new HostEntry("web-1", h.address(), h.port(), h.user(), h.auth(), null, null, changed);
        try (SshExecutor fresh = new SshExecutor(ssh.settings(), null)) {
            assertThatThrownBy(() -> fresh.run(spoofed, RemoteCommand.of("touch", marker.toString()), later()))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("host key for web-1 (127.0.0.1:" + h.port() + ") has CHANGED")
                    .extracting(e -> ((ToolException) e).kind())
                    .isEqualTo(ToolException.Kind.FORBIDDEN);
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void refusesAKeyTheServerDoesNotAccept() throws Exception {
        Path other = dir.resolve("other2");
        Path wrongKey;
        try (SandboxSshServer second = SandboxSshServer.start(other)) {
            wrongKey = second.clientKey();
        }
        HostEntry h = sandboxHost();
        HostEntry wrong = new HostEntry(
                "sandbox", h.address(), h.port(), h.user(), new HostAuth.KeyFile(wrongKey), null, null, h.knownHosts());
        try (SshExecutor fresh = new SshExecutor(ssh.settings(), null)) {
            assertThatThrownBy(() -> fresh.run(wrong, RemoteCommand.of("true"), later()))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("authentication as '" + h.user() + "' to sandbox")
                    .hasMessageNotContaining("PRIVATE KEY");
        }
    }

    @Test
    void agentAuthWithoutAgentSaysWhatIsMissing() {
        HostEntry h = sandboxHost();
        HostEntry viaAgent = new HostEntry(
                "sandbox", h.address(), h.port(), h.user(), new HostAuth.Agent(), null, null, h.knownHosts());
        try (SshExecutor fresh = new SshExecutor(ssh.settings(), null)) {
            assertThatThrownBy(() -> fresh.run(viaAgent, RemoteCommand.of("true"), later()))
                    .hasMessageContaining("SSH_AUTH_SOCK is not set");
        }
    }
}
