package io.opsmcp.guard.gateway;

import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.toolkit.redact.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The size, SHA-256 and a short redacted excerpt of a call's arguments, taken in one pass over their compact JSON
 * serialisation (UTF-8) without holding it: how rejected arguments are audited (never whole), and how the gateway
 * bounds their size before validation. Serialisation stops as soon as the limit is passed, so an oversized call
 * costs at most {@code limit} bytes of work; its digest then covers the first {@code limit + 1} bytes only, which
 * the audit record says ({@code "digest_of": "prefix"}).
 *
 * @param bytes     bytes serialised: the full size, or {@code limit + 1} when oversized
 * @param oversized the arguments are larger than the limit
 * @param sha256    hex SHA-256 of the bytes serialised
 * @param excerpt   the first {@value #EXCERPT_CHARS} characters, redacted
 */
public record ArgumentDigest(long bytes, boolean oversized, String sha256, String excerpt) {

    /** Characters of the arguments kept in the audit record. */
    public static final int EXCERPT_CHARS = 200;
    /** Bytes read for the excerpt before it is redacted (more than kept, so a secret cut at the end is still seen). */
    private static final int EXCERPT_WINDOW = 2048;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The compact serialisation of an empty object, and its hex SHA-256: what {@link #serialised} finds for it. */
    private static final String EMPTY = "{}";

    private static final String EMPTY_SHA256 =
            HexFormat.of().formatHex(CanonicalJson.sha256().digest(EMPTY.getBytes(StandardCharsets.UTF_8)));

    /**
     * Measures {@code args} ({@code null} counts as {@code {}}).
     *
     * @param limit largest size in bytes that is not oversized
     */
    public static ArgumentDigest of(JsonNode args, long limit, Redactor redactor) {
        if ((args == null || (args.isObject() && args.isEmpty())) && limit >= EMPTY.length()) {
            // Most read-only calls send no arguments: the same bytes, digest and excerpt as serialising "{}" (which
            // cost a mapper write and a hash per call), the excerpt still through the redactor.
            return new ArgumentDigest(EMPTY.length(), false, EMPTY_SHA256, redactor.redact(EMPTY));
        }
        return serialised(args, limit, redactor);
    }

    /** {@link #of} by serialising {@code args}, whatever they are: the general path, and the empty case's reference. */
    static ArgumentDigest serialised(JsonNode args, long limit, Redactor redactor) {
        JsonNode value = args == null ? JsonNodeFactory.instance.objectNode() : args;
        Sink sink = new Sink(limit);
        try {
            JSON.writeValue(sink, value);
        } catch (RuntimeException e) {
            if (!sink.over) {
                throw e;
            }
        }
        String head = new String(sink.head, 0, sink.headLength, StandardCharsets.UTF_8);
        String redacted = redactor.redact(head);
        String excerpt = redacted.length() > EXCERPT_CHARS ? redacted.substring(0, EXCERPT_CHARS) + "…" : redacted;
        return new ArgumentDigest(sink.count, sink.over, HexFormat.of().formatHex(sink.digest.digest()), excerpt);
    }

    /** "N bytes" or "more than N bytes" for messages. */
    public String sizeText() {
        return oversized ? "more than " + (bytes - 1) + " bytes" : bytes + " bytes";
    }

    /** The audit form: {@code {"rejected_arguments": {"bytes", "sha256", "digest_of", "excerpt"}}}. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode r = out.putObject("rejected_arguments");
        r.put("bytes", bytes);
        r.put("oversized", oversized);
        r.put("sha256", sha256);
        r.put("digest_of", oversized ? "prefix" : "all");
        r.put("excerpt", excerpt);
        return out;
    }

    /** Counts, digests and keeps the head of what is written; fails once more than {@code limit} bytes came. */
    private static final class Sink extends OutputStream {
        final long limit;
        final MessageDigest digest;
        final byte[] head = new byte[EXCERPT_WINDOW];
        int headLength;
        long count;
        boolean over;

        Sink(long limit) {
            this.limit = limit;
            this.digest = CanonicalJson.sha256();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (over) {
                throw new IOException("argument limit exceeded");
            }
            long room = limit + 1 - count;
            int take = (int) Math.min(len, room);
            if (headLength < head.length) {
                int h = Math.min(take, head.length - headLength);
                System.arraycopy(b, off, head, headLength, h);
                headLength += h;
            }
            digest.update(b, off, take);
            count += take;
            if (count > limit) {
                over = true;
                throw new IOException("argument limit exceeded");
            }
        }
    }
}
