package io.opsmcp.server.adversarial;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real 8 MiB tmpfs mounted on a directory, for a disk that a test fills to the last byte ({@link #fill()}) and frees
 * again ({@link #free()}). Mounting needs root (CI
 * runs as root); where it is not allowed the calling test is skipped, saying why. {@link #close()} unmounts it.
 */
final class SmallDisk implements AutoCloseable {

    private final Path path;

    private SmallDisk(Path path) {
        this.path = path;
    }

    /** Mounts a fresh tmpfs on {@code dir} (created if needed), or skips the test. */
    static SmallDisk mountOrSkip(Path dir) throws Exception {
        assumeTrue(LocalAttacker.root(), "needs root to mount a small tmpfs as the full disk; CI runs as root");
        Path disk = Files.createDirectories(dir);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes());
        assumeTrue(
                mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "mount -t tmpfs is not allowed here: " + output.strip());
        return new SmallDisk(disk);
    }

    /** Where the disk is mounted. */
    Path path() {
        return path;
    }

    /** Fills the disk to the last byte (two filler files: 64 KiB blocks, then 512-byte ones, each bounded). */
    void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(path.resolve("filler"))) {
            for (int i = 0; i < 1_000; i++) { // bounded: 64 MiB at most, the disk has 8
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full: what we wanted
        }
        // and the last few bytes, so not even a small page fits
        try (OutputStream out = Files.newOutputStream(path.resolve("filler-2"))) {
            for (int i = 0; i < 100_000; i++) {
                out.write(block, 0, 512);
            }
        } catch (IOException full) {
            // full to the byte
        }
    }

    /** Gives the room {@link #fill()} took back. */
    void free() throws IOException {
        Files.deleteIfExists(path.resolve("filler"));
        Files.deleteIfExists(path.resolve("filler-2"));
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", "-l", path.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
