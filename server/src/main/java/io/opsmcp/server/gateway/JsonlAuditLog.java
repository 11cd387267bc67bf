package io.opsmcp.server.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Appends one JSON object per line to {@code audit.jsonl} (JSON Lines) in the data directory. Writes are
 * serialised and forced to disk, so a record is there once {@link #append} returns.
 */
public final class JsonlAuditLog implements AuditLog {

    private final Path file;
    private final FileChannel channel;
    private final JsonMapper json;

    /** Opens (creating if needed) {@code dataDir/audit.jsonl} for appending. */
    public JsonlAuditLog(Path dataDir, JsonMapper json) {
        this.file = dataDir.resolve("audit.jsonl");
        this.json = json;
        try {
            Files.createDirectories(dataDir);
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open audit log " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void append(AuditRecord r) {
        ObjectNode line = json.createObjectNode();
        line.put("time", r.time().toString());
        line.put("request_id", r.requestId());
        line.put("principal", r.principal());
        line.put("auth", r.auth());
        line.put("tool", r.tool());
        line.put("toolset", r.toolset());
        line.set("args", r.args());
        line.put("resource", r.resource());
        line.put("outcome", r.outcome());
        line.put("duration_ms", r.durationMs());
        if (r.error() != null) {
            line.put("error", r.error());
        }
        byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audit log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
