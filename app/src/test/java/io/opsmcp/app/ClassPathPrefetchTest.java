package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast start's jar prefetch: which jars it reads (those the JDK's class path loader would, from the manifest's
 * {@code Class-Path} or a {@code -cp} list), that it stays off under any other loader (the extracted class path's
 * {@link IndexedClassLoader} opens only the jars a name may be in; {@code ClassCacheOpenJarsIT} checks the shipped
 * jar), and that a missing or damaged jar neither fails it nor changes what the loader finds.
 */
class ClassPathPrefetchTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheJarsTheManifestsClassPathNamesInItsOrder() throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("dest/lib"));
        Path app = jar(tmp.resolve("dest/ops-mcp.jar"), "lib/picocli-4.7.7.jar lib/b-1.0.jar lib/a%20b.jar", "x", "x");

        List<File> jars = ClassPathPrefetch.libraries(app.toString());

        assertThat(jars)
                .containsExactly(
                        lib.resolve("picocli-4.7.7.jar").toFile(),
                        lib.resolve("b-1.0.jar").toFile(),
                        lib.resolve("a b.jar").toFile());
    }

    @Test
    void readsAClassPathListAfterItsFirstEntry() {
        String classPath = String.join(File.pathSeparator, "/d/app.jar", "/d/lib/p.jar", "/d/classes", "/d/lib/q.jar");

        assertThat(ClassPathPrefetch.libraries(classPath))
                .containsExactly(new File("/d/lib/p.jar"), new File("/d/lib/q.jar"));
        assertThat(ClassPathPrefetch.libraries("")).isEmpty();
        assertThat(ClassPathPrefetch.libraries(tmp.resolve("absent.jar").toString()))
                .isEmpty();
    }

    @Test
    void staysOffUnderAnyLoaderButTheSystemClassPathLoader() throws IOException {
        try (URLClassLoader other = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertThat(ClassPathPrefetch.startIfClassPathLoader(other)).isNull();
        }
        assertThat(ClassPathPrefetch.startIfClassPathLoader(null)).isNull();
    }

    @Test
    void aMissingOrDamagedJarNeitherFailsItNorChangesWhatTheLoaderFinds() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("dest/lib"));
        jar(lib.resolve("first.jar"), null, "content.txt", "first");
        Files.writeString(lib.resolve("damaged.jar"), "not a zip");
        jar(lib.resolve("last.jar"), null, "content.txt", "last");
        Path app = jar(
                tmp.resolve("dest/ops-mcp.jar"),
                "lib/first.jar lib/missing.jar lib/damaged.jar lib/last.jar",
                "app.txt",
                "app");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {
                    app.toUri().toURL(),
                    lib.resolve("first.jar").toUri().toURL(),
                    lib.resolve("last.jar").toUri().toURL()
                },
                ClassLoader.getPlatformClassLoader())) {
            ClassPathPrefetch.run(loader, app.toString());

            assertThat(loader.getResource(ClassPathPrefetch.ABSENT)).isNull();
            try (var in = loader.getResourceAsStream("content.txt")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("first");
            }
        }
    }

    /** Writes a jar with one text entry and, unless null, a manifest {@code Class-Path}. */
    private static Path jar(Path path, String classPath, String name, String content) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return path;
    }
}
