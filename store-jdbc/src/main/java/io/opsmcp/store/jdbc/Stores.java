package io.opsmcp.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.opsmcp.guard.StoreException;
import io.opsmcp.guard.approval.ApprovalStore;
import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.PrivateFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
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
    private final JdbcAlertStore alerts;
    private final AuditAnchor anchor;
    /** The data directory of the embedded store, {@code null} for PostgreSQL. */
    private final Path embeddedDir;

    private Stores(
            HikariDataSource dataSource,
            String description,
            boolean embedded,
            Clock clock,
            AuditAnchor anchor,
            Path dataDir) {
        this.dataSource = dataSource;
        this.embeddedDir = embedded ? dataDir : null;
        this.description = description;
        this.anchor = anchor;
        // A failed write (a full disk) makes H2 close the database under the pooled connections, and Hikari does
        // not recognise H2's error codes as fatal: drop them all, so the next call opens the file again and the
        // store recovers by itself once the disk has room.
        Runnable evict = () -> {
            var pool = dataSource.getHikariPoolMXBean();
            if (pool != null) {
                pool.softEvictConnections();
            }
        };
        this.audit = new JdbcAuditStore(dataSource, embedded, anchor, evict);
        this.approvals = new JdbcApprovalStore(dataSource, clock, embedded, evict);
        this.alerts = new JdbcAlertStore(dataSource, embedded, evict);
    }

    /**
     * Opens the stores described by the {@code store} section of the configuration.
     *
     * @param settings the {@code store} section ({@code null} or missing: the embedded default)
     * @param dataDir  the data directory; the embedded store is the file {@code <dataDir>/ops-mcp.mv.db}
     * @throws InvalidConfigException naming the setting when the section is invalid
     * @throws StoreException  when the database cannot be reached or migrated
     */
    public static Stores open(JsonNode settings, Path dataDir) {
        return open(settings, dataDir, System.getenv(), Clock.systemUTC());
    }

    /** As {@link #open(JsonNode, Path)}, with the environment and the clock given (tests). */
    public static Stores open(JsonNode settings, Path dataDir, Map<String, String> env, Clock clock) {
        StoreSettings store = StoreSettings.from(settings, dataDir, env);
        boolean embedded = StoreSettings.EMBEDDED.equals(store.type());
        PrivateFiles.directory(dataDir);
        // The embedded database stays open on the connection that checked its password until the pool holds its
        // own: H2 closes a database with its last connection, and opening it again (the file, the schema's SQL)
        // costs the background start ~0.1 s more.
        Connection checked = null;
        try {
            if (embedded) {
                String secret = checkedSecret(dataDir);
                checked = embeddedCredential(store, secret, dataDir);
                store = store.withPassword(secret);
            }
            AuditAnchor anchor = AuditAnchor.open(dataDir, env);
            HikariDataSource dataSource = pool(store);
            try {
                migrate(dataSource, store);
                if (embedded) {
                    PrivateFiles.tighten(dataDir);
                }
            } catch (RuntimeException e) {
                dataSource.close();
                throw e;
            }
            return new Stores(dataSource, store.type() + " " + store.displayUrl(), embedded, clock, anchor, dataDir);
        } finally {
            closeQuietly(checked);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the pool has its own connections; this one only kept the database open meanwhile
            }
        }
    }

    private static String checkedSecret(Path dataDir) {
        try {
            return PrivateFiles.secret(dataDir.resolve(SECRET_FILE));
        } catch (java.io.UncheckedIOException e) {
            throw new StoreException("store: " + e.getMessage(), e);
        }
    }

    /** File name of the embedded store's password in the data directory. */
    public static final String SECRET_FILE = "store.secret";

    /**
     * The embedded store's password: a random secret in {@value #SECRET_FILE} (0600), created on first use. A
     * database made by an older version with the empty password gets the secret set once. Returns a connection
     * that accepted the secret, open (the caller closes it once the pool is up, so the database is opened once).
     */
    private static Connection embeddedCredential(StoreSettings store, String secret, Path dataDir) {
        try {
            return whenReleased(store, secret, HELD_WAIT);
        } catch (SQLException e) {
            if (e.getErrorCode() != H2_WRONG_USER_OR_PASSWORD) {
                throw embeddedUnavailable(store, e);
            }
        }
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.user(), "");
                Statement s = c.createStatement()) {
            s.execute("ALTER USER " + store.user() + " SET PASSWORD '" + secret + "'"); // hex digits only
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_WRONG_USER_OR_PASSWORD) {
                throw new StoreException(
                        "store: the embedded database " + store.displayUrl() + " does not accept the" + " password in "
                                + dataDir.resolve(SECRET_FILE) + " (was the file replaced?)",
                        e);
            }
            throw embeddedUnavailable(store, e);
        }
        try {
            return DriverManager.getConnection(store.jdbcUrl(), store.user(), secret);
        } catch (SQLException e) {
            throw embeddedUnavailable(store, e);
        }
    }

    /**
     * How long opening the embedded store waits for another process to let go of its file before it fails as held:
     * long enough for a previous server on the same data_dir to finish shutting down (a client restarting its stdio
     * server starts the new one before the old one has closed the database), short enough that a second server
     * started by mistake is told so soon.
     */
    static final Duration HELD_WAIT = Duration.ofSeconds(10);

    private static final Duration HELD_POLL = Duration.ofMillis(250);

    /**
     * A connection to the embedded database with {@code password}, retried (resilience4j) every {@link #HELD_POLL}
     * while another process holds the file, for at most about {@code wait}; any other failure is thrown at once.
     *
     * @throws SQLException the last attempt's failure (error code {@value #H2_DATABASE_ALREADY_OPEN} when still held)
     */
    static Connection whenReleased(StoreSettings store, String password, Duration wait) throws SQLException {
        Retry retry = Retry.of(
                "embedded-store-held",
                RetryConfig.custom()
                        .maxAttempts((int) Math.max(1, wait.toMillis() / HELD_POLL.toMillis() + 1))
                        .waitDuration(HELD_POLL)
                        .retryOnException(
                                e -> e instanceof SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN)
                        .build());
        retry.getEventPublisher().onRetry(event -> {
            if (event.getNumberOfRetryAttempts() == 1) {
                org.slf4j.LoggerFactory.getLogger(Stores.class)
                        .info(
                                "store: {} is held by another process (a previous server shutting down?); waiting up"
                                        + " to {} s for it",
                                store.displayUrl(),
                                wait.toSeconds());
            }
        });
        try {
            return Retry.decorateCheckedSupplier(
                            retry, () -> DriverManager.getConnection(store.jdbcUrl(), store.user(), password))
                    .get();
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // getConnection throws nothing else
        }
    }

    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static StoreException embeddedUnavailable(StoreSettings store, SQLException e) {
        if (e.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
            return new StoreException(
                    "store: " + store.displayUrl() + " is held by another process (a running"
                            + " ops-mcp server with the same data_dir; its CLI commands go through it). One server owns an"
                            + " embedded store: give this one its own data_dir (--data-dir, OPS_MCP_DATA_DIR), or share"
                            + " approvals and audit between servers with store.type: postgres",
                    e);
        }
        return new StoreException("store: cannot open " + store.displayUrl() + ": " + rootMessage(e), e);
    }

    /** Whether the {@code store} section selects the embedded store (the default). */
    public static boolean isEmbedded(JsonNode settings) {
        return settings == null
                || settings.isMissingNode()
                || settings.isNull()
                || !settings.has("type")
                || StoreSettings.EMBEDDED.equals(settings.path("type").asString(""));
    }

    /** The alerts the webhook receivers took in (same database, same pool). */
    public io.opsmcp.alerts.AlertStore alerts() {
        return alerts;
    }

    /** The audit log. */
    public AuditStore audit() {
        return audit;
    }

    /** The signed checkpoints of the audit chain, kept outside the database. */
    public AuditAnchor anchor() {
        return anchor;
    }

    /**
     * Rehearses an audit append of {@code event}: its statements run in a transaction that is always rolled back,
     * so nothing is written (see {@code JdbcAuditStore#rehearseAppend}); the server's first-call warm-up uses it to
     * load the append's code before the first real call. Returns {@code false} when it was skipped because an
     * append was under way.
     *
     * @throws io.opsmcp.guard.audit.AuditUnavailableException the database failed
     */
    public boolean rehearseAuditAppend(io.opsmcp.guard.audit.AuditEvent event) {
        return audit.rehearseAppend(event);
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
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        anchor.close();
        if (embeddedDir != null) {
            try {
                PrivateFiles.tighten(embeddedDir); // files H2 made while running, e.g. a trace file after an error
            } catch (java.io.UncheckedIOException e) {
                org.slf4j.LoggerFactory.getLogger(Stores.class).warn("{}", e.getMessage());
            }
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
            throw new StoreException(
                    "store: cannot connect to " + store.displayUrl() + " as " + store.user() + ": " + rootMessage(e),
                    e);
        }
    }

    /**
     * The versions of the migrations in {@code db/migration/h2} and {@code db/migration/postgresql} (the same for
     * both; {@code StoresTest} keeps this list equal to the files).
     */
    static final java.util.Set<String> MIGRATIONS = java.util.Set.of("1", "2");

    private static void migrate(HikariDataSource dataSource, StoreSettings store) {
        if (upToDate(dataSource)) {
            return;
        }
        String vendor = StoreSettings.EMBEDDED.equals(store.type()) ? "h2" : "postgresql";
        RuntimeException e = MigrationLoader.migrate(dataSource, "classpath:db/migration/" + vendor);
        if (e != null) {
            throw new StoreException(
                    "store: cannot migrate the schema of " + store.displayUrl() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Whether Flyway's schema history lists exactly the bundled migrations, all applied successfully: then
     * {@code migrate()} would find nothing to do, and it costs ~400 classes and a scan of the class path for
     * migration scripts to find that out. Any other state (no history: a new store; an older store; a failed or
     * unknown migration) goes through Flyway, which migrates or reports it as before.
     */
    static boolean upToDate(DataSource dataSource) {
        java.util.Set<String> applied = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rows = s.executeQuery(
                        "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            while (rows.next()) {
                if (!rows.getBoolean(2)) {
                    return false;
                }
                applied.add(rows.getString(1));
            }
        } catch (SQLException e) {
            return false; // no history table yet: a new store
        }
        return applied.equals(MIGRATIONS);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
