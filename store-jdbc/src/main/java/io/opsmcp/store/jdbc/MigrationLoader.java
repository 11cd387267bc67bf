package io.opsmcp.store.jdbc;

import io.opsmcp.store.jdbc.migration.FlywayMigration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Runs the schema migrations ({@link FlywayMigration}) with Flyway and its Jackson 2 (~960 classes, ~7 MiB of
 * idle RSS, used once per start of a new or older store and by nothing else) in a class loader of their own,
 * dropped when the migration returns, so that the next full collection unloads those classes and the JVM returns
 * their metaspace (JEP 387) instead of keeping them for the server's whole life.
 *
 * <p>The loader defines the classes of {@link #OWN} itself, from the bytes its parent (the application's loader)
 * finds for them, and delegates everything else to the parent: the JDBC driver, the pool, SLF4J and the migration
 * scripts are the application's, as before. Flyway is given this loader (where it looks for its plugins); the
 * migration runs on a thread of its own, so that no thread-local Flyway or Jackson sets (Jackson's buffer recycler)
 * outlives it. A class whose bytes the parent cannot show as a resource is the parent's, as it was before.
 */
final class MigrationLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    /** Flyway and Jackson 2 (not {@code com.fasterxml.jackson.annotation}: Jackson 3 shares it), and the runner. */
    static final List<String> OWN = List.of(
            "org.flywaydb.",
            "com.fasterxml.jackson.core.",
            "com.fasterxml.jackson.databind.",
            "com.fasterxml.jackson.dataformat.",
            "com.fasterxml.jackson.datatype.",
            FlywayMigration.class.getPackageName() + ".");

    /**
     * The classes' protection domain. Not the loader's default one, which refers to the loader: a thread started
     * while a migration is on the stack (a pool's connection adder) keeps the domains of the stack's classes in its
     * inherited access control context, and would keep the loader with them.
     */
    private static final ProtectionDomain DOMAIN =
            new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null);

    private MigrationLoader(ClassLoader parent) {
        super("ops-mcp-migrations", parent);
    }

    /**
     * Migrates the schema at {@code location} ({@code classpath:db/migration/h2}) and drops the loader. Returns
     * when the migration has ended, also when the calling thread is interrupted meanwhile (its interrupt status is
     * kept): the caller closes the pool when this fails.
     *
     * @return {@code null} when the schema is up to date, else Flyway's exception saying why it is not (which holds
     *     on to the loader for as long as it is kept)
     * @throws RuntimeException what Flyway threw that is not a {@code FlywayException}, as before
     */
    static RuntimeException migrate(DataSource dataSource, String location) {
        return migrate(dataSource, location, loader -> {});
    }

    /** As {@link #migrate(DataSource, String)}, showing the loader it made to {@code created} (tests). */
    static RuntimeException migrate(DataSource dataSource, String location, Consumer<ClassLoader> created) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    MigrationLoader loader = new MigrationLoader(MigrationLoader.class.getClassLoader());
                    created.accept(loader);
                    try {
                        @SuppressWarnings("unchecked")
                        BiFunction<DataSource, String, RuntimeException> run =
                                (BiFunction<DataSource, String, RuntimeException>)
                                        loader.loadClass(FlywayMigration.class.getName())
                                                .getConstructor()
                                                .newInstance();
                        failure.set(run.apply(dataSource, location));
                    } catch (ReflectiveOperationException e) {
                        thrown.set(new IllegalStateException("cannot load the schema migrations: " + e, e));
                    } catch (RuntimeException | Error e) {
                        thrown.set(e);
                    }
                },
                "store-migration");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = thrown.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error r) {
            throw r;
        }
        return failure.get();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!own(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = bytes(name);
                c = bytes == null ? getParent().loadClass(name) : defineClass(name, bytes, 0, bytes.length, DOMAIN);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean own(String name) {
        for (String prefix : OWN) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private byte[] bytes(String name) {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class " + name, e);
        }
    }
}
