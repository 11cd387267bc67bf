package io.opsmcp.guard.audit;

import io.opsmcp.core.config.InvalidConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files only the service user may read: the data directory ({@code 0700}) and what is in it ({@code 0600}).
 * Java cannot set the process umask, so files are created with their permissions where we create them, and the
 * files H2 creates itself are tightened after it opened them; the {@code 0700} directory is what keeps other
 * local users out in between. On file systems without POSIX permissions (Windows) this does nothing.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Creates the directory (and missing parents) as {@code 0700}, or tightens an existing one to {@code 0700}.
     *
     * @throws InvalidConfigException naming {@code data_dir} when it cannot be created or tightened
     */
    public static void directory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attributes(dir.getParent(), DIR));
            }
            if (posix(dir)) {
                Files.setPosixFilePermissions(dir, DIR);
            }
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "data_dir: cannot create " + dir + " with mode 0700 (" + e.getMessage() + ")");
        }
    }

    /** Sets every regular file directly in {@code dir} to {@code 0600} (files H2 created with the umask). */
    public static void tighten(Path dir) {
        if (!posix(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(f, FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot restrict the files in " + dir + " to mode 0600: " + e.getMessage(), e);
        }
    }

    /**
     * The secret in {@code file} (64 hex digits), created with 32 random bytes and mode {@code 0600} on first use.
     * Two processes creating it at once agree: the loser of the exclusive create reads the winner's.
     *
     * @throws UncheckedIOException when the file cannot be read or created
     */
    public static String secret(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                try {
                    Files.writeString(
                            Files.createFile(file, attributes(file.getParent(), FILE)),
                            HexFormat.of().formatHex(random) + "\n",
                            StandardCharsets.US_ASCII,
                            StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!secret.matches("[0-9a-f]{64}")) {
                throw new IOException("expected 64 hex digits");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creation attributes for a new file or directory in {@code parent}: the given mode where POSIX applies. */
    static FileAttribute<?>[] attributes(Path parent, Set<PosixFilePermission> mode) {
        Path probe = parent;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        return probe != null && posix(probe)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }

    /** Mode {@code 0600} attributes for a new file in {@code dir}. */
    static FileAttribute<?>[] fileAttributes(Path dir) {
        return attributes(dir, FILE);
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
