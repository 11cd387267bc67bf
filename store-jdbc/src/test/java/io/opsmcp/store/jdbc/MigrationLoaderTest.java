package io.opsmcp.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.guard.StoreException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrations run with Flyway in a class loader of their own that nothing keeps once they are done. */
class MigrationLoaderTest {

    @TempDir
    Path tmp;

    private JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + tmp.resolve("db").toAbsolutePath());
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    @Test
    void flywayRunsInItsOwnLoaderWhichIsDroppedAfterwards() throws Exception {
        AtomicReference<WeakReference<ClassLoader>> seen = new AtomicReference<>();
        AtomicReference<String> flywayLoader = new AtomicReference<>();
        JdbcDataSource ds = h2();
        RuntimeException failure = MigrationLoader.migrate(ds, "classpath:db/migration/h2", loader -> {
            seen.set(new WeakReference<>(loader));
            try {
                flywayLoader.set(String.valueOf(loader.loadClass("org.flywaydb.core.Flyway")
                        .getClassLoader()
                        .getName()));
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        });

        assertThat(failure).isNull();
        assertThat(flywayLoader.get()).as("Flyway's defining loader").isEqualTo("ops-mcp-migrations");
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("DELETE FROM alerts"))
                    .as("V2's table exists")
                    .isZero();
        }
        // Nothing holds the loader (a thread, a thread-local, a static of the application's classes): a full
        // collection clears the reference, and with it the JVM unloads Flyway's classes. Bounded.
        for (int i = 0; i < 50 && seen.get().get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(seen.get().get())
                .as("the migrations' class loader, after they ran")
                .isNull();
    }

    @Test
    void aMigrationFlywayRefusesIsReportedAsBefore() throws Exception {
        Path data = tmp.resolve("data");
        try (Stores stores = Stores.open(null, data, Map.of(), Clock.systemUTC());
                Connection c = stores.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'");
        }
        assertThatThrownBy(() -> Stores.open(null, data, Map.of(), Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store: cannot migrate the schema of ")
                .hasMessageContaining("failed migration to version 2")
                .satisfies(e -> assertThat(e.getCause().getClass().getName()).startsWith("org.flywaydb.core."));
    }
}
