package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertReport;
import io.opsmcp.alerts.AlertResource;
import io.opsmcp.alerts.AlertService;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.guard.StoreException;
import io.opsmcp.guard.audit.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** {@link AlertService}'s deduplication, resolution and retention over {@link JdbcAlertStore}, on H2 and PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AlertResource CHECKOUT = new AlertResource(
            "aws",
            "ecs:service",
            "checkout",
            Map.of("account", "sandbox", "region", "eu-west-1", "cluster", "shop", "service", "checkout"));

    private TestDatabases databases;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    private static AlertReport report(String identity, Alert.Status status) {
        return new AlertReport(
                Alert.Source.ALERTMANAGER,
                identity,
                "ContainerMemoryHigh",
                status,
                "critical",
                "checkout memory at 97%",
                Map.of("alertname", "ContainerMemoryHigh", "cluster", "shop", "service", "checkout"),
                CHECKOUT,
                Instant.now().minusSeconds(60),
                null);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void repeatsAreOneAlertAndAResolutionLinksTheChangesMadeWhileItFired(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            AlertService service =
                    new AlertService(stores.alerts(), stores.audit(), AlertSettings.NONE, Clock.systemUTC());
            List<String> notified = new java.util.ArrayList<>();
            service.onChange(a -> notified.add(a.id() + " " + a.status().wire()));

            var first = service.ingest("/hooks/alertmanager", List.of(report("fp-1", Alert.Status.FIRING)), 0);
            var again = service.ingest("/hooks/alertmanager", List.of(report("fp-1", Alert.Status.FIRING)), 0);
            assertThat(first.fired()).isEqualTo(1);
            assertThat(again.repeated()).isEqualTo(1);
            assertThat(again.ids()).isEqualTo(first.ids());
            String id = first.ids().get(0);
            assertThat(service.list(null, 10)).hasSize(1);
            assertThat(service.find(id).orElseThrow().occurrences()).isEqualTo(2);
            assertThat(notified).containsExactly(id + " firing"); // the repeat notifies nobody

            // a change on checkout, as the gateway records it (intent before it runs), and one on another service
            long change = stores.audit().append(intent("checkout")).seq();
            stores.audit().append(intent("catalog"));

            var resolved = service.ingest("/hooks/alertmanager", List.of(report("fp-1", Alert.Status.RESOLVED)), 0);
            assertThat(resolved.resolved()).isEqualTo(1);
            Alert a = service.find(id).orElseThrow();
            assertThat(a.status()).isEqualTo(Alert.Status.RESOLVED);
            assertThat(a.endsAt()).isNotNull();
            assertThat(a.linkedChanges()).containsExactly(change);
            assertThat(notified).containsExactly(id + " firing", id + " resolved");
            // the resolution is in the audit, linked to the change
            var last = stores.audit().tail(1).get(0).event();
            assertThat(last.principal()).isEqualTo("webhook:alertmanager");
            assertThat(last.args().path("status").asString()).isEqualTo("resolved");
            assertThat(last.args().path("linked_changes").get(0).asLong()).isEqualTo(change);

            // fires again: same alert, a new episode
            service.ingest("/hooks/alertmanager", List.of(report("fp-1", Alert.Status.FIRING)), 0);
            assertThat(service.find(id).orElseThrow().status()).isEqualTo(Alert.Status.FIRING);
            assertThat(service.find(id).orElseThrow().linkedChanges()).isEmpty();
            // a resolution of an alert never seen changes nothing
            assertThat(service.ingest("/hooks/alertmanager", List.of(report("never", Alert.Status.RESOLVED)), 0)
                            .ignored())
                    .isEqualTo(1);
            assertThat(service.list(null, 10)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void retentionDropsOldResolvedAlertsAndBoundsTheCount(String kind) throws Exception {
        try (Stores stores = databases.fresh(kind).open()) {
            Instant[] now = {Instant.parse("2026-12-05T10:00:00Z")};
            Clock clock = new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now[0];
                }
            };
            AlertSettings settings = new AlertSettings(
                    Duration.ofDays(1), 3, Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
            AlertService service = new AlertService(stores.alerts(), stores.audit(), settings, clock);
            service.ingest("/hooks/alertmanager", List.of(report("old", Alert.Status.FIRING)), 0);
            service.ingest("/hooks/alertmanager", List.of(report("old", Alert.Status.RESOLVED)), 0);
            now[0] = now[0].plus(Duration.ofDays(2));
            service.ingest("/hooks/alertmanager", List.of(report("new", Alert.Status.FIRING)), 0);
            assertThat(service.list(null, 10)).extracting(Alert::status).containsExactly(Alert.Status.FIRING);
            for (int i = 0; i < 5; i++) {
                now[0] = now[0].plusSeconds(1);
                service.ingest("/hooks/alertmanager", List.of(report("n" + i, Alert.Status.FIRING)), 0);
            }
            assertThat(service.list(null, 10)).hasSize(3);
            assertThat(service.list(null, 10).get(0).labels()).containsEntry("alertname", "ContainerMemoryHigh");

            // one row per fingerprint, whatever the id
            Alert kept = service.list(null, 1).get(0);
            Alert twin = new Alert(
                    "alt_00000000000000000000000000",
                    kept.fingerprint(),
                    kept.source(),
                    kept.name(),
                    kept.status(),
                    null,
                    null,
                    Map.of(),
                    null,
                    kept.startsAt(),
                    null,
                    kept.updatedAt(),
                    1,
                    List.of());
            assertThatThrownBy(() -> stores.alerts().save(twin)).isInstanceOf(StoreException.class);
        }
    }

    private static AuditEvent intent(String service) {
        return AuditEvent.builder(Instant.now(), "alice", AuditEvent.Phase.INTENT)
                .requestId("7")
                .tool("ecs_update_task_resources", "aws")
                .resource(JSON.readTree("{\"provider\":\"aws\",\"kind\":\"ecs:service\",\"environment\":\"prod\","
                        + "\"name\":\"" + service + "\",\"account\":\"sandbox\",\"account_id\":\"123456789012\","
                        + "\"region\":\"eu-west-1\",\"cluster\":\"shop\",\"service\":\"" + service + "\"}"))
                .build();
    }
}
