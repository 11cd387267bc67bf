package io.opsmcp.store.jdbc.migration;

import java.util.function.BiFunction;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Runs Flyway's {@code migrate()} on a data source for one location ({@code classpath:db/migration/h2}); returns
 * {@code null} when the schema is up to date afterwards, else the {@link FlywayException} that says why not (any
 * other exception is thrown). Public with a public constructor and only JDK types in its signature because the store
 * loads it in its own class loader, with Flyway, and calls it through {@link BiFunction} (see {@code
 * io.opsmcp.store.jdbc.MigrationLoader}); Flyway finds its plugins in that loader.
 */
public final class FlywayMigration implements BiFunction<DataSource, String, RuntimeException> {

    /** For the class loader that instantiates it reflectively. */
    public FlywayMigration() {}

    @Override
    public RuntimeException apply(DataSource dataSource, String location) {
        try {
            Flyway.configure(FlywayMigration.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(location)
                    .load()
                    .migrate();
            return null;
        } catch (FlywayException e) {
            return e;
        }
    }
}
