package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class cache {@code java -jar} runs from: what it extracts, that it extracts only once, and that it never loads
 * classes another local user could have written (the attacker pre-creates or shares the cache directory).
 */
class ExtractedClassPathTest {

    @TempDir
    Path tmp;

    @Test
    void extractsTheClassPathInSpringBootsOrderOnceAndReusesIt() throws IOException {
        Path jar = fatJar("one", "b-1.0.jar", "b", "a-2.0.jar", "a");
        Path root = tmp.resolve("cache");

        List<Path> first = ExtractedClassPath.prepare(jar, root).jars();

        assertThat(first)
                .extracting(p -> p.getFileName().toString())
                .satisfiesExactly(
                        classes -> assertThat(classes).startsWith("ops-mcp-app-classes-"),
                        b -> assertThat(b).startsWith("b-1.0-").endsWith(".jar"),
                        a -> assertThat(a).startsWith("a-2.0-").endsWith(".jar"));
        assertThat(entryText(first.get(0), "io/opsmcp/app/marker.txt")).isEqualTo("one");
        assertThat(entryText(first.get(1), "content.txt")).isEqualTo("b");
        assertThat(entryText(first.get(2), "content.txt")).isEqualTo("a");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");

        FileTime written = Files.getLastModifiedTime(first.get(1));
        Files.setLastModifiedTime(first.get(1), FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime backdated = Files.getLastModifiedTime(first.get(1));
        assertThat(ExtractedClassPath.prepare(jar, root).jars()).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first.get(1)))
                .as("not written again")
                .isEqualTo(backdated);
    }

    @Test
    void aRebuiltJarGetsItsOwnClassPathAndSharesTheUnchangedLibraries() throws IOException {
        Path root = tmp.resolve("cache");
        List<Path> before = ExtractedClassPath.prepare(fatJar("one", "b-1.0.jar", "b", "a-2.0.jar", "a"), root)
                .jars();
        List<Path> after = ExtractedClassPath.prepare(fatJar("two", "b-1.0.jar", "b", "a-2.0.jar", "a changed"), root)
                .jars();

        assertThat(after.get(0)).isNotEqualTo(before.get(0));
        assertThat(entryText(after.get(0), "io/opsmcp/app/marker.txt")).isEqualTo("two");
        assertThat(after.get(1)).isEqualTo(before.get(1));
        assertThat(after.get(2)).isNotEqualTo(before.get(2));
        assertThat(entryText(after.get(2), "content.txt")).isEqualTo("a changed");
    }

    @Test
    void aCacheOthersCanWriteIsNotUsedEvenWithTheRightJarsInIt() throws IOException {
        Path jar = fatJar("one", "a-2.0.jar", "a");
        Path root = tmp.resolve("cache");
        List<Path> genuine = ExtractedClassPath.prepare(jar, root).jars();
        // Another user who can write the directory could have swapped any jar for their own classes.
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> ExtractedClassPath.prepare(jar, root))
                .isInstanceOf(ExtractedClassPath.UnsafeCache.class)
                .hasMessageContaining(root.toString())
                .hasMessageContaining("writable by group or others");

        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(genuine.get(1), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> ExtractedClassPath.prepare(jar, root))
                .isInstanceOf(ExtractedClassPath.UnsafeCache.class)
                .hasMessageContaining(genuine.get(1).toString());
    }

    @Test
    void aPlantedSymbolicLinkIsNotFollowed() throws IOException {
        Path jar = fatJar("one", "a-2.0.jar", "a");
        Path root = tmp.resolve("cache");
        List<Path> genuine = ExtractedClassPath.prepare(jar, root).jars();
        Path elsewhere = Files.copy(genuine.get(1), tmp.resolve("attacker.jar"));
        Files.delete(genuine.get(1));
        Files.createSymbolicLink(genuine.get(1), elsewhere);

        assertThatThrownBy(() -> ExtractedClassPath.prepare(jar, root))
                .isInstanceOf(ExtractedClassPath.UnsafeCache.class)
                .hasMessageContaining("symbolic link");

        Path linkedRoot = tmp.resolve("linked-cache");
        Files.createSymbolicLink(linkedRoot, root);
        assertThatThrownBy(() -> ExtractedClassPath.prepare(jar, linkedRoot))
                .isInstanceOf(ExtractedClassPath.UnsafeCache.class)
                .hasMessageContaining(linkedRoot.toString());
    }

    @Test
    void aCacheOwnedByAnotherUserIsNotUsed() throws IOException {
        Path jar = fatJar("one", "a-2.0.jar", "a");
        Path root = tmp.resolve("cache");
        ExtractedClassPath.prepare(jar, root);
        UserPrincipal nobody;
        try {
            nobody = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(root.resolve("jars"), nobody); // only root may give a file away
        } catch (IOException | UnsupportedOperationException e) {
            nobody = null;
        }
        assumeThat(nobody).as("needs root to make a directory another user's").isNotNull();

        assertThatThrownBy(() -> ExtractedClassPath.prepare(jar, root))
                .isInstanceOf(ExtractedClassPath.UnsafeCache.class)
                .hasMessageContaining(root.resolve("jars").toString())
                .hasMessageContaining("must be owned by");
    }

    @Test
    void theKeyIsTheCentralDirectoryEveryEntrysCrcAndSizeIncluded() throws IOException {
        Path one = fatJar("same", "a-2.0.jar", "a");
        Path two = fatJar("same", "a-2.0.jar", "a");
        Path three = fatJar("same", "a-2.0.jar", "b");

        assertThat(ExtractedClassPath.centralDirectoryDigest(one))
                .isEqualTo(ExtractedClassPath.centralDirectoryDigest(two))
                .isNotEqualTo(ExtractedClassPath.centralDirectoryDigest(three))
                .hasSize(64);
    }

    /** A Spring Boot-shaped jar: BOOT-INF/classes with a marker, nested jars (name, content pairs), classpath.idx. */
    private Path fatJar(String marker, String... libs) throws IOException {
        Path jar = Files.createTempFile(tmp, "fat", ".jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "BOOT-INF/classes/io/opsmcp/app/marker.txt", marker.getBytes(StandardCharsets.UTF_8));
            StringBuilder index = new StringBuilder();
            for (int i = 0; i < libs.length; i += 2) {
                put(out, "BOOT-INF/lib/" + libs[i], nested(libs[i + 1]));
                index.append("- \"BOOT-INF/lib/").append(libs[i]).append("\"\n");
            }
            put(out, "BOOT-INF/classpath.idx", index.toString().getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static byte[] nested(String content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            put(out, "content.txt", content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(0); // the same bytes give the same jar: the key must follow content, not time
        out.putNextEntry(entry);
        ((OutputStream) out).write(content);
        out.closeEntry();
    }

    private static String entryText(Path jar, String name) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry(name);
            assertThat(entry).as(name + " in " + jar).isNotNull();
            return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
