package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approvers' HTTP API against the real server: authenticated, role and self-approval rules enforced. */
class ApprovalsApiTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> send(int port, String method, String path, String key) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("{\"reason\":\"looks right\"}")
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void approversVoteOverHttpUnderTheSameRulesAsTheCli() throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(
                file,
                "auth:\n  api_keys:\n"
                        + "    - {principal: alice, roles: [sre], sha256: " + ApiKeys.sha256Hex("alice-key") + "}\n"
                        + "    - {principal: bob, roles: [sre-lead], sha256: " + ApiKeys.sha256Hex("bob-key") + "}\n"
                        + "    - {principal: carol, roles: [sre], sha256: " + ApiKeys.sha256Hex("carol-key") + "}\n");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("http", null, 0, List.of(), false, "warn", dir.resolve("data")));
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
                HttpTransport http = HttpTransport.start(runtime)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Approval pending = runtime.approvals()
                    .create(new Approval(
                            null,
                            "host_service_restart",
                            "0".repeat(64),
                            "alice",
                            null,
                            "restart nginx on web-1",
                            1,
                            List.of("sre-lead"),
                            false,
                            now,
                            now.plusSeconds(900),
                            Approval.Status.PENDING,
                            List.of(),
                            null,
                            "prod changes need approval"));
            String id = pending.id();
            int port = http.port();

            assertThat(send(port, "GET", "/approvals", null).statusCode()).isEqualTo(401);
            HttpResponse<String> list = send(port, "GET", "/approvals", "carol-key");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains(id);

            assertThat(send(port, "POST", "/approvals/" + id + "/approve", "alice-key")
                            .statusCode())
                    .as("the requester may not approve a prod change")
                    .isEqualTo(409);
            assertThat(send(port, "POST", "/approvals/" + id + "/approve", "carol-key")
                            .statusCode())
                    .as("sre is not an approver role here")
                    .isEqualTo(409);
            assertThat(runtime.stores().approvals().find(id).orElseThrow().status())
                    .isEqualTo(Approval.Status.PENDING);

            HttpResponse<String> approved = send(port, "POST", "/approvals/" + id + "/approve", "bob-key");
            assertThat(approved.statusCode()).isEqualTo(200);
            assertThat(approved.body()).contains("\"status\":\"approved\"").contains("\"approvers\":[\"bob\"]");
            assertThat(send(port, "GET", "/approvals/" + id, "alice-key").body())
                    .contains("\"status\":\"approved\"");
            assertThat(send(port, "GET", "/approvals/apr_aaaaaaaaaaaaaaaaaaaaaaaaaa", "alice-key")
                            .statusCode())
                    .isEqualTo(404);
        }
    }
}
