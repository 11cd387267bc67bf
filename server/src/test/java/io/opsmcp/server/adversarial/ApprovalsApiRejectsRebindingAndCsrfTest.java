package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.approval.Approval;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 3: the approvals API is attacked the way a web page in the approver's browser would attack it —
 * DNS rebinding (a foreign {@code Host}), a cross-site form or {@code text/plain} POST (foreign {@code Origin},
 * a content type that needs no CORS preflight), and, on a key-less loopback server, a request that carries no
 * credential at all and hopes for the local identity. None may list approvals or cast a vote; the approval stays
 * pending. Every non-health endpoint gets the same Host/Origin rules, and {@code /healthz} reveals nothing.
 */
class ApprovalsApiRejectsRebindingAndCsrfTest {

    @TempDir
    Path dir;

    private static Approval pending(HttpTarget target, List<String> approverRoles) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return target.runtime
                .approvals()
                .create(new Approval(
                        null,
                        "host_service_restart",
                        "0".repeat(64),
                        "alice",
                        null,
                        "restart nginx on staging-web-1",
                        1,
                        approverRoles,
                        false,
                        now,
                        now.plusSeconds(900),
                        Approval.Status.PENDING,
                        List.of(),
                        null,
                        "staging changes need approval"));
    }

    private static Approval.Status status(HttpTarget target, String id) {
        return target.runtime.stores().approvals().find(id).orElseThrow().status();
    }

    @Test
    void withApiKeysForeignHostOriginAndNonJsonBodiesAreRefused() throws Exception {
        String yaml = "auth:\n  api_keys:\n" + HttpTarget.key("bob", "sre-lead", "bob-key");
        try (HttpTarget target = HttpTarget.start(dir, yaml)) {
            String id = pending(target, List.of("sre-lead")).id();

            HttpTarget.Raw rebound = target.raw(
                    "GET /approvals HTTP/1.1\nHost: attacker.example\n" + "Authorization: Bearer bob-key", null);
            System.out.println("rebound GET /approvals -> " + rebound.status());
            assertThat(rebound.status()).as("DNS-rebound listing").isIn(403, 421);
            assertThat(rebound.text()).doesNotContain(id);
            HttpTarget.Raw reboundVote = target.raw(
                    "POST /approvals/" + id + "/approve HTTP/1.1\n"
                            + "Host: attacker.example:" + target.port() + "\nAuthorization: Bearer bob-key\n"
                            + "Content-Type: application/json",
                    "{}");
            assertThat(reboundVote.status()).as("DNS-rebound vote").isIn(403, 421);

            for (String type :
                    List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
                HttpResponse<String> csrf = target.send(
                        "POST",
                        "/approvals/" + id + "/approve",
                        "{\"reason\":\"x\"}",
                        "Content-Type",
                        type,
                        "Authorization",
                        "Bearer bob-key");
                assertThat(csrf.statusCode()).as("POST with %s", type).isEqualTo(415);
            }
            HttpResponse<String> crossSite = target.send(
                    "POST",
                    "/approvals/" + id + "/approve",
                    "{}",
                    "Content-Type",
                    "application/json",
                    "Origin",
                    "https://attacker.example",
                    "Authorization",
                    "Bearer bob-key");
            assertThat(crossSite.statusCode()).as("cross-site Origin").isEqualTo(403);
            assertThat(target.send(
                                    "GET",
                                    "/approvals",
                                    null,
                                    "Origin",
                                    "http://attacker.example",
                                    "Authorization",
                                    "Bearer bob-key")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(target.send("POST", "/approvals/" + id + "/approve", "{}", "Content-Type", "application/json")
                            .statusCode())
                    .as("no credential")
                    .isEqualTo(401);
            assertThat(status(target, id)).isEqualTo(Approval.Status.PENDING);

            // The other endpoints follow the same Host/Origin rules.
            assertThat(target.raw(
                                    "GET /sse HTTP/1.1\nHost: attacker.example\nAccept: text/event-stream\n"
                                            + "Authorization: Bearer bob-key",
                                    null)
                            .status())
                    .isIn(403, 421);
            assertThat(target.send(
                                    "POST",
                                    "/message?sessionId=x",
                                    "{}",
                                    "Content-Type",
                                    "application/json",
                                    "Origin",
                                    "http://attacker.example",
                                    "Authorization",
                                    "Bearer bob-key")
                            .statusCode())
                    .isEqualTo(403);
            HttpTarget.Raw health = target.raw("GET /healthz HTTP/1.1\nHost: 10.1.2.3:8080", null);
            assertThat(health.status()).as("load balancers probe by IP").isEqualTo(200);
            String healthBody = health.text().substring(health.text().indexOf("\r\n\r\n") + 4);
            assertThat(healthBody)
                    .contains("{\"status\":\"ok\"}")
                    .doesNotContain(id)
                    .doesNotContain("ops-mcp")
                    .doesNotContainIgnoringCase("version");

            // The legitimate approver, same-origin with JSON, still approves: the checks are not blanket refusals.
            HttpResponse<String> approved = target.send(
                    "POST",
                    "/approvals/" + id + "/approve",
                    "{\"reason\":\"ok\"}",
                    "Content-Type",
                    "application/json; charset=utf-8",
                    "Origin",
                    "http://127.0.0.1:" + target.port(),
                    "Authorization",
                    "Bearer bob-key");
            assertThat(approved.statusCode()).isEqualTo(200);
            assertThat(status(target, id)).isEqualTo(Approval.Status.APPROVED);
        }
    }

    @Test
    void withoutApiKeysTheApprovalsApiHasNoAmbientAuthority() throws Exception {
        // The local identity is an approver of this staging change: exactly what ambient authority would abuse.
        String yaml = "identity: {id: operator, roles: [sre-lead]}\n";
        try (HttpTarget target = HttpTarget.start(dir, yaml)) {
            String id = pending(target, List.of("sre-lead")).id();

            HttpResponse<String> simpleCsrf = target.send(
                    "POST",
                    "/approvals/" + id + "/approve",
                    "{}",
                    "Content-Type",
                    "text/plain",
                    "Origin",
                    "http://attacker.example");
            System.out.println("cross-site text/plain vote on loopback -> " + simpleCsrf.statusCode());
            assertThat(simpleCsrf.statusCode()).isIn(403, 415);
            HttpTarget.Raw rebound = target.raw("GET /approvals HTTP/1.1\nHost: attacker.example", null);
            assertThat(rebound.status()).isIn(403, 421);
            assertThat(rebound.text()).doesNotContain(id);

            // Even a well-formed, same-origin JSON request is not the operator: no credential, no vote, no list.
            HttpResponse<String> noCredential =
                    target.send("POST", "/approvals/" + id + "/approve", "{}", "Content-Type", "application/json");
            assertThat(noCredential.statusCode()).isEqualTo(403);
            assertThat(noCredential.body()).contains("auth.api_keys").doesNotContain("Exception");
            HttpResponse<String> list = target.send("GET", "/approvals", null);
            assertThat(list.statusCode()).isEqualTo(403);
            assertThat(list.body()).doesNotContain(id);
            assertThat(target.send("GET", "/approvals/" + id, null).statusCode())
                    .isEqualTo(403);
            assertThat(status(target, id)).isEqualTo(Approval.Status.PENDING);

            // MCP over loopback keeps working for the local user (same-origin JSON).
            assertThat(target.send("POST", "/mcp", HttpTarget.INITIALIZE, HttpTarget.mcpHeaders(null, null))
                            .statusCode())
                    .isEqualTo(200);
        }
    }
}
