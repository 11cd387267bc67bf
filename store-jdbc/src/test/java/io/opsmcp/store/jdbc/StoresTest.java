package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.guard.StoreException;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoresTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestDatabases databases;

    @TempDir
    Path tmp;

    @BeforeAll
    void start() throws Exception {
        databases = TestDatabases.start();
    }

    @AfterAll
    void stop() throws Exception {
        databases.close();
    }

    private Stores open(String settingsJson) {
        return Stores.open(
                JSON.readTree(settingsJson), tmp.resolve("data"), Map.of("DB_PW", "s3cret-pw"), Clock.systemUTC());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void migrationsRunOnOpenAndAgainWithoutHarm(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            assertThat(versions(stores)).containsExactly("1", "2");
        }
        try (Stores stores = db.open()) {
            assertThat(versions(stores)).containsExactly("1", "2");
            assertThat(stores.audit().verify().ok()).isTrue();
        }
    }

    /**
     * An up-to-date store skips Flyway ({@link Stores#upToDate}); an older one, or one whose history shows a failed
     * migration, still goes through it and ends up migrated.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
    void anOlderStoreIsStillMigratedOnOpen(String kind) throws Exception {
        TestDatabases.Target db = databases.fresh(kind);
        try (Stores stores = db.open()) {
            assertThat(Stores.upToDate(stores.dataSource())).isTrue();
            org.flywaydb.core.api.configuration.FluentConfiguration flyway = org.flywaydb.core.Flyway.configure()
                    .dataSource(stores.dataSource())
                    .locations("classpath:db/migration/" + kind)
                    .cleanDisabled(false);
            flyway.load().clean();
            flyway.target("1").load().migrate(); // the schema an ops-mcp of before V2 left behind
            assertThat(versions(stores)).containsExactly("1");
            assertThat(Stores.upToDate(stores.dataSource())).isFalse();
        }
        try (Stores stores = db.open()) {
            assertThat(versions(stores)).containsExactly("1", "2");
            assertThat(db.execute(stores, "DELETE FROM alerts"))
                    .as("V2's table exists again")
                    .isZero();
            db.execute(stores, "UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'");
            assertThat(Stores.upToDate(stores.dataSource()))
                    .as("a failed migration is Flyway's to report")
                    .isFalse();
        }
    }

    @Test
    void theListOfMigrationsIsTheScriptsShipped() throws Exception {
        for (String vendor : List.of("h2", "postgresql")) {
            Path dir =
                    Path.of(Stores.class.getResource("/db/migration/" + vendor).toURI());
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()).map(n -> n.substring(1, n.indexOf("__"))))
                        .as(vendor)
                        .containsExactlyInAnyOrderElementsOf(Stores.MIGRATIONS);
            }
        }
    }

    private static List<String> versions(Stores stores) throws Exception {
        try (Connection c = stores.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\""
                        + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            return versions;
        }
    }

    @Test
    void theEmbeddedDefaultIsAnH2FileInTheDataDirectory() {
        Path dataDir = tmp.resolve("state");
        try (Stores stores = Stores.open(null, dataDir)) {
            stores.audit()
                    .append(AuditEvent.builder(Instant.now(), "alice", AuditEvent.Phase.SUCCEEDED)
                            .auth("local")
                            .durationMs(1)
                            .build());
            assertThat(stores.description())
                    .startsWith("embedded jdbc:h2:file:")
                    .endsWith("ops-mcp");
        }
        assertThat(dataDir.resolve("ops-mcp.mv.db")).isRegularFile();
        try (Stores stores = Stores.open(JSON.readTree("{\"type\":\"embedded\"}"), dataDir)) {
            assertThat(stores.audit().tail(1))
                    .extracting(e -> e.event().principal())
                    .containsExactly("alice");
        }
    }

    @Test
    void twoHoldersOfOneEmbeddedFileShareOneChain() {
        Path dataDir = tmp.resolve("shared");
        try (Stores first = Stores.open(null, dataDir);
                Stores second = Stores.open(null, dataDir)) {
            first.audit()
                    .append(AuditEvent.builder(Instant.now(), "a", AuditEvent.Phase.SUCCEEDED)
                            .build());
            AuditEntry next = second.audit()
                    .append(AuditEvent.builder(Instant.now(), "b", AuditEvent.Phase.SUCCEEDED)
                            .build());
            assertThat(next.seq()).isEqualTo(2);
            assertThat(first.audit().verify().count()).isEqualTo(2);
        }
    }

    @Test
    void postgresSettingsAreCheckedAndNamed() {
        assertThatThrownBy(() -> open("{\"type\":\"postgres\",\"user\":\"ops\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.url: required");
        assertThatThrownBy(() -> open("{\"type\":\"postgres\",\"url\":\"jdbc:mysql://db/x\",\"user\":\"ops\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.url: must start with jdbc:postgresql://");
        assertThatThrownBy(() ->
                        open("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://db/x?password=p\",\"user\":\"o\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.url: must not contain the password")
                .hasMessageNotContaining("password=p");
        // user:password@host: pgjdbc would take it for the host and quote it in "unknown host" errors
        for (String url :
                new String[] {"jdbc:postgresql://ops:s3cret-pw@db:5432/x", "jdbc:postgresql://ops@db/x?ssl=true"}) {
            assertThatThrownBy(() -> open("{\"type\":\"postgres\",\"url\":\"" + url + "\",\"user\":\"o\"}"))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("store.url: must not contain a user or password")
                    .hasMessageNotContaining("s3cret-pw")
                    .hasMessageNotContaining("ops@");
        }
        assertThatCode(() -> StoreSettings.from(
                        JSON.readTree("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://db/x?options=a@b\","
                                + "\"user\":\"o\"}"),
                        tmp,
                        Map.of()))
                .as("an @ in the query is not a user")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> open("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://db/x\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.user: required");
        assertThatThrownBy(() -> open("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://db/x\",\"user\":\"o\","
                        + "\"password_env\":\"NOT_SET_PW\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("store.password_env: environment variable NOT_SET_PW is not set");
    }

    @Test
    void otherSettingsAreCheckedAndNamed() {
        assertThatThrownBy(() -> open("{\"type\":\"sqlite\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("store.type: must be embedded or postgres (got 'sqlite')");
        assertThatThrownBy(() -> open("{\"type\":\"embedded\",\"pasword_env\":\"X\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.pasword_env: unknown setting");
        assertThatThrownBy(() -> open("{\"type\":\"embedded\",\"url\":\"jdbc:h2:mem:x\"}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store.url: only for store.type postgres");
        assertThatThrownBy(() -> open("{\"type\":3}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("store.type: must be a string");
        assertThatThrownBy(() -> open("\"postgres\""))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("store: must be a mapping");
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        JsonNode settings = JSON.readTree("{\"type\":\"postgres\",\"url\":\"jdbc:postgresql://127.0.0.1:" + closedPort
                + "/opsmcp\",\"user\":\"ops\",\"password_env\":\"DB_PW\"}");

        assertThatThrownBy(() -> Stores.open(settings, tmp, Map.of("DB_PW", "s3cret-pw"), Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(
                        "store: cannot connect to jdbc:postgresql://127.0.0.1:" + closedPort + "/opsmcp as ops: ")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void theDescriptionOfAPostgresStoreNamesTheUrl() throws Exception {
        TestDatabases.Target db = databases.fresh(TestDatabases.POSTGRES);
        try (Stores stores = db.open()) {
            assertThat(stores.description())
                    .isEqualTo("postgres " + db.settings().get("url").asString());
        }
    }

    @Test
    void theEmbeddedFileIsCreatedWithItsDirectory() throws Exception {
        Path nested = tmp.resolve("a/b/c");
        try (Stores stores = Stores.open(null, nested)) {
            assertThat(stores.approvals().list(java.util.EnumSet.allOf(Approval.Status.class), 5))
                    .isEmpty();
        }
        assertThat(Files.list(nested)).anyMatch(p -> p.getFileName().toString().equals("ops-mcp.mv.db"));
    }

    /** Starts {@link HoldEmbeddedStore} on the embedded store of {@code dataDir}; returns once it holds the file. */
    private static Process holdStore(Path dataDir, Path release) throws Exception {
        StoreSettings settings = StoreSettings.from(null, dataDir, Map.of());
        String secret = io.opsmcp.guard.audit.PrivateFiles.secret(dataDir.resolve(Stores.SECRET_FILE));
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldEmbeddedStore.class.getName(),
                        settings.jdbcUrl(),
                        secret,
                        release.toString())
                .redirectErrorStream(true)
                .start();
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
        assertThat(first).as("the holder process opened the store").isEqualTo("held");
        return holder;
    }

    @Test
    void anEmbeddedStoreHeldByAProcessThatIsShuttingDownIsOpenedOnceItLetsGo() throws Exception {
        Path dataDir = tmp.resolve("restart");
        try (Stores first = Stores.open(null, dataDir, Map.of(), Clock.systemUTC())) {
            first.audit()
                    .append(AuditEvent.builder(Instant.now(), "before-restart", AuditEvent.Phase.SUCCEEDED)
                            .auth("local")
                            .durationMs(1)
                            .build());
        }
        Path release = tmp.resolve("release");
        Process holder = holdStore(dataDir, release);
        try {
            // the previous server lets go a second after this one starts opening (a client restarting its server)
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                    Files.createFile(release);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            releaser.start();
            try (Stores second = Stores.open(null, dataDir, Map.of(), Clock.systemUTC())) {
                assertThat(holder.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                assertThat(second.audit().tail(1))
                        .extracting(e -> e.event().principal())
                        .containsExactly("before-restart");
                assertThat(second.audit().verify().ok()).isTrue();
            }
            releaser.join();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void anEmbeddedStoreStillHeldAfterTheWaitFailsNamingTheWaysOut() throws Exception {
        Path dataDir = tmp.resolve("second-server");
        Stores.open(null, dataDir, Map.of(), Clock.systemUTC()).close();
        Process holder = holdStore(dataDir, tmp.resolve("never"));
        try {
            StoreSettings settings = StoreSettings.from(null, dataDir, Map.of());
            String secret = io.opsmcp.guard.audit.PrivateFiles.secret(dataDir.resolve(Stores.SECRET_FILE));
            long start = System.nanoTime();
            assertThatThrownBy(() -> Stores.whenReleased(settings, secret, java.time.Duration.ofMillis(600)))
                    .isInstanceOf(java.sql.SQLException.class)
                    .satisfies(e -> assertThat(((java.sql.SQLException) e).getErrorCode())
                            .isEqualTo(90020));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .as("it waited for the holder before giving up")
                    .isGreaterThanOrEqualTo(java.time.Duration.ofMillis(500));
            // and the store's own open says what to do, without waiting for ever
            assertThatThrownBy(() -> Stores.open(null, dataDir, Map.of(), Clock.systemUTC()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("held by another process")
                    .hasMessageContaining("store.type: postgres");
        } finally {
            holder.destroyForcibly();
        }
    }
}
