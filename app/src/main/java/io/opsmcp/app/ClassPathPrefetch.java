package io.opsmcp.app;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Opens the class path's jars on a background thread when the application runs from the JDK's own class path
 * loader, as under the fast start ({@code startup-cache.sh}: {@code java -XX:SharedArchiveFile=… -jar
 * DEST/ops-mcp.jar}, the libraries named by the jar's {@code Class-Path}). That loader opens every jar of its class
 * path at the first lookup of a name no jar holds or of a service file ({@code ServiceLoader}), which the start makes
 * on its main thread before it answers {@code initialize} (toolset discovery, SLF4J, the MCP SDK): reading their
 * central directories (~200 jars) then runs beside picocli on this thread. The JDK shares one read central
 * directory between every {@code JarFile} open on the same file, so the loader's own later opens find it read; then
 * one lookup of an absent name makes the loader hold them all before this thread closes its own, and nothing is read
 * twice. Not under Spring Boot's nested loader or the extracted class path's {@link IndexedClassLoader}, which opens
 * only the jars that may hold a name: there it would open jars the start does not.
 *
 * <p>The first jar of the class path (picocli's, app/pom.xml) is left to the main thread, which needs it at once.
 * The others are opened from the last back, so that a main thread which gets there first meets this one halfway
 * rather than reading the same jars at the same time. Failures are ignored: the class loader reports its own.
 */
final class ClassPathPrefetch {

    /** A resource name no jar holds: looking it up makes the class path loader open every jar. */
    static final String ABSENT = "META-INF/ops-mcp/class-path-prefetch.absent";

    private ClassPathPrefetch() {}

    /**
     * Starts the prefetch (a daemon thread) when {@code loader} is the system class loader, the one the JDK builds
     * from {@code java.class.path}; otherwise does nothing. Returns the thread, or null when none was started.
     */
    static Thread startIfClassPathLoader(ClassLoader loader) {
        if (loader == null || loader != ClassLoader.getSystemClassLoader()) {
            return null;
        }
        Thread thread =
                new Thread(() -> run(loader, System.getProperty("java.class.path", "")), "ops-mcp-jar-prefetch");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Opens the jars of {@code classPath} but its first library, then has {@code loader} open them, then closes. */
    static void run(ClassLoader loader, String classPath) {
        List<File> jars = libraries(classPath);
        List<JarFile> open = new ArrayList<>();
        try {
            for (int i = jars.size() - 1; i >= 1; i--) {
                try {
                    open.add(new JarFile(jars.get(i)));
                } catch (IOException | RuntimeException e) {
                    // absent or damaged: the class loader reports it when it needs the jar
                }
            }
            loader.getResource(ABSENT);
        } finally {
            for (JarFile jar : open) {
                try {
                    jar.close();
                } catch (IOException e) {
                    // closing a read-only jar: nothing to report
                }
            }
        }
    }

    /**
     * The jars of the class path in the loader's order, without the application's own: for one jar, the jars its
     * manifest's {@code Class-Path} names (relative to the jar's directory); for a list, the list after its first.
     */
    static List<File> libraries(String classPath) {
        List<File> jars = new ArrayList<>();
        if (classPath.isEmpty()) {
            return jars;
        }
        String[] parts = classPath.split(File.pathSeparator);
        if (parts.length > 1) {
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].endsWith(".jar")) {
                    jars.add(new File(parts[i]));
                }
            }
            return jars;
        }
        File app = new File(parts[0]);
        if (!app.isFile()) {
            return jars;
        }
        String manifestClassPath;
        try (JarFile jar = new JarFile(app)) {
            manifestClassPath = jar.getManifest() == null
                    ? null
                    : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException | RuntimeException e) {
            return jars;
        }
        if (manifestClassPath == null) {
            return jars;
        }
        URI base = app.getAbsoluteFile().getParentFile().toURI();
        for (String entry : manifestClassPath.trim().split("\\s+")) {
            try {
                URI uri = base.resolve(entry);
                if ("file".equals(uri.getScheme()) && entry.endsWith(".jar")) {
                    jars.add(Path.of(uri).toFile());
                }
            } catch (IllegalArgumentException e) {
                // the JDK's loader skips such an entry too
            }
        }
        return jars;
    }
}
