package io.opsmcp.tools.runbooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One loaded set of runbooks and its search index: what the toolset serves, replaced whole when the operator
 * directories change (so a search never sees half of a reload). The Lucene index is built on first use, once.
 * Old libraries are not closed on reload: a search may still be running on one, and an in-memory index holds
 * nothing but heap, which the garbage collector reclaims.
 */
final class RunbookLibrary implements AutoCloseable {

    private final Map<String, Runbook> byId;
    private final String fingerprint;
    private volatile RunbookIndex index;

    /**
     * @param runbooks    in load order; ids unique
     * @param fingerprint {@link #fingerprint(List)} of the directories they were loaded from
     */
    RunbookLibrary(List<Runbook> runbooks, String fingerprint) {
        Map<String, Runbook> m = new LinkedHashMap<>();
        runbooks.forEach(r -> m.put(r.id(), r));
        this.byId = Collections.unmodifiableMap(m);
        this.fingerprint = fingerprint;
    }

    Map<String, Runbook> byId() {
        return byId;
    }

    String fingerprint() {
        return fingerprint;
    }

    RunbookIndex index() {
        RunbookIndex i = index;
        if (i == null) {
            synchronized (this) {
                i = index;
                if (i == null) {
                    i = new RunbookIndex(List.copyOf(byId.values()));
                    index = i;
                }
            }
        }
        return i;
    }

    @Override
    public void close() {
        RunbookIndex i = index;
        if (i != null) {
            i.close();
        }
    }

    /**
     * SHA-256 over the position, relative path and content of every {@code *.md} file the loader reads (depth 4), in
     * path order: equal when nothing a reload would see has changed.
     *
     * @throws UncheckedIOException when a directory cannot be listed or a file read
     */
    static String fingerprint(List<Path> directories) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int d = 0; d < directories.size(); d++) {
                Path dir = directories.get(d);
                sha.update((d + ":" + dir + "\0").getBytes(StandardCharsets.UTF_8));
                if (!Files.isDirectory(dir)) {
                    sha.update("missing\0".getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                List<Path> files;
                try (Stream<Path> s = Files.walk(dir, RunbookLoader.DEPTH)) {
                    files = s.filter(RunbookLoader::isRunbookFile).sorted().toList();
                }
                for (Path p : files) {
                    sha.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(p));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
