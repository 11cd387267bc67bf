package io.opsmcp.tools.system.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.HostsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cancellation of a running command against a real OpenSSH server (fixture {@link OpenSshd}; skipped without sshd
 * unless {@code OPS_MCP_REQUIRE_SSHD=1}): the command and every process of its group are gone from the host's
 * process table (OpenSSH leaves a command running when only its channel is closed), the call ends at once, and
 * the PID report that makes this possible never shows in the output.
 */
class SshCancellationOpenSshTest {

    @TempDir
    static Path dir;

    static OpenSshd sshd;
    static HostsConfig config;
    static SshExecutor ssh;

    @BeforeAll
    static void start() throws Exception {
        sshd = OpenSshd.startOrSkip(dir);
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", sshd.knownHosts().toString())
                .put("command_timeout_seconds", 120);
        settings.putArray("hosts").add(sshd.hostConfig("ci-openssh"));
        config = HostsConfig.parse(settings, dir);
        ssh = new SshExecutor(config.ssh(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private static HostEntry host() {
        return config.hosts().get(0);
    }

    /** A number no other test's process has in its command line. */
    private static String unique(int base) {
        return Long.toString(base + ProcessHandle.current().pid() % 997);
    }

    @Test
    void cancellingEndsTheCommandOnTheHost() throws Exception {
        String seconds = unique(7000);
        assertCancelledAndGone(RemoteCommand.of("sleep", seconds), List.of("sleep " + seconds));
    }

    @Test
    void cancellingEndsTheCommandsChildrenToo() throws Exception {
        // a shell that does not exec its last command: the sleeps are its children, in the command's process group
        String a = unique(8000);
        String b = unique(9000);
        assertCancelledAndGone(
                RemoteCommand.of("sh", "-c", "sleep " + a + " & sleep " + b + "; wait"),
                List.of("sleep " + a, "sleep " + b));
    }

    @Test
    void aCallCancelledBeforeItStartsRunsNothing() throws Exception {
        Path marker = dir.resolve("ran");
        CancellationSignal cancellation = new CancellationSignal();
        cancellation.cancel();
        long before = sshd.connectionsAcceptedWhenQuiet();
        assertThatThrownBy(() -> ssh.run(host(), RemoteCommand.of("touch", marker.toString()), context(cancellation)))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("cancelled");
        assertThat(marker).doesNotExist();
        assertThat(sshd.connectionsAccepted()).isEqualTo(before);
    }

    @Test
    void thePidReportIsNotPartOfTheOutput() throws Exception {
        CommandResult r = ssh.run(
                host(),
                RemoteCommand.of("sh", "-c", "echo out; echo oops >&2; exit 3"),
                context(new CancellationSignal()));
        assertThat(r.exitStatus()).isEqualTo(3);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        // (the test sshd logs at DEBUG1 into the session's stderr before the command starts; those lines stay)
        assertThat(r.stderr()).endsWith("oops\n").doesNotContain(SshExecutor.PID_MARK);
    }

    private void assertCancelledAndGone(RemoteCommand command, List<String> processes) throws Exception {
        CancellationSignal cancellation = new CancellationSignal();
        AtomicReference<Thread> caller = new AtomicReference<>();
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                ssh.run(host(), command, context(cancellation));
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (String p : processes) {
            assertThat(waitUntilRunning(p)).as("%s started on the host", p).isTrue();
        }
        long cancelledAt = System.nanoTime();
        // as the gateway does: the cancellation's actions, then the tool's thread is interrupted
        cancellation.cancel();
        caller.get().interrupt();
        Throwable outcome = call.get(20, TimeUnit.SECONDS);
        System.out.println("cancelled call ended after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt) + " ms: " + outcome);
        assertThat(outcome).isInstanceOf(ToolException.class).hasMessageContaining("on ci-openssh");
        for (String p : processes) {
            assertThat(ProcessWatch.waitUntilGone(p))
                    .as("%s is gone from the process table; sshd log:%n%s", p, sshd.log())
                    .isTrue();
        }
    }

    private static boolean waitUntilRunning(String commandLine) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info()
                            .commandLine()
                            .map(c -> c.endsWith(commandLine))
                            .orElse(false))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static ToolContext context(ToolContext.Cancellation cancellation) {
        return new ToolContext(
                new Principal("tester", Set.of(), "local"),
                "req_test",
                Instant.now().plus(Duration.ofMinutes(2)),
                null,
                null,
                false,
                cancellation);
    }
}
