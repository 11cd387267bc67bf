package io.opsmcp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalEvent;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.approval.ApprovalStore;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.RecordingAuditStore;
import io.opsmcp.toolkit.redact.Redactor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Each sink against a local receiver: what arrives, signed how, retried when, audited when it fails. */
class NotifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-webhook".getBytes(StandardCharsets.UTF_8);
    private static final String TOKEN = "ghp_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordingAuditStore audit = new RecordingAuditStore();
    private Notifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
    }

    @Test
    void webhookIsSignedOverTimestampAndBodyAndCarriesTheChangeButNoSecret() throws Exception {
        try (Receiver receiver = new Receiver(200)) {
            start(sink("hook", NotificationSettings.Format.WEBHOOK, receiver.url("/hook"), Set.of()), 1);
            notifier.onEvent(requested("prod"));

            Receiver.Received r = receiver.next();
            long timestamp = Long.parseLong(r.header(WebhookSignature.TIMESTAMP_HEADER));
            assertThat(WebhookSignature.verify(
                            SECRET, timestamp, r.body(), r.header(WebhookSignature.SIGNATURE_HEADER)))
                    .isTrue();
            byte[] tampered = r.text().replace("prod", "dev").getBytes(StandardCharsets.UTF_8);
            assertThat(WebhookSignature.verify(
                            SECRET, timestamp, tampered, r.header(WebhookSignature.SIGNATURE_HEADER)))
                    .isFalse();
            assertThat(WebhookSignature.verify(
                            SECRET, timestamp + 1, r.body(), r.header(WebhookSignature.SIGNATURE_HEADER)))
                    .isFalse();
            assertThat(r.header(WebhookSignature.EVENT_HEADER)).isEqualTo("approval.requested");
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("type").asString()).isEqualTo("approval.requested");
            JsonNode a = body.path("approval");
            assertThat(a.path("tool").asString()).isEqualTo("ecs_service_scale");
            assertThat(a.path("environment").asString()).isEqualTo("prod");
            assertThat(a.path("resource").asString()).isEqualTo("ecs:service checkout");
            assertThat(a.path("change").asString()).startsWith("desiredCount 4 -> 0");
            assertThat(a.path("requester").asString()).isEqualTo("alice");
            assertThat(a.path("approver_roles").get(0).asString()).isEqualTo("sre-lead");
            assertThat(a.path("url").asString()).isEqualTo("https://ops.example.com/ui/approvals/" + ID);
            // the redactor's view of the summary: the token in it never leaves
            assertThat(r.text()).doesNotContain(TOKEN).contains(Redactor.MARK);
            assertThat(r.text()).doesNotContain(new String(SECRET, StandardCharsets.UTF_8));
        }
    }

    @Test
    void retriesOn500WithTheSameDeliveryIdAndAuditsNothingWhenItGoesThrough() throws Exception {
        try (Receiver receiver = new Receiver(500, 503, 200)) {
            start(sink("hook", NotificationSettings.Format.WEBHOOK, receiver.url("/hook"), Set.of()), 4);
            notifier.onEvent(requested("prod"));
            String first = receiver.next().header(WebhookSignature.DELIVERY_HEADER);
            assertThat(receiver.next().header(WebhookSignature.DELIVERY_HEADER)).isEqualTo(first);
            assertThat(receiver.next().header(WebhookSignature.DELIVERY_HEADER)).isEqualTo(first);
            assertThat(receiver.more(300)).isFalse();
            assertThat(audit.events()).isEmpty();
        }
    }

    @Test
    void aDeliveryThatKeepsFailingIsAuditedByItsSinkNameNeverItsUrl() throws Exception {
        try (Receiver receiver = new Receiver(500)) {
            URI url = receiver.url("/services/T000/B000/" + "XXXXsecretpath");
            start(sink("oncall", NotificationSettings.Format.SLACK, url, Set.of()), 2);
            notifier.onEvent(requested("prod"));
            receiver.next();
            receiver.next();
            AuditEvent failure = awaitAudit();
            assertThat(failure.phase()).isEqualTo(AuditEvent.Phase.FAILED);
            assertThat(failure.approvalId()).isEqualTo(ID);
            assertThat(failure.error())
                    .contains("approval.requested", "sink oncall", "2 attempt(s)", "HTTP 500")
                    .doesNotContain("secretpath", "127.0.0.1");
        }
    }

    @Test
    void aClientErrorIsAFinalAnswerNotRetried() throws Exception {
        try (Receiver receiver = new Receiver(400)) {
            start(sink("hook", NotificationSettings.Format.WEBHOOK, receiver.url("/hook"), Set.of()), 4);
            notifier.onEvent(requested("prod"));
            receiver.next();
            assertThat(awaitAudit().error()).contains("HTTP 400");
            assertThat(receiver.more(200)).isFalse();
        }
    }

    @Test
    void slackGetsBlockKitWithCallerTextEscapedSoItCannotMentionOrLink() throws Exception {
        try (Receiver receiver = new Receiver(200)) {
            start(sink("oncall", NotificationSettings.Format.SLACK, receiver.url("/slack"), Set.of()), 1);
            notifier.onEvent(
                    event(ApprovalEvent.Type.REQUESTED, "prod", "scale <!channel> <https://evil.example|click>"));
            JsonNode body = JSON.readTree(receiver.next().body());
            assertThat(body.path("text").asString()).isEqualTo("Approval requested: ecs_service_scale in prod");
            assertThat(body.path("blocks").get(0).path("type").asString()).isEqualTo("header");
            String all = body.toString();
            assertThat(all).doesNotContain("<!channel>", "<https://evil").contains("&lt;!channel&gt;");
            JsonNode button = body.path("blocks")
                    .get(body.path("blocks").size() - 1)
                    .path("elements")
                    .get(0);
            assertThat(button.path("url").asString()).isEqualTo("https://ops.example.com/ui/approvals/" + ID);
            assertThat(all).contains("sre-lead", "alice", "prod needs an sre-lead");
        }
    }

    @Test
    void teamsGetsAnAdaptiveCardWithMarkdownEscaped() throws Exception {
        try (Receiver receiver = new Receiver(202)) {
            start(sink("ops-channel", NotificationSettings.Format.TEAMS, receiver.url("/teams"), Set.of()), 1);
            notifier.onEvent(event(ApprovalEvent.Type.REQUESTED, "prod", "scale [click](https://evil.example)"));
            JsonNode body = JSON.readTree(receiver.next().body());
            assertThat(body.path("type").asString()).isEqualTo("message");
            JsonNode attachment = body.path("attachments").get(0);
            assertThat(attachment.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
            JsonNode card = attachment.path("content");
            assertThat(card.path("type").asString()).isEqualTo("AdaptiveCard");
            assertThat(card.path("actions").get(0).path("type").asString()).isEqualTo("Action.OpenUrl");
            assertThat(card.toString()).doesNotContain("[click](https").contains("\\\\[click\\\\]");
            assertThat(audit.events()).isEmpty();
        }
    }

    @Test
    void routesByEnvironmentAndEvent() throws Exception {
        try (Receiver prod = new Receiver(200);
                Receiver all = new Receiver(200)) {
            var prodOnly = sink("prod", NotificationSettings.Format.WEBHOOK, prod.url("/p"), Set.of("prod"));
            var everything = new NotificationSettings.Sink(
                    "all",
                    NotificationSettings.Format.WEBHOOK,
                    all.url("/a"),
                    Optional.empty(),
                    Set.of(),
                    EnumSet.of(ApprovalEvent.Type.DENIED));
            start(
                    new NotificationSettings(
                            List.of(prodOnly, everything),
                            10,
                            1,
                            Duration.ofMillis(10),
                            Duration.ofMillis(50),
                            Duration.ofSeconds(5)),
                    1);
            notifier.onEvent(requested("dev"));
            notifier.onEvent(requested("prod"));
            notifier.onEvent(event(ApprovalEvent.Type.DENIED, "dev", "x"));
            assertThat(JSON.readTree(prod.next().body())
                            .path("approval")
                            .path("environment")
                            .asString())
                    .isEqualTo("prod");
            assertThat(JSON.readTree(all.next().body()).path("type").asString()).isEqualTo("approval.denied");
            assertThat(prod.more(200)).isFalse();
            assertThat(all.more(0)).isFalse();
        }
    }

    // --- fixtures

    private static final String ID = "apr_" + "a".repeat(26);
    private static final Instant NOW = Instant.parse("2026-12-05T04:00:00Z");

    private static NotificationSettings.Sink sink(
            String name, NotificationSettings.Format format, URI url, Set<String> environments) {
        return new NotificationSettings.Sink(
                name,
                format,
                url,
                format == NotificationSettings.Format.WEBHOOK ? Optional.of(SECRET) : Optional.empty(),
                environments,
                EnumSet.complementOf(EnumSet.of(ApprovalEvent.Type.VOTED)));
    }

    private void start(NotificationSettings.Sink sink, int attempts) {
        start(
                new NotificationSettings(
                        List.of(sink),
                        10,
                        attempts,
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofSeconds(5)),
                attempts);
    }

    private void start(NotificationSettings settings, int ignored) {
        Function<String, URI> links = id -> URI.create("https://ops.example.com/ui/approvals/" + id);
        notifier = Notifier.start(
                settings,
                new ApprovalService(new NoApprovals(), Clock.systemUTC()),
                new Redactor(),
                audit,
                links,
                Clock.systemUTC(),
                Duration.ofHours(1));
    }

    private static ApprovalEvent requested(String environment) {
        return event(ApprovalEvent.Type.REQUESTED, environment, "desiredCount 4 -> 0; token " + TOKEN);
    }

    private static ApprovalEvent event(ApprovalEvent.Type type, String environment, String summary) {
        var resource = JsonNodeFactory.instance.objectNode();
        resource.put("provider", "aws");
        resource.put("kind", "ecs:service");
        resource.put("environment", environment);
        resource.put("name", "checkout");
        Approval a = new Approval(
                ID,
                "ecs_service_scale",
                "b".repeat(64),
                "alice",
                resource,
                summary,
                1,
                List.of("sre-lead"),
                false,
                NOW,
                NOW.plus(Duration.ofMinutes(30)),
                type == ApprovalEvent.Type.DENIED ? Approval.Status.DENIED : Approval.Status.PENDING,
                List.of(),
                null,
                "prod needs an sre-lead");
        return new ApprovalEvent(type, a, null, NOW);
    }

    private AuditEvent awaitAudit() throws InterruptedException {
        for (int i = 0; i < 200 && audit.events().isEmpty(); i++) {
            Thread.sleep(25); // bounded wait for the asynchronous completion
        }
        assertThat(audit.events()).isNotEmpty();
        return audit.events().get(0);
    }

    /** The notifier only registers with the service here. */
    private static final class NoApprovals implements ApprovalStore {
        public Approval create(Approval pending) {
            throw new UnsupportedOperationException();
        }

        public Optional<Approval> find(String id) {
            return Optional.empty();
        }

        public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
            return List.of();
        }

        public Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
            throw new UnsupportedOperationException();
        }

        public boolean consume(String id, Instant now) {
            return false;
        }

        public void close() {}
    }
}
