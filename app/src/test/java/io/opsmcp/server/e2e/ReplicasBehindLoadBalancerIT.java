package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.auth.ApiKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas of {@code ops-mcp serve --stateless --sandbox} (the fat jar, each its own process and data
 * directory) on one PostgreSQL, behind HAProxy from Debian balancing round-robin without stickiness. The official
 * TypeScript SDK client, through the balancer, lists tools, reads, and asks for a change that needs approval; the
 * approver approves through the replica that did not take the request (its own API key, the approvals HTTP API);
 * the client calls again with {@code approval_id} and the change runs. HAProxy's log shows both replicas
 * answered, and {@code ops-mcp audit verify} checks the one hash chain against both replicas' checkpoint files.
 *
 * <p>Needs {@code haproxy} on the PATH or in /usr/sbin ({@code apt-get install haproxy}, done by {@code .ci/run});
 * without it the test is skipped, unless {@code OPS_MCP_REQUIRE_E2E=1}, when it fails.
 */
class ReplicasBehindLoadBalancerIT {

    private static final String AUDIT_KEY = "replicas-it-shared-audit-key-0123456789abcdef";
    private static final String ALICE_KEY = "alice-key-0123456789abcdef";
    private static final String BOB_KEY = "bob-key-0123456789abcdef";
    private static final String CHANGE_ARGS = "{\"host\":\"sandbox-staging\",\"unit\":\"procps\"";

    @TempDir
    static Path tmp;

    private static EmbeddedPostgres postgres;
    private static final List<ServerProcess> replicas = new ArrayList<>();
    private static Process haproxy;
    private static Path haproxyLog;
    private static Path config;
    private static int balancerPort;

