package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.auth.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The self-healing loop of issue 17 end to end, over the official TypeScript SDK client ({@code e2e/session.mjs},
 * one streamable HTTP session) against the fat jar with {@code --sandbox}: an Alertmanager webhook for checkout's
 * memory → the subscribed client gets {@code notifications/resources/updated} for {@code ops://alerts/active} →
 * {@code alert_get} (resource, suggested {@code ecs_troubleshoot}) → {@code ecs_troubleshoot} finds the OOM kills
 * → the memory fix is held for approval (prod) → bob approves over the approvals API → the fix runs → the resolved
 * webhook arrives → the alert shows resolved, linked to the change's audit record, and the client was told → a
 * second fix on the same service is stopped by the circuit breaker (the policy bundle with
 * {@code max_mutations_per_resource_per_hour: 1}). Forged webhooks are refused on the way.
 */
class AlertLoopIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALICE_KEY = "alice-key-0123456789abcdef0123";
    private static final String BOB_KEY = "bob-key-0123456789abcdef012345";
    private static final String AM_TOKEN = "alertmanager-token-0123456789";
    private static final String SERVICE =
            "{\"account\": \"sandbox\", \"region\": \"eu-west-1\", \"cluster\": \"shop\", \"service\": \"checkout\"}";
    private static final String FIX = "{\"account\": \"sandbox\", \"region\": \"eu-west-1\", \"cluster\": \"shop\","
            + " \"service\": \"checkout\", \"container\": \"checkout\", \"memory\": 1024}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void anAlertIsNotifiedDiagnosedFixedUnderApprovalResolvedAndLinkedAndTheBreakerStopsASecondFix() throws Exception {
        Path bundle = breakerBundle(tmp.resolve("bundle"), 1);
        Path config = tmp.resolve("ops-mcp.yaml");
        Files.writeString(config, """
                transport: http
                toolsets: [aws]
                policy: {bundle_dir: "%s"}
                auth:
                  api_keys:
                    - {principal: alice, roles: [sre], sha256: %s}
                    - {principal: bob, roles: [sre-lead], sha256: %s}
                alerts:
                  aws_defaults: {account: sandbox, region: eu-west-1}
                  alertmanager:
                    bearer_token: {env: OPS_MCP_TEST_ALERTMANAGER_TOKEN}
                """.formatted(bundle, ApiKeys.sha256Hex(ALICE_KEY), ApiKeys.sha256Hex(BOB_KEY)));
        try (ServerProcess server = ServerProcess.start(
                        List.of(
                                "env",
                                "OPS_MCP_TEST_ALERTMANAGER_TOKEN=" + AM_TOKEN,
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
                                tmp.resolve("data").toString()),
                        Duration.ofSeconds(120));
                Session alice = new Session(server.port(), ALICE_KEY)) {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(alice.send("{\"op\": \"subscribe\", \"uri\": \"ops://alerts/active\"}")
                            .path("ok")
                            .asBoolean())
                    .isTrue();

            // forged: no token, and alice's API key instead of the receiver's token; nothing is taken in
            assertThat(webhook(base, null, alertmanager("firing")).statusCode()).isEqualTo(401);
            assertThat(webhook(base, ALICE_KEY, alertmanager("firing")).statusCode())
                    .isEqualTo(401);

            HttpResponse<String> fired = webhook(base, AM_TOKEN, alertmanager("firing"));
            assertThat(fired.statusCode()).as(fired.body()).isEqualTo(200);
            String alertId = JSON.readTree(fired.body()).path("alerts").get(0).asString();
            assertThat(alice.send("{\"op\": \"wait\", \"uri\": \"ops://alerts/active\", \"timeout_ms\": 20000}")
                            .path("updated")
                            .asString())
                    .as("notifications/resources/updated for the active alerts")
                    .isEqualTo("ops://alerts/active");
            alice.send("{\"op\": \"subscribe\", \"uri\": \"ops://alerts/" + alertId + "\"}");

            JsonNode list = alice.call("alerts_list", "{}");
            assertThat(list.path("structuredContent")
                            .path("alerts")
                            .get(0)
                            .path("id")
                            .asString())
                    .isEqualTo(alertId);
            JsonNode alert = alice.call("alert_get", "{\"id\": \"" + alertId + "\"}");
            assertThat(alert.path("isError").asBoolean()).as(alert.toString()).isFalse();
            JsonNode detail = alert.path("structuredContent");
            assertThat(detail.path("resource").path("kind").asString()).isEqualTo("ecs:service");
            JsonNode first = detail.path("suggested").get(0);
            assertThat(first.path("tool").asString()).isEqualTo("ecs_troubleshoot");

            JsonNode findings =
                    alice.call("ecs_troubleshoot", first.path("arguments").toString());
            assertThat(findings.path("content").toString()).contains("out_of_memory");

            JsonNode held = alice.call("ecs_update_task_resources", FIX);
            Matcher m = Pattern.compile("apr_[a-z2-7]{26}").matcher(held.toString());
            assertThat(m.find())
                    .as("the prod fix is held for approval: %s", held)
                    .isTrue();
            String approvalId = m.group();
            HttpResponse<String> vote = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/approvals/" + approvalId + "/approve"))
                            .header("Authorization", "Bearer " + BOB_KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"reason\": \"OOM kills: give checkout 1 GiB\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(vote.statusCode()).as(vote.body()).isEqualTo(200);
            JsonNode applied = alice.call(
                    "ecs_update_task_resources", FIX.replace("}", ", \"approval_id\": \"" + approvalId + "\"}"));
            assertThat(applied.path("isError").asBoolean())
                    .as(applied.toString())
                    .isFalse();

            HttpResponse<String> resolved = webhook(base, AM_TOKEN, alertmanager("resolved"));
            assertThat(JSON.readTree(resolved.body()).path("resolved").asInt()).isEqualTo(1);
            assertThat(alice.send("{\"op\": \"wait\", \"uri\": \"ops://alerts/" + alertId
                                    + "\", \"timeout_ms\": 20000}")
                            .path("updated")
                            .asString())
                    .isEqualTo("ops://alerts/" + alertId);
            JsonNode read = alice.send("{\"op\": \"read\", \"uri\": \"ops://alerts/" + alertId + "\"}");
            JsonNode after = JSON.readTree(
                    read.path("result").path("contents").get(0).path("text").asString());
            assertThat(after.path("status").asString()).isEqualTo("resolved");
            assertThat(after.path("linked_changes")).hasSize(1);
            long changeSeq = after.path("linked_changes").get(0).asLong();
            JsonNode change = after.path("changes").get(0);
            assertThat(change.path("audit_seq").asLong()).isEqualTo(changeSeq);
            assertThat(change.path("tool").asString()).isEqualTo("ecs_update_task_resources");
            assertThat(change.path("approval_id").asString()).isEqualTo(approvalId);
            assertThat(change.path("outcome").asString()).isEqualTo("succeeded");

            // the breaker: a second fix on checkout within the hour is denied before anything is asked
            JsonNode second = alice.call("ecs_update_task_resources", FIX.replace("1024", "2048"));
            assertThat(second.path("isError").asBoolean()).isTrue();
            assertThat(second.path("content").toString()).contains("circuit breaker");

            // the prompt for the loop
            JsonNode prompt =
                    alice.send("{\"op\": \"prompt\", \"name\": \"respond_to_alert\", \"arguments\": {\"id\": \""
                            + alertId + "\"}}");
            assertThat(prompt.path("result").path("messages").toString()).contains("alert_get");
        }
        // the audit has the refusals, the alert's states and the link, and never the receiver's token
        String audit = auditExport(config);
        assertThat(audit).doesNotContain(AM_TOKEN).doesNotContain(ALICE_KEY);
        assertThat(audit.lines().filter(l -> l.contains("\"webhook:alertmanager\"") && l.contains("\"denied\"")))
                .hasSize(2);
        assertThat(audit.lines().filter(l -> l.contains("\"linked_changes\":[") && l.contains("\"resolved\"")))
                .hasSize(1);
    }

    private String auditExport(Path config) throws Exception {
        Process p = new ProcessBuilder(
                        E2e.java(),
                        "-jar",
                        E2e.jar().toString(),
                        "audit",
                        "export",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        tmp.resolve("data").toString(),
                        "--log-level",
                        "warn")
                .redirectError(tmp.resolve("export.err").toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(tmp.resolve("export.err")))
                .isZero();
        return out;
    }

    static String alertmanager(String status) {
        return """
                {"version": "4", "status": "%1$s", "receiver": "ops-mcp", "groupKey": "{}:{alertname=\\"ContainerMemoryHigh\\"}",
                 "groupLabels": {"alertname": "ContainerMemoryHigh"}, "commonLabels": {}, "commonAnnotations": {},
                 "externalURL": "http://alertmanager:9093", "truncatedAlerts": 0,
                 "alerts": [{"status": "%1$s",
                   "labels": {"alertname": "ContainerMemoryHigh", "severity": "critical", "cluster": "shop", "service": "checkout"},
                   "annotations": {"summary": "checkout containers at 97%% of their memory limit"},
                   "startsAt": "%2$s", "endsAt": "%3$s", "fingerprint": "8f0c5e2a1b3d4c6e"}]}""".formatted(
                        status,
                        java.time.Instant.now().minusSeconds(120),
                        status.equals("resolved") ? java.time.Instant.now().toString() : "0001-01-01T00:00:00Z");
    }

    static HttpResponse<String> webhook(String base, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/hooks/alertmanager"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The default policy bundle with the circuit breaker at {@code limit} changes per resource per hour. */
    static Path breakerBundle(Path target, int limit) throws IOException {
        Path source = E2e.e2eDir().resolveSibling("policies/src/main/resources/opsmcp-bundle");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path to = target.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path data = target.resolve("opsmcp/data.json");
        String text = Files.readString(data);
        String patched = text.replaceFirst(
                "\"max_mutations_per_resource_per_hour\": *[0-9]+",
                "\"max_mutations_per_resource_per_hour\": " + limit);
        assertThat(patched).isNotEqualTo(text);
        Files.writeString(data, patched);
        return target;
    }

    /** {@code e2e/session.mjs}: one TypeScript SDK session, one JSON command and answer per line, bounded waits. */
    static final class Session implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        Session(int port, String apiKey) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    E2e.node(),
                    E2e.e2eDir().resolve("session.mjs").toString(),
                    "--header",
                    "Authorization: Bearer " + apiKey,
                    "--http",
                    "http://127.0.0.1:" + port + "/mcp"));
            process = new ProcessBuilder(command)
                    .directory(E2e.e2eDir().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        JsonNode send(String command) throws Exception {
            in.write(command.replace('\n', ' ') + "\n");
            in.flush();
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .get(150, TimeUnit.SECONDS);
            assertThat(line).as("session.mjs answered %s", command).isNotNull();
            return JSON.readTree(line);
        }

        /** tools/call; the CallToolResult. */
        JsonNode call(String tool, String arguments) throws Exception {
            JsonNode answer = send("{\"op\": \"call\", \"name\": \"" + tool + "\", \"arguments\": " + arguments + "}");
            assertThat(answer.has("result")).as("%s: %s", tool, answer).isTrue();
            return answer.path("result");
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("{\"op\": \"close\"}\n");
                in.flush();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
