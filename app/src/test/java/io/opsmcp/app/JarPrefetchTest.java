package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background opening of the class path's jars: which jars it finds for each kind of class loader, and that it
 * leaves every jar open once (the class loader's), holding none of its own, so it costs no memory the class loader
 * would not spend, and that what the loader finds is unchanged.
 */
class JarPrefetchTest {

    @TempDir
    Path tmp;

    @Test
    void findsAUrlClassLoadersJarsInItsOrderAndSkipsWhatIsNotAJarFile() throws IOException {
        Path a = jar("a.jar", "a.txt", "a", null);
        Path b = jar("b.jar", "b.txt", "b", null);
        URL[] urls = {
            a.toUri().toURL(),
            tmp.toUri().toURL(),
            new URL("http://127.0.0.1/c.jar"),
            b.toUri().toURL()
        };
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            assertThat(JarPrefetch.classPath(loader)).containsExactly(a, b);
        }
    }

    @Test
    void opensFromPicoclisJarBackThenFromTheLastJarBack() {
        List<Path> jars = Stream.of("app.jar", "a.jar", "picocli-4.7.7.jar", "b.jar", "c.jar")
                .map(Path::of)
                .toList();
        assertThat(JarPrefetch.order(jars))
                .extracting(Path::toString)
                .containsExactly("picocli-4.7.7.jar", "a.jar", "app.jar", "c.jar", "b.jar");
        assertThat(JarPrefetch.order(jars.subList(3, 5)))
                .as("no picocli: last first")
                .extracting(Path::toString)
                .containsExactly("c.jar", "b.jar");
    }

    @Test
    void aLoaderThatIsNeitherAUrlClassLoaderNorTheApplicationOneHasNoJars() {
        ClassLoader other = new ClassLoader(null) {};
        assertThat(JarPrefetch.classPath(other)).isEmpty();
    }

    @Test
    void readsTheManifestClassPathOfTheApplicationClassPathsJar() throws IOException {
        // the layout scripts/startup-cache.sh runs from: one jar whose manifest names lib/*.jar
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path x = jar("lib/x 1.jar", "x.txt", "x", null);
        Path y = jar("lib/y.jar", "y.txt", "y", null);
        Path app = jar("app.jar", "app.txt", "app", "lib/x%201.jar lib/y.jar lib/gone.jar");
        String saved = System.getProperty("java.class.path");
        try {
            System.setProperty("java.class.path", app.toString());
            assertThat(JarPrefetch.classPath(ClassLoader.getSystemClassLoader()))
                    .containsExactly(app, x, y, lib.resolve("gone.jar"));
        } finally {
            System.setProperty("java.class.path", saved);
        }
    }

    @Test
    void leavesEachJarOpenByTheLoaderAloneAndTheLoaderFindsWhatItDidBefore() throws IOException {
        assumeThat(Path.of("/proc/self/fd")).isDirectory();
        List<Path> jars = new ArrayList<>();
        List<URL> urls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path jar = jar("j" + i + ".jar", "r" + i + ".txt", "content " + i, null);
            jars.add(jar);
            urls.add(jar.toUri().toURL());
        }
        Path missing = tmp.resolve("missing.jar");
        jars.add(missing);
        urls.add(missing.toUri().toURL());
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            assertThat(openDescriptors(jars)).isZero();

            JarPrefetch.open(loader, jars);

            // the loader's own handles, one per existing jar; none of the prefetch's is left
            for (int i = 0; i < 5; i++) {
                assertThat(openDescriptors(List.of(jars.get(i))))
                        .as("j%d.jar", i)
                        .isEqualTo(1);
                try (var in = loader.getResourceAsStream("r" + i + ".txt")) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("content " + i);
                }
            }
            assertThat(loader.getResource(JarPrefetch.ABSENT)).isNull();
        }
        // a handle the prefetch kept would keep its jar (and the jar's directory in memory) open past the loader
        assertThat(openDescriptors(jars)).as("open after the loader closed").isZero();
    }

    /** How many of this process's file descriptors are open on one of {@code files}. */
    private static long openDescriptors(List<Path> jars) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path jar : jars) {
            if (Files.exists(jar)) {
                files.add(jar.toRealPath());
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return files.contains(Files.readSymbolicLink(fd));
                        } catch (IOException e) {
                            return false; // closed meanwhile (the listing's own descriptor)
                        }
                    })
                    .count();
        }
    }

    private Path jar(String name, String entry, String content, String classPath) throws IOException {
        Path jar = tmp.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