    @BeforeAll
    static void start() throws Exception {
        String haproxyBinary = haproxy();
        boolean required = "1".equals(System.getenv("OPS_MCP_REQUIRE_E2E"));
        if (haproxyBinary == null) {
            if (required) {
                throw new IllegalStateException(
                        "haproxy is not installed (apt-get install haproxy) and OPS_MCP_REQUIRE_E2E=1");
            }
            Assumptions.abort("haproxy is not installed (apt-get install haproxy): the load-balancer test is skipped");
        }
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE opsmcp");
        }
        config = tmp.resolve("ops-mcp.yaml");
        Files.writeString(
                config, """
                transport: http
                http:
                  stateless: true
                toolsets: [hosts]
                store:
                  type: postgres
                  url: jdbc:postgresql://127.0.0.1:%d/opsmcp
                  user: postgres
                auth:
                  api_keys:
                    - {principal: alice, roles: [sre], sha256: %s}
                    - {principal: bob, roles: [sre-lead], sha256: %s}
                """.formatted(postgres.getPort(), ApiKeys.sha256Hex(ALICE_KEY), ApiKeys.sha256Hex(BOB_KEY)));
        for (String name : List.of("r1", "r2")) {
            replicas.add(ServerProcess.start(
                    List.of(
                            "env",
                            "OPS_MCP_AUDIT_KEY=" + AUDIT_KEY,
                            E2e.java(),
                            "-jar",
                            E2e.jar().toString(),
                            "serve",
                            "--config",
                            config.toString(),
                            "--bind",
                            "127.0.0.1",
                            "--port",
                            "0",
                            "--sandbox",
                            "--data-dir",
                            tmp.resolve("data-" + name).toString()),
                    Duration.ofSeconds(120)));
        }
        balancerPort = freePort();
        Path cfg = tmp.resolve("haproxy.cfg");
        // The request body goes into the log line (captured into a variable while the request is buffered), so the
        // test can tell which replica took which JSON-RPC request.
        Files.writeString(cfg, """
                global
                  log stdout format raw local0 info
                  maxconn 256
                defaults
                  mode http
                  log global
                  option http-buffer-request
                  timeout connect 5s
                  timeout client 120s
                  timeout server 120s
                frontend mcp
                  bind 127.0.0.1:%d
                  http-request set-var(txn.body) req.body
                  log-format "served-by=%%s status=%%ST %%HM %%HU %%[var(txn.body)]"
                  default_backend replicas
                backend replicas
                  balance roundrobin
                  server r1 127.0.0.1:%d
                  server r2 127.0.0.1:%d
                """.formatted(
                        balancerPort, replicas.get(0).port(), replicas.get(1).port()));
        haproxyLog = tmp.resolve("haproxy.log");
        haproxy = new ProcessBuilder(haproxyBinary, "-db", "-f", cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(haproxyLog.toFile())
                .start();
        waitForBalancer();
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        for (ServerProcess replica : replicas) {
            replica.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aChangeApprovedThroughOneReplicaRunsThroughTheBalancer() throws Exception {
        NodeHarness node = new NodeHarness(tmp);
        List<String> asAlice = List.of("--header", "Authorization: Bearer " + ALICE_KEY, "--http", url("/mcp"));

        JsonNode first = node.client(
                "[{\"name\":\"host_uptime_load\",\"arguments\":{\"host\":\"sandbox-staging\"}},"
                        + "{\"name\":\"host_service_restart\",\"arguments\":" + CHANGE_ARGS + "}}]",
                asAlice);
        List<String> tools = new ArrayList<>();
        first.path("tools").forEach(t -> tools.add(t.path("name").asString()));
        assertThat(tools).containsAll(E2e.HOST_TOOLS).contains("host_service_restart");
        JsonNode read = first.path("calls").path(0);
        assertThat(read.path("result").path("isError").asBoolean())
                .as("read: %s", read)
                .isFalse();
        String pending =
                first.path("calls").path(1).path("result").path("content").toString();
        assertThat(pending).contains("Approval required");
        Matcher m = Pattern.compile("apr_[a-z2-7]{26}").matcher(pending);
        assertThat(m.find()).as(pending).isTrue();
        String approvalId = m.group();

        // The replica that took the change request, from the balancer's log; the approval goes through the other.
        String takenBy = servedBy(line -> line.contains("host_service_restart") && !line.contains("approval_id"));
        ServerProcess other = replicas.get(takenBy.equals("r1") ? 1 : 0);
        HttpResponse<String> vote = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + other.port() + "/approvals/" + approvalId + "/approve"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + BOB_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"replica test\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(vote.statusCode()).as(vote.body()).isEqualTo(200);
        assertThat(vote.body()).contains("\"status\":\"approved\"");

        JsonNode second = node.client(
                "[{\"name\":\"host_service_restart\",\"arguments\":" + CHANGE_ARGS + ",\"approval_id\":\"" + approvalId
                        + "\"}}]",
                asAlice);
        JsonNode ran = second.path("calls").path(0).path("result");
        assertThat(ran.path("isError").asBoolean()).as("change: %s", ran).isFalse();
        assertThat(ran.path("content").toString()).contains("ran `");

        Set<String> servers = new TreeSet<>();
        for (String line : Files.readAllLines(haproxyLog, StandardCharsets.UTF_8)) {
            Matcher s = Pattern.compile("served-by=(r[12]) ").matcher(line);
            if (s.find()) {
                servers.add(s.group(1));
            }
        }
        assertThat(servers).as("replicas that answered requests").containsExactly("r1", "r2");

        List<String> verify = new ArrayList<>(List.of(
                "env",
                "OPS_MCP_AUDIT_KEY=" + AUDIT_KEY,
                E2e.java(),
                "-jar",
                E2e.jar().toString(),
                "audit",
                "verify",
                "--config",
                config.toString(),
                "--data-dir",
                tmp.resolve("data-verify").toString()));
        for (String name : List.of("r1", "r2")) {
            verify.addAll(List.of(
                    "--checkpoints",
                    tmp.resolve("data-" + name)
                            .resolve("audit-checkpoints.jsonl")
                            .toString()));
        }
        Process audit = new ProcessBuilder(verify).redirectErrorStream(true).start();
        String output = new String(audit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(audit.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(audit.exitValue()).as(output).isZero();
    }

    /** The replica ({@code r1}/{@code r2}) HAProxy logged for the one request whose line matches. */
    private static String servedBy(java.util.function.Predicate<String> request) throws IOException {
        List<String> matches = Files.readAllLines(haproxyLog, StandardCharsets.UTF_8).stream()
                .filter(request)
                .toList();
        assertThat(matches).as("HAProxy log lines of the request").hasSize(1);
        Matcher m = Pattern.compile("served-by=(r[12]) ").matcher(matches.get(0));
        assertThat(m.find()).as(matches.get(0)).isTrue();
        return m.group(1);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + balancerPort + path;
    }

    private static String haproxy() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits (bounded) until HAProxy forwards {@code /healthz}. */
    private static void waitForBalancer() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("haproxy exited:\n" + Files.readString(haproxyLog));
            }
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(url("/healthz")))
                                .timeout(Duration.ofSeconds(2))
                                .header("Authorization", "Bearer " + ALICE_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "haproxy did not forward /healthz within 10 s:\n" + Files.readString(haproxyLog));
    }
}
