package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.tools.system.ssh.OpenSshd;
import io.opsmcp.tools.system.ssh.ProcessWatch;
import java.net.http.HttpResponse;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, item 2: {@code notifications/cancelled} stops a running {@code tools/call} over stdio and streamable
 * HTTP. The call runs a long command ({@code sleep N}, a catalog entry) on a real OpenSSH server on loopback
 * (fixture {@link OpenSshd}; skipped without sshd unless {@code OPS_MCP_REQUIRE_SSHD=1}); after the cancellation
 * no response for the request arrives while later requests are answered, the command is gone from the host's
 * process table, and the audit log records the call as cancelled. A cancellation sent on another session, by the
 * same or another principal, with the same request id, cancels nothing.
 */
class CancellationStopsTheCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static OpenSshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshd.startOrSkip(Files.createDirectories(dir.resolve("sshd")));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** The configuration: the sshd as host {@code ci}, a {@code host_sleep_for} catalog command, two API keys. */
    private static String yaml() {
        return """
                identity: {roles: [sre]}
                auth:
                  api_keys:
                %s%s
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
                        HttpTarget.key("alice", "sre", "alice-key"),
                        HttpTarget.key("bob", "sre", "bob-key"),
                        sshd.knownHosts(),
                        sshd.port(),
                        System.getProperty("user.name"),
                        sshd.clientKey());
    }

    private static String sleepCall(int id, String seconds) {
        return """
                {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"host_sleep_for",\
                "arguments":{"host":"ci","seconds":%s}}}""".formatted(id, seconds);
    }

    private static String cancel(Object requestId) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":"
                + JSON.writeValueAsString(requestId) + ",\"reason\":\"user pressed stop\"}}";
    }

    /** A number no other test's process has in its command line. */
    private static String unique(int base) {
        return Long.toString(base + ProcessHandle.current().pid() % 997);
    }

    @Test
    void overStdioTheCommandIsKilledAndNoResponseIsSent() throws Exception {
        Path config = Files.writeString(dir.resolve("stdio.yaml"), yaml());
        String seconds = unique(5000);
        Path data = Files.createDirectories(dir.resolve("stdio"));
        try (StdioServer server = new StdioServer(data, "--config", config.toString())) {
            server.sendLine("""
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                    "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            assertThat(server.awaitId(1, new ArrayList<>(), 90))
                    .as("initialize; stderr: %s", server.stderr())
                    .isNotNull();
            server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            server.sendLine(sleepCall(2, seconds));
            assertThat(waitUntilRunning("sleep " + seconds))
                    .as("the command started on the host; stderr: %s", server.stderr())
                    .isTrue();

            server.sendLine(cancel(2));
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            List<JsonNode> seen = new ArrayList<>();
            assertThat(server.awaitId(3, seen, 20))
                    .as("a later request is answered")
                    .isNotNull();
            assertThat(ProcessWatch.waitUntilGone("sleep " + seconds))
                    .as(
                            "the command is gone from the host's process table; seen %s; stderr:%n%s",
                            seen, server.stderr())
                    .isTrue();
            // a bounded wait for the response that must not come (the call ended within the wait above)
            assertThat(server.awaitId(2, seen, 5))
                    .as("no response for the cancelled request")
                    .isNull();
            assertThat(seen).noneMatch(m -> m.path("id").asInt(-1) == 2);
        }
        List<String> audit = auditTail(data);
        assertThat(audit)
                .as("audit")
                .anyMatch(l -> l.contains("\"tool\":\"host_sleep_for\"") && l.contains("\"phase\":\"cancelled\""));
    }

    @Test
    void overStreamableHttpTheCommandIsKilledAndOnlyTheOwnSessionCanCancel() throws Exception {
        String seconds = unique(6000);
        try (HttpTarget target = HttpTarget.start(Files.createDirectories(dir.resolve("http")), yaml(), null)) {
            String alice = target.initialize("alice-key");
            String aliceOther = target.initialize("alice-key");
            String bob = target.initialize("bob-key");
            CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return target.send(
                            "POST", "/mcp", sleepCall(7, seconds), HttpTarget.mcpHeaders("alice-key", alice));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            boolean running = waitUntilRunning("sleep " + seconds);
            assertThat(running)
                    .as(
                            "the command started on the host; the call: %s",
                            call.isDone() ? call.get().body() : "running")
                    .isTrue();

            // the same request id cancelled on other sessions (bob's; alice's other one) cancels nothing
            assertThat(target.send("POST", "/mcp", cancel(7), HttpTarget.mcpHeaders("bob-key", bob))
                            .statusCode())
                    .isEqualTo(202);
            assertThat(target.send("POST", "/mcp", cancel(7), HttpTarget.mcpHeaders("alice-key", aliceOther))
                            .statusCode())
                    .isEqualTo(202);
            // bob naming alice's session is refused as an unknown session
            assertThat(target.send("POST", "/mcp", cancel(7), HttpTarget.mcpHeaders("bob-key", alice))
                            .statusCode())
                    .isEqualTo(404);
            Thread.sleep(1500);
            assertThat(stillRunning("sleep " + seconds))
                    .as("the call survives cancellations from other sessions")
                    .isTrue();
            assertThat(call).isNotDone();

            // a cancellation with the id as a string is another request (JSON-RPC ids keep their type)
            target.send("POST", "/mcp", cancel("7"), HttpTarget.mcpHeaders("alice-key", alice));
            Thread.sleep(500);
            assertThat(stillRunning("sleep " + seconds)).isTrue();

            assertThat(target.send("POST", "/mcp", cancel(7), HttpTarget.mcpHeaders("alice-key", alice))
                            .statusCode())
                    .isEqualTo(202);
            HttpResponse<String> ping = target.send(
                    "POST",
                    "/mcp",
                    "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}",
                    HttpTarget.mcpHeaders("alice-key", alice));
            assertThat(ping.body()).contains("\"id\":8").contains("\"result\"");
            assertThat(ProcessWatch.waitUntilGone("sleep " + seconds))
                    .as("the command is gone from the host's process table")
                    .isTrue();
            HttpResponse<String> answered = call.get(20, TimeUnit.SECONDS);
            assertThat(answered.body())
                    .as("the request's stream ends without a response")
                    .doesNotContain("\"id\":7");

            List<AuditEntry> tail = target.runtime.stores().audit().tail(20);
            assertThat(tail)
                    .anyMatch(e -> "host_sleep_for".equals(e.event().tool())
                            && e.event().phase() == AuditEvent.Phase.CANCELLED
                            && "alice".equals(e.event().principal()));
        }
    }

    private static boolean stillRunning(String commandLine) {
        return ProcessHandle.allProcesses()
                .anyMatch(p ->
                        p.info().commandLine().map(c -> c.endsWith(commandLine)).orElse(false));
    }

    private static boolean waitUntilRunning(String commandLine) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (stillRunning(commandLine)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** {@code ops-mcp audit tail --json} on the stdio server's data directory, after it exited. */
    private static List<String> auditTail(Path data) throws Exception {
        List<String> command = new ArrayList<>(StdioServer.javaCommand());
        command.addAll(List.of(
                "audit",
                "tail",
                "-n",
                "20",
                "--json",
                "--data-dir",
                data.resolve("data").toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
