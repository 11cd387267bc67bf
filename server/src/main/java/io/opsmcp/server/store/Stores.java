package io.opsmcp.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.opsmcp.server.config.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * Opens the configured database, brings its schema up to date (Flyway migrations, run on every start; safe
 * with several replicas starting at once) and hands out the approval and audit stores, which share one
 * connection pool. Close it to close both.
 *
 * <p>The embedded store is H2 2.x in file mode rather than SQLite: it is pure Java (no native library to ship
 * per platform), has MVCC with row locks and real {@code SELECT … FOR UPDATE} transactions, so the very same
 * JDBC code and Flyway migrations serve it and PostgreSQL — including the per-chain lock that serialises audit
 * appends and the conditional update that consumes an approval once. SQLite locks the whole file per writer
 * and has no {@code FOR UPDATE}, which would need a second code path. H2 has no redo log: every write of the
 * embedded stores is followed by {@code CHECKPOINT SYNC}, so it is in the file, fsynced, before the call
 * returns. H2 rewrites changed pages copy-on-write and reuses the space of superseded ones after its retention
 * time (45 s), so a burst of writes grows the file for a while before compaction shrinks it again.
 */
public final class Stores implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String description;
    private final JdbcAuditStore audit;
    private final JdbcApprovalStore approvals;

    private Stores(HikariDataSource dataSource, String description, boolean embedded, Clock clock) {
        this.dataSource = dataSource;
        this.description = description;
        this.audit = new JdbcAuditStore(dataSource, embedded);
        this.approvals = new JdbcApprovalStore(dataSource, clock, embedded);
    }

    /**
     * Opens the stores described by the {@code store} section of the configuration.
     *
     * @param settings the {@code store} section ({@code null} or missing: the embedded default)
     * @param dataDir  the data directory; the embedded store is the file {@code <dataDir>/ops-mcp.mv.db}
     * @throws ConfigException naming the setting when the section is invalid
     * @throws StoreException  when the database cannot be reached or migrated
     */
    public static Stores open(JsonNode settings, Path dataDir) {
        return open(settings, dataDir, System.getenv(), Clock.systemUTC());
    }

    /** As {@link #open(JsonNode, Path)}, with the environment and the clock given (tests). */
    public static Stores open(JsonNode settings, Path dataDir, Map<String, String> env, Clock clock) {
        StoreSettings store = StoreSettings.from(settings, dataDir, env);
        if (StoreSettings.EMBEDDED.equals(store.type())) {
            prepareEmbedded(dataDir);
        }
        HikariDataSource dataSource = pool(store);
        try {
            migrate(dataSource, store);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Stores(dataSource, store.type() + " " + store.displayUrl(),
                StoreSettings.EMBEDDED.equals(store.type()), clock);
    }

    /** The audit log. */
    public AuditStore audit() {
        return audit;
    }

    /** The approvals. */
    public ApprovalStore approvals() {
        return approvals;
    }

    /** For logs and messages: type and URL without credentials, e.g. {@code postgres jdbc:postgresql://db/ops}. */
    public String description() {
        return description;
    }

    /** The shared pool (tests and tools that inspect the tables). */
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void prepareEmbedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ConfigException("data_dir: cannot create " + dataDir + " (" + e.getMessage() + ")");
        }
        // H2 reads this once, when its classes load; without it the AUTO_SERVER port of the embedded file
        // would listen on every interface instead of loopback only.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private static HikariDataSource pool(StoreSettings store) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ops-mcp-store");
        config.setJdbcUrl(store.jdbcUrl());
        config.setUsername(store.user());
        config.setPassword(store.password());
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        // A call waiting for the audit store is a call held up: fail fast and refuse the mutation instead.
        config.setConnectionTimeout(5_000);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("store: cannot connect to " + store.displayUrl() + " as " + store.user()
                    + ": " + rootMessage(e), e);
        }
    }

    private static void migrate(HikariDataSource dataSource, StoreSettings store) {
        String vendor = StoreSettings.EMBEDDED.equals(store.type()) ? "h2" : "postgresql";
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/" + vendor)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("store: cannot migrate the schema of " + store.displayUrl() + ": "
                    + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
