package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.ssh.OpenSshd;
import io.opsmcp.tools.system.ssh.ProcessWatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Cancellation with a real client: the official MCP TypeScript SDK aborts a {@code tools/call} with an
 * {@code AbortSignal} (it sends {@code notifications/cancelled}) while the call runs {@code sleep N} on a real OpenSSH
 * server on loopback (fixture {@link OpenSshd}; skipped without sshd unless {@code OPS_MCP_REQUIRE_SSHD=1}), over
 * stdio, streamable HTTP and legacy HTTP+SSE against the fat jar. The command is gone from the host's process table, the next
 * call is answered, no late response for the cancelled id reaches the client, and the audit log records the call
 * as cancelled.
 */
class CancellationIT {

    @TempDir
    static Path tmp;

    static OpenSshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshd.startOrSkip(Files.createDirectories(tmp.resolve("sshd")));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Path config(String name) throws Exception {
        return Files.writeString(tmp.resolve(name + ".yaml"), """
                identity: {roles: [sre]}
                toolsets: [hosts]
                ssh:
                  known_hosts: %s
                  command_timeout_seconds: 120
                hosts:
                  - name: ci
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    auth: {type: key_file, key_file: %s}
                    host_group: dev-ci
                    environment: dev
                host_catalog:
                  commands:
                    - name: sleep_for
                      description: Sleeps (test command for cancellation).
                      argv: [sleep, "${seconds}"]
                      parameters:
                        seconds: {type: integer, min: 1, max: 9999, required: true, description: seconds}
                      timeout_seconds: 120
                """.formatted(
                        sshd.knownHosts(), sshd.port(), System.getProperty("user.name"), sshd.clientKey()));
    }

    /** The long call, aborted after {@code cancelAfterMs}, then a short one that must be answered. */
    private static String calls(String seconds, int cancelAfterMs) {
        return """
                [{"name":"host_sleep_for","arguments":{"host":"ci","seconds":%s},"cancel_after_ms":%d},
                 {"name":"host_list","arguments":{}}]""".formatted(seconds, cancelAfterMs);
    }

    @Test
    void stdio() throws Exception {
        Path data = tmp.resolve("data-stdio");
        String seconds = Long.toString(4000 + ProcessHandle.current().pid() % 997);
        List<String> transport = new ArrayList<>(List.of("--stdio"));
        transport.addAll(NodeHarness.serverCommand(
                "serve",
                "--transport",
                "stdio",
                "--config",
                config("stdio").toString(),
                "--data-dir",
                data.toString()));
        assertCancelled(seconds, transport);
        assertAuditedAsCancelled(data);
    }

    @Test
    void streamableHttp() throws Exception {
        Path data = tmp.resolve("data-http");
        String seconds = Long.toString(3000 + ProcessHandle.current().pid() % 997);
        try (ServerProcess http =
                ServerProcess.startHttp(data, "--config", config("http").toString())) {
            assertCancelled(seconds, List.of("--http", http.url("/mcp")));
        }
        assertAuditedAsCancelled(data);
    }

    @Test
    void legacySse() throws Exception {
        Path data = tmp.resolve("data-sse");
        String seconds = Long.toString(2000 + ProcessHandle.current().pid() % 997);
        try (ServerProcess http =
                ServerProcess.startHttp(data, "--config", config("sse").toString())) {
            assertCancelled(seconds, List.of("--sse", http.url("/sse")));
        }
        assertAuditedAsCancelled(data);
    }

    private static void assertCancelled(String seconds, List<String> transport) throws Exception {
        // the client cancels 20 s after sending the call (a loaded CI machine may take most of that to start the
        // command); the command must be seen running before that
        CompletableFuture<JsonNode> client = CompletableFuture.supplyAsync(() -> {
            try {
                return new NodeHarness(tmp).client(calls(seconds, 20_000), List.of("--linger", "4000"), transport);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        boolean seen = false;
        for (int i = 0; i < 1200 && !seen && !client.isDone(); i++) {
            seen = ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info()
                            .commandLine()
                            .map(c -> c.endsWith("sleep " + seconds))
                            .orElse(false));
            Thread.sleep(100);
        }
        assertThat(seen)
                .as("sleep %s ran on the host before the cancellation (client: %s)", seconds, clientState(client))
                .isTrue();
        JsonNode report = client.get(3, TimeUnit.MINUTES);
        System.out.println(
                "client report: " + report.path("calls") + " transport_errors: " + report.path("transport_errors"));

        JsonNode cancelled = report.path("calls").path(0);
        assertThat(cancelled.path("cancelled").asBoolean()).as("%s", cancelled).isTrue();
        assertThat(cancelled.has("result"))
                .as("no result for the cancelled call: %s", cancelled)
                .isFalse();
        JsonNode next = report.path("calls").path(1);
        assertThat(next.path("result").path("isError").asBoolean(true))
                .as("the next call is answered: %s", next)
                .isFalse();
        // a late response to the cancelled id would be reported by the SDK as a response to an unknown request
        assertThat(report.path("transport_errors").toString()).doesNotContainIgnoringCase("unknown message id");
        assertThat(ProcessWatch.waitUntilGone("sleep " + seconds))
                .as("sleep %s is gone from the host's process table", seconds)
                .isTrue();
    }

    private static String clientState(CompletableFuture<JsonNode> client) {
        if (!client.isDone()) {
            return "running";
        }
        try {
            return String.valueOf(client.get());
        } catch (Exception e) {
            return String.valueOf(e.getCause());
        }
    }

    /** {@code ops-mcp audit tail --json} on the data directory, after the server exited. */
    private static void assertAuditedAsCancelled(Path data) throws Exception {
        List<String> command =
                NodeHarness.serverCommand("audit", "tail", "-n", "20", "--json", "--data-dir", data.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines())
                .as("audit:%n%s", out)
                .anyMatch(l -> l.contains("\"tool\":\"host_sleep_for\"") && l.contains("\"phase\":\"cancelled\""));
    }
}
