package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The indexed loader answers every lookup as a plain {@link URLClassLoader} over the same jars (which copy wins,
 * resource URLs, multi-release entries, directories, code sources) while opening only the jars that hold the name:
 * a {@link ServiceLoader} lookup or a probe for an absent class must not open the whole class path again (each open
 * jar keeps its central directory in the heap: ~9 MiB of idle heap for the shipped jar's ~200 jars).
 */
class IndexedClassLoaderTest {

    @TempDir
    Path tmp;

    /** A class the test puts into jars as bytes, loaded from them (not from the test's class path). */
    public static final class Probe implements Runnable {
        @Override
        public void run() {}
    }

    private static final String PROBE = Probe.class.getName();
    private static final String SERVICE = "META-INF/services/" + Runnable.class.getName();

    private List<Path> classPath() throws IOException {
        byte[] probe;
        try (InputStream in = Probe.class.getResourceAsStream("/" + PROBE.replace('.', '/') + ".class")) {
            probe = in.readAllBytes();
        }
        String probePath = PROBE.replace('.', '/') + ".class";
        List<Path> jars = new ArrayList<>();
        jars.add(jar("0-app", null, "content.txt", "app", "a/b/", null, "a/b/c.txt", "app c"));
        jars.add(jar("1-lib", null, "content.txt", "lib", "x/y/z.txt", "z", "spaced dir/ü $1.txt", "odd"));
        jars.add(jar("2-probe", null, probePath, probe, SERVICE, PROBE + "\n", "a/b/c.txt", "probe c"));
        jars.add(jar(
                "3-multi",
                "Multi-Release",
                "m/v.txt",
                "base",
                "META-INF/versions/9/m/v.txt",
                "nine",
                "META-INF/versions/9/m/only9.txt",
                "only nine"));
        jars.add(jar("4-probe-again", null, probePath, probe, SERVICE, PROBE + "\n"));
        for (int i = 5; i < 20; i++) {
            jars.add(jar(i + "-unrelated", null, "u" + i + "/thing.txt", "u"));
        }
        // a shaded jar's left-over empty (versioned) directory in the package of a later jar
        jars.add(jar("20-shaded", "Multi-Release", "META-INF/versions/11/s/t/inner/", null, "shaded/s/t/X.txt", "x"));
        jars.add(jar("21-real", null, "s/t/real.txt", "real"));
        return jars;
    }

    @Test
    void answersEveryLookupAsTheUrlClassLoaderDoes() throws Exception {
        List<Path> jars = classPath();
        List<String> names = List.of(
                "content.txt",
                "a/b/c.txt",
                "a/b/",
                "a/b",
                "a/",
                "a",
                "x/y/z.txt",
                "x/y/absent.txt",
                "absent.txt",
                "spaced dir/ü $1.txt",
                SERVICE,
                "META-INF/MANIFEST.MF",
                "META-INF/",
                "META-INF/absent",
                "m/v.txt",
                "m/only9.txt",
                "META-INF/versions/9/m/v.txt",
                PROBE.replace('.', '/') + ".class",
                "/content.txt",
                "",
                "u7/thing.txt",
                "u7/",
                "s/t/real.txt",
                "s/t/inner/",
                "s/t/inner",
                "s/t/");
        try (URLClassLoader plain = new URLClassLoader(urls(jars), null);
                IndexedClassLoader indexed = new IndexedClassLoader("t", jars, ExtractedClassPath.index(jars), null)) {
            for (String name : names) {
                assertThat(String.valueOf(indexed.getResource(name)))
                        .as(name)
                        .isEqualTo(String.valueOf(plain.getResource(name)));
                assertThat(Collections.list(indexed.getResources(name)).toString())
                        .as(name)
                        .isEqualTo(Collections.list(plain.getResources(name)).toString());
                try (InputStream a = indexed.getResourceAsStream(name);
                        InputStream b = plain.getResourceAsStream(name)) {
                    assertThat(a == null ? null : new String(a.readAllBytes(), StandardCharsets.UTF_8))
                            .as(name)
                            .isEqualTo(b == null ? null : new String(b.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Class<?> mine = indexed.loadClass(PROBE);
            Class<?> theirs = plain.loadClass(PROBE);
            assertThat(mine.getClassLoader()).isSameAs(indexed);
            assertThat(mine.getProtectionDomain().getCodeSource().getLocation())
                    .isEqualTo(theirs.getProtectionDomain().getCodeSource().getLocation())
                    .isEqualTo(jars.get(2).toUri().toURL());
            assertThat(mine.getPackage().getName())
                    .isEqualTo(theirs.getPackage().getName());
            assertThat(ServiceLoader.load(Runnable.class, indexed).stream().<Class<?>>map(p -> p.type()))
                    .containsExactly(mine);
            assertThatThrownBy(() -> indexed.loadClass("groovy.lang.Closure"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> indexed.loadClass(PROBE + "Absent")).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void aServiceLookupOrAProbeForAnAbsentClassOpensOnlyTheJarsThatHoldTheName() throws Exception {
        List<Path> jars = classPath();
        try (IndexedClassLoader loader = new IndexedClassLoader("t", jars, ExtractedClassPath.index(jars), null)) {
            assertThat(ServiceLoader.load(Runnable.class, loader).stream().count())
                    .isEqualTo(1);
            assertThatThrownBy(() -> loader.loadClass("groovy.lang.Closure"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(loader.getResource("logback-test.xml")).isNull();
            assertThat(loader.getResources("META-INF/services/absent.Service").hasMoreElements())
                    .isFalse();
            assertThat(loader.getResource("s/t/real.txt")).isNotNull();

            assertThat(loader.openJars()).containsExactly(jars.get(2), jars.get(4), jars.get(21));
        }
    }

    @Test
    void theIndexSurvivesTheCacheAndADamagedOneIsRebuilt() throws Exception {
        Path fat = tmp.resolve("fat.jar");
        List<Path> libs = classPath();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fat))) {
            put(out, "BOOT-INF/classes/io/opsmcp/app/marker.txt", "m".getBytes(StandardCharsets.UTF_8));
            StringBuilder idx = new StringBuilder();
            for (Path lib : libs) {
                put(out, "BOOT-INF/lib/" + lib.getFileName(), Files.readAllBytes(lib));
                idx.append("- \"BOOT-INF/lib/").append(lib.getFileName()).append("\"\n");
            }
            put(out, "BOOT-INF/classpath.idx", idx.toString().getBytes(StandardCharsets.UTF_8));
        }
        Path root = tmp.resolve("cache");
        ExtractedClassPath.ClassPath first = ExtractedClassPath.prepare(fat, root);
        ExtractedClassPath.ClassPath again = ExtractedClassPath.prepare(fat, root);

        assertThat(again.jars()).isEqualTo(first.jars());
        assertThat(keys(again.index()))
                .isEqualTo(keys(first.index()))
                .contains("1,3 a/b/", "3,5 " + SERVICE); // the app's classes are jar 0

        Path list;
        try (var files = Files.list(root.resolve("classpaths"))) {
            list = files.findFirst().orElseThrow();
        }
        Files.writeString(list, Files.readString(list).replace("3,5 " + SERVICE, "3,99 " + SERVICE));
        ExtractedClassPath.ClassPath rebuilt = ExtractedClassPath.prepare(fat, root);
        assertThat(keys(rebuilt.index())).isEqualTo(keys(first.index()));
        assertThat(Files.readString(list)).contains("3,5 " + SERVICE);
    }

    private static List<String> keys(IndexedClassLoader.Index index) {
        List<String> keys = new ArrayList<>();
        index.keys().forEach((k, at) -> {
            StringBuilder s = new StringBuilder();
            for (int i : at) {
                s.append(s.length() == 0 ? "" : ",").append(i);
            }
            keys.add(s + " " + k);
        });
        Collections.sort(keys);
        return keys;
    }

    private static URL[] urls(List<Path> jars) throws IOException {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }

    /** A jar named {@code name}.jar with (entry, content) pairs; content null for a directory entry. */
    private Path jar(String name, String manifestFlag, Object... entries) throws IOException {
        Path jar = tmp.resolve(name + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (manifestFlag != null) {
            manifest.getMainAttributes().putValue(manifestFlag, "true");
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (int i = 0; i < entries.length; i += 2) {
                Object content = entries[i + 1];
                put(
                        out,
                        (String) entries[i],
                        content == null
                                ? null
                                : content instanceof byte[] b
                                        ? b
                                        : ((String) content).getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0);
        out.putNextEntry(entry);
        if (content != null) {
            ((OutputStream) out).write(content);
        }
        out.closeEntry();
    }
}
