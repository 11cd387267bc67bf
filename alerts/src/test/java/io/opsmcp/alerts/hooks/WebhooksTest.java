package io.opsmcp.alerts.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertService;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.AlertStore;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.RecordingAuditStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Alertmanager and GitLab receivers from the sender's and the attacker's side: valid requests become alerts;
 * a missing, wrong or replayed-from-elsewhere credential, a browser, an oversized body are refused with the status
 * a sender expects, audited, and no secret appears in an answer or the audit.
 */
class WebhooksTest {

    static final String AM_TOKEN = "am-token-0123456789abcdef";
    static final String GITLAB_TOKEN = "gitlab-token-0123456789abcdef";
    static final String BASIC_PASSWORD = "basic-password-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordingAuditStore audit = new RecordingAuditStore();
    private final AlertService alerts = new AlertService(
            AlertStore.inMemory(),
            audit,
            AlertSettings.from(JSON.readTree("""
                            {"aws_defaults": {"account": "sandbox", "region": "eu-west-1"},
                             "alertmanager": {"bearer_token": {"env": "AM"}, "max_body_bytes": 4096},
                             "gitlab": {"token": {"env": "GL"}, "max_body_bytes": 4096}}"""), Map.of("AM", AM_TOKEN, "GL", GITLAB_TOKEN)),
            Clock.systemUTC());
    private final Webhooks hooks = new Webhooks(alerts, SnsCertificates.pinnedToAws());

