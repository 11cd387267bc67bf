package io.opsmcp.guard.gateway;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Caps the size of what a tool returns, so one large log or process list cannot flood a client's context.
 * Text is cut at a UTF-8 character boundary and ends with {@code [truncated: N bytes omitted]}. Long strings
 * inside structured content are cut the same way, so the structure (and its schema) stays intact.
 */
public final class ResultLimiter {

    private final int maxBytes;

    /** @param maxBytes cap on the text, in UTF-8 bytes; strings inside structured content get a quarter each */
    public ResultLimiter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Returns the text unchanged when it fits, else its head and the truncation marker. */
    public String limit(String text) {
        return limit(text, maxBytes);
    }

    /**
     * Returns the tree with every string longer than a quarter of the cap truncated: a copy when one is, else the
     * tree itself (the usual case; the gateway passes the redactor's fresh copy, which a second copy only cost).
     */
    public JsonNode limit(JsonNode node) {
        if (node == null) {
            return null;
        }
        int cap = Math.max(256, maxBytes / 4);
        return fits(node, cap) ? node : cut(node, cap);
    }

    /** Whether no string in the tree is cut at {@code cap} bytes (object member names are kept whole either way). */
    private static boolean fits(JsonNode node, int cap) {
        if (node.isString()) {
            String text = node.asString();
            return limit(text, cap) == text;
        }
        if (node.isContainer()) {
            for (JsonNode v : node) { // an object's values, an array's elements
                if (!fits(v, cap)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode cut(JsonNode node, int cap) {
        if (node.isString()) {
            return StringNode.valueOf(limit(node.asString(), cap));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), cut(e.getValue(), cap));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode v : node) { // a loop, not a capturing lambda: C1 creates those through a runtime call
                copy.add(cut(v, cap));
            }
            return copy;
        }
        return node;
    }

    private static String limit(String text, int cap) {
        // Cheap exit: a UTF-8 char takes at most 3 bytes per UTF-16 unit.
        if (text.length() * 3L <= cap) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= cap) {
            return text;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(cap);
        CharBuffer in = CharBuffer.wrap(text);
        encoder.encode(in, out, true);
        int kept = out.position();
        String head = text.substring(0, in.position());
        return head + "\n[truncated: " + (bytes.length - kept) + " bytes omitted]";
    }
}
