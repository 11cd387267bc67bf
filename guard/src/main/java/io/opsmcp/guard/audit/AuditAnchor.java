package io.opsmcp.guard.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anchors the audit chain outside the database it protects. After every write of the chain — one append, or the
 * batch of concurrent appends a store writes in one transaction (group commit) — a signed checkpoint of its newest
 * record, one JSON line {@code {"seq":N,"hash":"…","time":"…","hmac":"…"}}, is appended to a file ({@value #FILE} in the data
 * directory, mode 0600). The HMAC-SHA256 key is not in the database: it is {@code $OPS_MCP_AUDIT_KEY} when set
 * (at least 32 characters; give every replica of a PostgreSQL deployment the same one), else a random key created
 * on first use in {@value #KEY_FILE} in the data directory. Someone who can rewrite the database but not read the
 * key can delete the newest records and rewind the chain head so that the chain alone still checks out; the
 * newest checkpoint then names a seq the chain no longer reaches, or a hash it no longer has, and
 * {@code ops-mcp audit verify} says so. Since each record's hash commits to every record before it, checking
 * the newest checkpoint of each file against an intact chain proves the whole prefix; that is all {@link #check}
 * looks at, so a record needs no checkpoint of its own, only one of itself or a later record written before its
 * append returns.
 */
public final class AuditAnchor {

    /** Checkpoint file name in the data directory. */
    public static final String FILE = "audit-checkpoints.jsonl";
    /** Key file name in the data directory (used when {@value #KEY_ENV} is not set). */
    public static final String KEY_FILE = "audit.key";
    /** Environment variable with the HMAC key shared by replicas. */
    public static final String KEY_ENV = "OPS_MCP_AUDIT_KEY";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FIELDS = Set.of("seq", "hash", "time", "hmac");

    private final SecretKeySpec key;
    private final Path file;
    /** The MAC of {@link #record}, made once and reused under its lock ({@code Mac.getInstance} is a provider lookup). */
    private Mac recordMac;
    /** Mode 0600 for a checkpoint file {@link #record} creates, looked up once (it asks the file system). */
    private java.nio.file.attribute.FileAttribute<?>[] createAttributes;
    /** The checkpoint file kept open by {@link #channel} ({@code null}: closed), and the file's identity then. */
    private FileChannel channel;

    private Object channelKey;

    private AuditAnchor(byte[] key, Path file) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.file = file;
    }

    /**
     * The anchor of the data directory: key from {@code env} or the key file, checkpoints in {@value #FILE}.
     *
     * @throws io.opsmcp.core.config.InvalidConfigException when {@value #KEY_ENV} is set but shorter than 32 characters
     */
    public static AuditAnchor open(Path dataDir, Map<String, String> env) {
        String shared = env.get(KEY_ENV);
        byte[] key;
        if (shared != null) {
            if (shared.strip().length() < 32) {
                throw new io.opsmcp.core.config.InvalidConfigException(KEY_ENV + ": must be at least 32 characters");
            }
            key = shared.strip().getBytes(StandardCharsets.UTF_8);
        } else {
            key = HexFormat.of().parseHex(PrivateFiles.secret(dataDir.resolve(KEY_FILE)));
        }
        return new AuditAnchor(key, dataDir.resolve(FILE));
    }

    /** This process's checkpoint file. */
    public Path file() {
        return file;
    }

    /**
     * Appends the signed checkpoint of {@code entry}; forced to disk when {@code force}. A failed write is cut off
     * again, so a full disk leaves no torn line in front of the next checkpoint.
     *
     * @throws IOException when the line cannot be written (the caller refuses the change: fail closed)
     */
    public synchronized void record(AuditEntry entry, boolean force) throws IOException {
        String time = Instant.now().toString();
        if (recordMac == null) {
            recordMac = newMac();
            createAttributes = PrivateFiles.fileAttributes(file.getParent());
        }
        String line = "{\"seq\":" + entry.seq() + ",\"hash\":\"" + entry.hash() + "\",\"time\":\"" + time
                + "\",\"hmac\":\"" + hmac(recordMac, entry.seq(), entry.hash(), time) + "\"}\n";
        FileChannel out = channel();
        long size = out.size();
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            if (force) {
                out.force(false);
            }
        } catch (IOException e) {
            try {
                out.truncate(size);
            } catch (IOException ignored) {
                // a torn last line is tolerated by read(); the write error is what matters
            }
            closeChannel(); // opened again by the next checkpoint
            throw e;
        }
    }

    /**
     * The checkpoint file, open for appending. Kept open between checkpoints (opening and closing it cost a
     * checkpoint more than its write), but only while {@link #file} still names it: a file moved away, deleted or
     * replaced is seen by its {@code fileKey} (device and inode) and the next checkpoint goes to {@link #file} again,
     * created with mode 0600 when missing.
     */
    private FileChannel channel() throws IOException {
        if (channel != null && !channelKey.equals(fileKey(file))) {
            closeChannel();
        }
        if (channel == null) {
            // CREATE is one system call where checking for the file first was two
            FileChannel opened = FileChannel.open(
                    file,
                    Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE),
                    createAttributes);
            Object key = fileKey(file);
            if (key == null) {
                opened.close();
                throw new IOException("checkpoint file " + file + " vanished while it was opened");
            }
            channel = opened;
            channelKey = key;
        }
        return channel;
    }

    /** The file's identity (device and inode where the file system has them), {@code null} when it is missing. */
    private static Object fileKey(Path path) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // without file keys (not on Linux) the creation time stands in: a replaced file differs
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it since the last checkpoint
            }
            channel = null;
            channelKey = null;
        }
    }

    /** Closes the checkpoint file (the next {@link #record} opens it again). */
    public synchronized void close() {
        closeChannel();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The checkpoint's MAC; {@code doFinal} resets {@code mac} for the next one. */
    private static String hmac(Mac mac, long seq, String hash, String time) {
        return HexFormat.of()
                .formatHex(mac.doFinal(("ops-mcp audit checkpoint\n" + seq + "\n" + hash + "\n" + time)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * One checkpoint file, read and checked.
     *
     * @param file    the file
     * @param count   signed checkpoints in it
     * @param newest  the checkpoint with the highest seq, empty when none
     * @param problem the first line that is not a validly signed checkpoint ({@code null} when none)
     */
    public record Checkpoints(Path file, long count, Optional<Checkpoint> newest, String problem) {}

    /** A signed checkpoint: the chain had record {@code seq} with {@code hash} at {@code time}. */
    public record Checkpoint(long seq, String hash, String time) {}

    /**
     * Reads a checkpoint file and checks every line's signature. An unterminated last line (a crash while writing
     * it) is skipped.
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public Checkpoints read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Checkpoints(path, 0, Optional.empty(), "checkpoint file " + path + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint file " + path + ": " + e.getMessage(), e);
        }
        Checkpoint newest = null;
        long count = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) { // the last element follows the last newline: torn or empty
            String problem = "checkpoint file " + path + " line " + (i + 1) + ": ";
            JsonNode node;
            try {
                node = JSON.readTree(lines[i]);
            } catch (RuntimeException e) {
                return new Checkpoints(path, count, Optional.ofNullable(newest), problem + "not JSON (edited)");
            }
            if (!node.isObject()
                    || !FIELDS.equals(Set.copyOf(node.propertyNames()))
                    || !node.get("seq").canConvertToLong()
                    || !node.get("hash").isString()
                    || !node.get("time").isString()
                    || !node.get("hmac").isString()) {
                return new Checkpoints(
                        path,
                        count,
                        Optional.ofNullable(newest),
                        problem + "not a checkpoint {seq, hash, time, hmac} (edited)");
            }
            Checkpoint c = new Checkpoint(
                    node.get("seq").asLong(),
                    node.get("hash").asString(),
                    node.get("time").asString());
            byte[] expected = hmac(newMac(), c.seq(), c.hash(), c.time()).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, node.get("hmac").asString().getBytes(StandardCharsets.US_ASCII))) {
                return new Checkpoints(
                        path,
                        count,
                        Optional.ofNullable(newest),
                        problem + "signature does not match" + " the audit key (" + KEY_ENV + " or " + KEY_FILE
                                + "): edited, forged, or signed with another key");
            }
            count++;
            if (newest == null || c.seq() > newest.seq()) {
                newest = c;
            }
        }
        return new Checkpoints(path, count, Optional.ofNullable(newest), null);
    }

    /**
     * Checks an audit chain against checkpoint files read <em>before</em> the chain was verified (so every
     * checkpoint in them was written after its record was committed).
     *
     * @param chain  the result of {@link AuditStore#verify()}
     * @param files  the files as read by {@link #read(Path)}
     * @param hashAt the stored hash of a record by seq
     * @return {@code chain} when it is already broken; else broken naming the newest checkpoint the database no
     *         longer reaches or no longer matches; else intact
     */
    public static VerifyResult check(
            VerifyResult chain, List<Checkpoints> files, LongFunction<Optional<String>> hashAt) {
        if (!chain.ok()) {
            return chain;
        }
        List<String> notes = new ArrayList<>();
        for (Checkpoints f : files) {
            if (f.problem() != null) {
                if (f.count() == 0 && chain.count() == 0 && f.problem().endsWith("does not exist")) {
                    continue; // a new, empty log: nothing to anchor yet
                }
                return VerifyResult.broken(
                        chain.count(),
                        chain.count() + 1,
                        f.problem()
                                + (f.problem().endsWith("does not exist")
                                        ? " (the end of the chain cannot be proven)"
                                        : ""));
            }
            if (f.newest().isEmpty()) {
                if (chain.count() > 0) {
                    return VerifyResult.broken(
                            chain.count(),
                            chain.count() + 1,
                            "checkpoint file " + f.file() + " is empty (the end of the chain cannot be proven)");
                }
                continue;
            }
            Checkpoint last = f.newest().get();
            if (last.seq() > chain.count()) {
                long first = chain.count() + 1;
                return VerifyResult.broken(
                        chain.count(),
                        first,
                        (first == last.seq() ? "record " + first : "records " + first + ".." + last.seq())
                                + " missing: the chain ends at seq " + chain.count()
                                + " but checkpoint seq " + last.seq() + " (signed " + last.time() + " in " + f.file()
                                + ") is past it (the log was truncated or its head rewound)");
            }
            Optional<String> stored = hashAt.apply(last.seq());
            if (stored.isEmpty() || !stored.get().equals(last.hash())) {
                return VerifyResult.broken(
                        last.seq() - 1,
                        last.seq(),
                        "does not match checkpoint seq " + last.seq()
                                + " (signed " + last.time() + " in " + f.file()
                                + "): the chain was rewritten up to here"
                                + " (records deleted or replaced and the head rewound)");
            }
            notes.add(f.file() + " up to seq " + last.seq());
        }
        return chain.anchored(notes);
    }
}