    static Headers headers(Map<String, String> values) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(values);
        return h::get;
    }

    static String alertmanager(String status) {
        return """
                {"version": "4", "groupKey": "{}:{alertname=\\"ContainerMemoryHigh\\"}", "truncatedAlerts": 0,
                 "status": "%1$s", "receiver": "ops-mcp", "groupLabels": {"alertname": "ContainerMemoryHigh"},
                 "commonLabels": {}, "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
                 "alerts": [{"status": "%1$s",
                   "labels": {"alertname": "ContainerMemoryHigh", "severity": "critical", "cluster": "shop",
                              "service": "checkout"},
                   "annotations": {"summary": "checkout memory above 95%% of its limit"},
                   "startsAt": "2026-12-05T09:00:00Z", "endsAt": "%2$s",
                   "generatorURL": "http://prometheus:9090/graph", "fingerprint": "c0ffee0123456789"}]}""".formatted(status, status.equals("resolved") ? "2026-12-05T09:20:00Z" : "0001-01-01T00:00:00Z");
    }

    WebhookResponse post(String path, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return hooks.handle(path, "POST", headers(headers), bytes.length, new ByteArrayInputStream(bytes), "10.0.0.7");
    }

    @Test
    void alertmanagerWithItsBearerTokenFiresThenResolvesOneAlertMappedToTheEcsService() {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + AM_TOKEN);
        WebhookResponse fired = post("/hooks/alertmanager", auth, alertmanager("firing"));
        assertThat(fired.status()).isEqualTo(200);
        assertThat(fired.body().path("fired").asInt()).isEqualTo(1);
        String id = fired.body().path("alerts").get(0).asString();
        Alert a = alerts.find(id).orElseThrow();
        assertThat(a.name()).isEqualTo("ContainerMemoryHigh");
        assertThat(a.severity()).isEqualTo("critical");
        assertThat(a.resource().kind()).isEqualTo("ecs:service");
        assertThat(a.resource().ids())
                .containsEntry("account", "sandbox")
                .containsEntry("region", "eu-west-1")
                .containsEntry("cluster", "shop")
                .containsEntry("service", "checkout");

        assertThat(post("/hooks/alertmanager", auth, alertmanager("firing"))
                        .body()
                        .path("repeated")
                        .asInt())
                .isEqualTo(1);
        WebhookResponse resolved = post("/hooks/alertmanager", auth, alertmanager("resolved"));
        assertThat(resolved.body().path("resolved").asInt()).isEqualTo(1);
        assertThat(alerts.find(id).orElseThrow().status()).isEqualTo(Alert.Status.RESOLVED);
        assertThat(alerts.list(null, 10)).hasSize(1);
    }

    @Test
    void alertmanagerWithoutOrWithAWrongCredentialIsRefusedAndAudited() {
        assertThat(post("/hooks/alertmanager", Map.of(), alertmanager("firing")).status())
                .isEqualTo(401);
        assertThat(post(
                                "/hooks/alertmanager",
                                Map.of("Authorization", "Bearer " + AM_TOKEN + "x"),
                                alertmanager("firing"))
                        .status())
                .isEqualTo(401);
        // the GitLab receiver's secret does not open the Alertmanager receiver: each has its own
        assertThat(post(
                                "/hooks/alertmanager",
                                Map.of("Authorization", "Bearer " + GITLAB_TOKEN),
                                alertmanager("firing"))
                        .status())
                .isEqualTo(401);
        assertThat(post("/hooks/alertmanager", Map.of("Authorization", "Basic " + AM_TOKEN), alertmanager("firing"))
                        .status())
                .isEqualTo(401);
        assertThat(alerts.list(null, 10)).isEmpty();
        assertThat(audit.events()).hasSize(4).allSatisfy(e -> {
            assertThat(e.phase()).isEqualTo(AuditEvent.Phase.DENIED);
            assertThat(e.principal()).isEqualTo("webhook:alertmanager");
            assertThat(e.tool()).isEqualTo("/hooks/alertmanager");
            assertThat(e.args().path("remote").asString()).isEqualTo("10.0.0.7");
        });
        assertNoSecretIn(audit.events().toString());
    }

    @Test
    void aBrowserRequestIsRefusedEvenWithTheToken() {
        WebhookResponse r = post(
                "/hooks/alertmanager",
                Map.of("Authorization", "Bearer " + AM_TOKEN, "Origin", "https://evil.example"),
                alertmanager("firing"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(alerts.list(null, 10)).isEmpty();
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsReadWhenDeclaredAndAtTheLimitWhenChunked() {
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a body declared too large must not be read");
            }
        };
        WebhookResponse declared = hooks.handle(
                "/hooks/alertmanager",
                "POST",
                headers(Map.of("Authorization", "Bearer " + AM_TOKEN)),
                1_000_000,
                unread,
                "10.0.0.7");
        assertThat(declared.status()).isEqualTo(413);
        int[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return ' ';
            }
        };
        WebhookResponse chunked = hooks.handle(
                "/hooks/alertmanager",
                "POST",
                headers(Map.of("Authorization", "Bearer " + AM_TOKEN)),
                -1,
                endless,
                "10.0.0.7");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(read[0]).isEqualTo(4096 + 1);
        assertThat(audit.events())
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.reasons().get(0)).contains("accepts bodies up to 4096 bytes"));
        // an unauthenticated sender cannot make the server read its body at all
        int[] before = {0};
        InputStream counted = new InputStream() {
            @Override
            public int read() {
                before[0]++;
                return -1;
            }
        };
        assertThat(hooks.handle("/hooks/alertmanager", "POST", headers(Map.of()), -1, counted, "x")
                        .status())
                .isEqualTo(401);
        assertThat(before[0]).isZero();
    }

    @Test
    void malformedPayloadsAreRefusedNamingTheRule() {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + AM_TOKEN);
        WebhookResponse v3 =
                post("/hooks/alertmanager", auth, alertmanager("firing").replace("\"4\"", "\"3\""));
        assertThat(v3.status()).isEqualTo(400);
        assertThat(v3.body().path("message").asString()).contains("version must be \"4\"");
        assertThat(post("/hooks/alertmanager", auth, "not json").status()).isEqualTo(400);
        assertThat(hooks.handle("/hooks/alertmanager", "GET", headers(auth), 0, InputStream.nullInputStream(), "x")
                        .status())
                .isEqualTo(405);
        assertThat(post("/hooks/sns", Map.of(), "{}").status()).isEqualTo(404); // not configured: not served
    }

    @Test
    void basicAuthenticationComparesUserAndPassword() {
        AlertService basic = new AlertService(
                AlertStore.inMemory(),
                audit,
                AlertSettings.from(
                        JSON.readTree(
                                "{\"alertmanager\": {\"basic\": {\"username\": \"am\", \"password\": {\"env\": \"P\"}}}}"),
                        Map.of("P", BASIC_PASSWORD)),
                Clock.systemUTC());
        Webhooks h = new Webhooks(basic, SnsCertificates.pinnedToAws());
        String body = alertmanager("firing");
        java.util.function.Function<String, Integer> as = pair -> h.handle(
                        "/hooks/alertmanager",
                        "POST",
                        headers(Map.of(
                                "Authorization",
                                "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))),
                        body.length(),
                        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                        "x")
                .status();
        assertThat(as.apply("am:" + BASIC_PASSWORD)).isEqualTo(200);
        assertThat(as.apply("other:" + BASIC_PASSWORD)).isEqualTo(401);
        assertThat(as.apply("am:" + BASIC_PASSWORD + "x")).isEqualTo(401);
        assertThat(as.apply(BASIC_PASSWORD)).isEqualTo(401);
    }

    static String pipeline(String status) {
        return """
                {"object_kind": "pipeline",
                 "object_attributes": {"id": 4711, "ref": "main", "status": "%s", "source": "push"},
                 "project": {"id": 42, "path_with_namespace": "shop/checkout"}}""".formatted(status);
    }

    @Test
    void gitlabWithItsTokenFiresOnAFailedPipelineAndResolvesOnTheNextSuccess() {
        Map<String, String> auth = Map.of("X-Gitlab-Token", GITLAB_TOKEN, "X-Gitlab-Event", "Pipeline Hook");
        WebhookResponse failed = post("/hooks/gitlab", auth, pipeline("failed"));
        assertThat(failed.status()).isEqualTo(200);
        Alert a = alerts.find(failed.body().path("alerts").get(0).asString()).orElseThrow();
        assertThat(a.resource().kind()).isEqualTo("gitlab:project");
        assertThat(a.resource().name()).isEqualTo("shop/checkout");
        assertThat(a.labels()).containsEntry("pipeline_id", "4711");
        assertThat(post("/hooks/gitlab", auth, pipeline("running"))
                        .body()
                        .path("ignored")
                        .asInt())
                .isEqualTo(1);
        assertThat(post("/hooks/gitlab", auth, pipeline("success"))
                        .body()
                        .path("resolved")
                        .asInt())
                .isEqualTo(1);
        assertThat(alerts.find(a.id()).orElseThrow().status()).isEqualTo(Alert.Status.RESOLVED);
    }

    @Test
    void gitlabWithoutOrWithAWrongTokenIsRefusedAndAudited() {
        assertThat(post("/hooks/gitlab", Map.of(), pipeline("failed")).status()).isEqualTo(401);
        assertThat(post("/hooks/gitlab", Map.of("X-Gitlab-Token", GITLAB_TOKEN.substring(1)), pipeline("failed"))
                        .status())
                .isEqualTo(401);
        assertThat(post("/hooks/gitlab", Map.of("X-Gitlab-Token", AM_TOKEN), pipeline("failed"))
                        .status())
                .isEqualTo(401);
        assertThat(alerts.list(null, 10)).isEmpty();
        assertThat(audit.events())
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.phase()).isEqualTo(AuditEvent.Phase.DENIED));
        assertNoSecretIn(audit.events().toString());
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text)
                .doesNotContain(AM_TOKEN)
                .doesNotContain(GITLAB_TOKEN)
                .doesNotContain(GITLAB_TOKEN.substring(1));
    }
}
