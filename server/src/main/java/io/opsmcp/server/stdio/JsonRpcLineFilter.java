package io.opsmcp.server.stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stdin side of the stdio transport, in front of the MCP SDK's reader. Newline-delimited JSON-RPC (MCP
 * "stdio" transport) is read line by line; a line that is a well-formed JSON-RPC 2.0 message is passed on
 * unchanged, anything else is answered here and dropped, so it never reaches the SDK — whose reader stops for
 * good on the first line it cannot deserialize, leaving the session deaf (no answer to {@code initialize} after
 * {@code garbage {{{} or {@code []}).
 *
 * <p>Answers (JSON-RPC 2.0 §5.1): a line that is not JSON gets {@code -32700 Parse error}; JSON that is not a
 * request, notification or response object gets {@code -32600 Invalid Request}. The id is {@code null} unless the
 * message carried a usable id. Blank lines are skipped. A malformed <em>response</em> from the client (an object
 * with {@code result}/{@code error} but no usable id) is logged and dropped: JSON-RPC forbids answering a response.
 * Error messages name the rule broken and never echo the line, which may hold secrets.
 *
 * <p>A line that passes and is a {@code tools/call} request (a method and an id) is announced to {@code onCall}
 * before it is passed on, so the first-call warm-up stops at once rather than when the call reaches the policy
 * (issue 16). Announcing only stops a warm-up early; the line is passed on as it is either way.
 *
 * <p>Two threads may read: the SDK's reader and, before the SDK is there, {@link #peekFirst} (the early
 * {@code initialize} answer); every read holds this object's lock, so a line is read once and in order.
 */
final class JsonRpcLineFilter extends InputStream {

    /** JSON-RPC 2.0 error codes (§5.1). */
    static final int PARSE_ERROR = -32700;

    static final int INVALID_REQUEST = -32600;

    private static final Logger log = LoggerFactory.getLogger(JsonRpcLineFilter.class);
    /** Strict: duplicate members and trailing tokens are errors (also read by {@link EarlyInitialize}). */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Receives one complete JSON-RPC message (without the newline) to write to the client. */
    interface Replies {
        void send(String message) throws IOException;
    }

    private final InputStream in;
    private final Replies replies;
    private final Runnable onEof;
    private final Runnable onCall;
    private final byte[] chunk = new byte[8192];
    private int chunkPos;
    private int chunkLen;
    private byte[] current = new byte[0];
    private int currentPos;
    private long lineNumber;
    /** Lines passed on (well-formed messages). */
    private long passed;

    private boolean eof;

    /**
     * @param in      the raw stdin
     * @param replies where error responses go (the same stream as the SDK's messages, one whole line each)
     * @param onEof   run once stdin ends
     * @param onCall  run (on the reading thread) for each {@code tools/call} request, before the SDK reads it
     */
    JsonRpcLineFilter(InputStream in, Replies replies, Runnable onEof, Runnable onCall) {
        this.in = in;
        this.replies = replies;
        this.onEof = onEof;
        this.onCall = onCall;
    }

    /**
     * Waits for the first well-formed message and, unless a reader has begun to read it (or a later one), hands its
     * text (without the newline) to {@code first} before any reader gets it; it is then passed on as usual. Malformed
     * lines before it are answered as usual. Does nothing at end of input.
     */
    synchronized void peekFirst(java.util.function.Consumer<String> first) throws IOException {
        if (passed > 0 || !fill() || passed != 1 || currentPos != 0) {
            return;
        }
        first.accept(new String(current, 0, current.length - 1, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[currentPos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - currentPos);
        System.arraycopy(current, currentPos, buf, off, n);
        currentPos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return current.length - currentPos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Makes sure {@link #current} has unread bytes: the next valid line and its newline. False at end of input. */
    private boolean fill() throws IOException {
        while (currentPos >= current.length) {
            if (eof) {
                return false;
            }
            byte[] line = nextLine();
            if (line == null) {
                eof = true;
                onEof.run();
                return false;
            }
            String text = utf8(line);
            if (text != null && text.isBlank()) {
                continue;
            }
            ++lineNumber;
            Checked checked = text == null
                    ? new Checked(
                            error(
                                    null,
                                    PARSE_ERROR,
                                    "Parse error: message " + lineNumber + " is not valid UTF-8 (RFC 8259 §8.1)"),
                            false)
                    : check(text, lineNumber);
            String reply = checked.reply();
            if (checked.toolCall()) {
                onCall.run();
            }
            if (reply == null) {
                byte[] withNewline = new byte[line.length + 1];
                System.arraycopy(line, 0, withNewline, 0, line.length);
                withNewline[line.length] = '\n';
                current = withNewline;
                currentPos = 0;
                ++passed;
            } else if (!reply.isEmpty()) {
                replies.send(reply);
            }
        }
        return true;
    }

    /** The next line without its line end (LF or CRLF), or {@code null} at end of input with nothing pending. */
    private byte[] nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean any = false;
        while (true) {
            if (chunkPos >= chunkLen) {
                chunkLen = in.read(chunk);
                chunkPos = 0;
                if (chunkLen < 0) {
                    chunkLen = 0;
                    return any ? strip(line.toByteArray()) : null;
                }
                continue;
            }
            any = true;
            int start = chunkPos;
            while (chunkPos < chunkLen && chunk[chunkPos] != '\n') {
                chunkPos++;
            }
            line.write(chunk, start, chunkPos - start);
            if (chunkPos < chunkLen) {
                chunkPos++;
                return strip(line.toByteArray());
            }
        }
    }

    /** The line decoded as strict UTF-8, or {@code null} when it is not UTF-8. */
    private static String utf8(byte[] line) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] strip(byte[] line) {
        if (line.length > 0 && line[line.length - 1] == '\r') {
            byte[] shorter = new byte[line.length - 1];
            System.arraycopy(line, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return line;
    }

    /**
     * What {@link #check} found.
     *
     * @param reply    {@code null} when the line is a well-formed message to pass on, an empty string when it is to be
     *                 dropped without an answer, else the error response to send
     * @param toolCall the line is a well-formed {@code tools/call} request (never with a reply)
     */
    record Checked(String reply, boolean toolCall) {}

    private static final Checked PASS = new Checked(null, false);
    private static final Checked PASS_TOOL_CALL = new Checked(null, true);

    /** Checks one line. */
    static Checked check(String line, long lineNumber) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JacksonException e) {
            log.warn("stdio: line {} is not JSON, answered with a parse error", lineNumber);
            String where = e.getLocation() == null
                    ? ""
                    : " at column " + e.getLocation().getColumnNr();
            return new Checked(
                    error(null, PARSE_ERROR, "Parse error: message " + lineNumber + " is not valid JSON" + where),
                    false);
        }
        if (message == null || !message.isObject()) {
            String what = message == null
                    ? "nothing"
                    : message.isArray()
                            ? "an array (batches are not supported)"
                            : "a " + message.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            log.warn("stdio: line {} is {}, not a JSON-RPC object", lineNumber, what);
            return new Checked(
                    error(
                            null,
                            INVALID_REQUEST,
                            "Invalid Request: message " + lineNumber + " is " + what
                                    + "; a JSON-RPC 2.0 message must be an object"),
                    false);
        }
        JsonNode id = message.get("id");
        boolean usableId = id != null && (id.isString() || id.isIntegralNumber());
        JsonNode idOut = usableId ? id : null;
        String problem = problem(message, usableId);
        if (problem == null) {
            // a request (an id: a notification is not answered, so not a call) for tools/call
            return usableId && isToolCall(message.get("method")) ? PASS_TOOL_CALL : PASS;
        }
        boolean isResponse = !message.has("method") && (message.has("result") || message.has("error"));
        log.warn("stdio: message {} is not a valid JSON-RPC message: {}", lineNumber, problem);
        if (isResponse) {
            return new Checked("", false);
        }
        return new Checked(error(idOut, INVALID_REQUEST, "Invalid Request: " + problem), false);
    }

    private static boolean isToolCall(JsonNode method) {
        return method != null && method.isString() && method.asString().equals("tools/call");
    }

    /** What makes the object an invalid JSON-RPC 2.0 message, or {@code null} when it is valid. */
    private static String problem(JsonNode message, boolean usableId) {
        JsonNode version = message.get("jsonrpc");
        if (version == null || !version.isString() || !version.asString().equals("2.0")) {
            return "jsonrpc: must be \"2.0\"";
        }
        if (message.has("id") && !usableId) {
            return "id: must be a string or an integer";
        }
        JsonNode method = message.get("method");
        if (method != null) {
            if (!method.isString() || method.asString().isEmpty()) {
                return "method: must be a non-empty string";
            }
            JsonNode params = message.get("params");
            if (params != null && !params.isObject() && !params.isArray()) {
                return "params: must be an object or an array";
            }
            if (message.has("result") || message.has("error")) {
                return "a request must not carry result or error";
            }
            return null;
        }
        if (message.has("result") || message.has("error")) {
            if (!usableId) {
                return "a response needs the id of the request it answers";
            }
            if (message.has("result") == message.has("error")) {
                return "a response has exactly one of result and error";
            }
            if (message.has("error") && !message.get("error").isObject()) {
                return "error: must be an object";
            }
            return null;
        }
        return "method: required (or result/error for a response)";
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("jsonrpc", "2.0");
        if (id == null) {
            out.putNull("id");
        } else {
            out.set("id", id);
        }
        out.putObject("error").put("code", code).put("message", message);
        return JSON.writeValueAsString(out);
    }
}
