package io.opsmcp.app;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Opens the jars of the class path on a background thread while the main thread starts.
 *
 * <p>Why: the first class-path-wide lookup (a {@code ServiceLoader}, a probe for a class that is not there) opens
 * every one of the ~200 jars in class-path order, reading each one's central directory (~9 MB in all), and before
 * a stdio server answers {@code initialize} that happens on the main thread (measured ~100-200 ms of it, more under
 * load). A jar's central directory is read once per file and shared by every {@link JarFile} open on that file
 * (the JDK's {@code ZipFile.Source}), so the ones opened here are the ones the class loader then finds already read
 * (in the order of {@link #order}).
 *
 * <p>When every jar is open here, one resource lookup through {@code loader} has the class loader open them all
 * (now cheap: each one's directory is already read), and only then are this thread's own handles closed, so no
 * directory is read twice and none is kept that the class loader does not hold: memory as without this thread.
 * It only reads files the class loader would read; a jar that cannot be opened is skipped (the class loader
 * reports its own errors). A speed hint only: nothing waits for it, and it ends by itself.
 */
final class JarPrefetch {

    /** A resource no jar holds: looking it up makes the class loader open every jar of its path. */
    static final String ABSENT = "META-INF/io.opsmcp.app.JarPrefetch.absent";

    private JarPrefetch() {}

    /** Starts the background thread for the class path of {@code loader} (nothing when it has under two jars). */
    static void start(ClassLoader loader) {
        List<Path> jars = classPath(loader);
        if (jars.size() < 2) {
            return;
        }
        Thread thread = new Thread(() -> open(loader, jars), "ops-mcp-jar-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The order to open {@code jars} in: from the command-line library's jar (picocli, the first the main thread
     * needs from the class path: under {@code startup-cache.sh} everything else before the answer comes from the
     * class cache) back to the first jar, then from the last jar back. The main thread opens the jars from the
     * first on to reach picocli's; this thread, from picocli's down, so the two meet halfway instead of both reading
     * the same jars, and it then opens the rest, which the first class-path-wide lookup needs, while the main thread
     * runs. Last first for all of them when no jar is picocli's.
     */
    static List<Path> order(List<Path> jars) {
        int first = jars.size() - 1;
        for (int i = 0; i < jars.size(); i++) {
            if (jars.get(i).getFileName().toString().startsWith("picocli-")) {
                first = i;
                break;
            }
        }
        List<Path> order = new ArrayList<>(jars.size());
        for (int i = first; i >= 0; i--) {
            order.add(jars.get(i));
        }
        for (int i = jars.size() - 1; i > first; i--) {
            order.add(jars.get(i));
        }
        return order;
    }

    /** Opens {@code jars} in {@link #order}, has {@code loader} open them all, then closes this thread's handles. */
    static void open(ClassLoader loader, List<Path> jars) {
        List<JarFile> opened = new ArrayList<>(jars.size());
        try {
            for (Path jar : order(jars)) {
                try {
                    opened.add(new JarFile(jar.toFile(), false));
                } catch (IOException | RuntimeException e) {
                    // skipped: the class loader reports its own errors
                }
            }
            Enumeration<URL> none = loader.getResources(ABSENT);
            while (none.hasMoreElements()) {
                none.nextElement();
            }
        } catch (IOException | RuntimeException e) {
            // a speed hint only
        } finally {
            for (JarFile jar : opened) {
                try {
                    jar.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /**
     * The jar files {@code loader} loads from, in its order: a {@link URLClassLoader}'s {@code file:} jars (the
     * extracted class path of {@code java -jar}), or, for the application class loader, {@code java.class.path}
     * with the {@code Class-Path} of each jar's manifest (the extracted jar of {@code scripts/startup-cache.sh}).
     */
    static List<Path> classPath(ClassLoader loader) {
        List<Path> jars = new ArrayList<>();
        if (loader instanceof URLClassLoader urls) {
            for (URL url : urls.getURLs()) {
                jarFile(url.toString()).ifPresent(jars::add);
            }
            return jars;
        }
        if (loader != ClassLoader.getSystemClassLoader()) {
            return jars;
        }
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            Path jar = Path.of(entry).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                continue;
            }
            jars.add(jar);
            jars.addAll(manifestClassPath(jar));
        }
        return jars;
    }

    /** The jars named by the {@code Class-Path} of {@code jar}'s manifest (relative URLs, resolved against it). */
    private static List<Path> manifestClassPath(Path jar) {
        List<Path> jars = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String value =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null) {
                return jars;
            }
            URI base = jar.toUri();
            for (String entry : value.trim().split("\\s+")) {
                if (!entry.isEmpty()) {
                    jarFile(base.resolve(entry).toString()).ifPresent(jars::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a speed hint only: no prefetch for this jar's class path
        }
        return jars;
    }

    private static Optional<Path> jarFile(String url) {
        if (!url.startsWith("file:") || !url.endsWith(".jar")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(new URI(url)));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
