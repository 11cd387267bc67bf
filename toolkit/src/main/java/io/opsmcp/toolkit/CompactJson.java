package io.opsmcp.toolkit;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JSON tree as compact text, the text a default {@code JsonMapper}'s {@code writeValueAsString} gives for it,
 * written straight into one {@link StringBuilder}: the text block a tool's structured content is repeated in (MCP
 * "Structured Content") is written on every call, and the mapper's fixed cost per call (a serialization context, a
 * generator, pooled buffers, the serializer look-up) was most of it for a result of a few hundred bytes.
 *
 * <p>Only the node kinds whose text is plain are written: objects (members in their order), arrays, strings, {@code
 * int}/{@code long}/{@code short} numbers, booleans and {@code null}. For any other node (a floating-point or big
 * number, binary, POJO or missing node) {@link #write} answers {@code null} and the caller uses the mapper, so the
 * text is the mapper's in every case. Strings are escaped as the mapper escapes them: {@code "} and {@code \}, the
 * control characters below U+0020 ({@code \b \t \n \f \r}, the others as {@code \}{@code u00XX} with upper-case hex
 * digits); everything else, non-ASCII and unpaired surrogates included, is copied as it is.
 */
public final class CompactJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Deeper trees go to the mapper (whose own limits apply), so this writer's recursion stays bounded. */
    static final int MAX_DEPTH = 64;

    private CompactJson() {}

    /**
     * The tree's compact JSON text, or {@code null} when it holds a node this writer leaves to the mapper (see the
     * class comment) or is nested deeper than {@value #MAX_DEPTH}.
     *
     * @param node the tree; {@code null} answers {@code null}
     */
    public static String write(JsonNode node) {
        if (node == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(256);
        return write(node, out, 0, false) ? out.toString() : null;
    }

    /**
     * Appends the tree's compact JSON text to {@code out}, as {@link #write}; for text that is to be encoded as UTF-8,
     * {@code noSurrogates} also refuses any string holding a UTF-16 surrogate (a mapper writing UTF-8 bytes combines
     * or rejects those; the caller leaves such a tree to it).
     *
     * @return {@code false} when the tree is left to the mapper; {@code out} then holds part of the text
     */
    public static boolean append(JsonNode node, StringBuilder out, boolean noSurrogates) {
        return node != null && write(node, out, 0, noSurrogates);
    }

    /**
     * Appends {@code s} as a JSON string the mapper writes; {@code false} (part of it appended) when {@code
     * noSurrogates} and it holds a UTF-16 surrogate.
     */
    public static boolean appendString(String s, StringBuilder out, boolean noSurrogates) {
        return string(s, out, noSurrogates);
    }

    private static boolean write(JsonNode node, StringBuilder out, int depth, boolean noSurrogates) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    if (!string(e.getKey(), out, noSurrogates)) {
                        return false;
                    }
                    out.append(':');
                    if (!write(e.getValue(), out, depth + 1, noSurrogates)) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY -> {
                out.append('[');
                int n = node.size();
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!write(node.get(i), out, depth + 1, noSurrogates)) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING -> {
                return string(node.asString(), out, noSurrogates);
            }
            case NUMBER -> {
                if (!(node.isInt() || node.isLong() || node.isShort())) {
                    return false; // floating-point and big numbers: the mapper's own formatting
                }
                out.append(node.longValue());
                return true;
            }
            case BOOLEAN -> {
                out.append(node.booleanValue());
                return true;
            }
            case NULL -> {
                out.append("null");
                return true;
            }
            default -> {
                return false; // binary, POJO, missing
            }
        }
    }

    private static boolean string(String s, StringBuilder out, boolean noSurrogates) {
        out.append('"');
        int n = s.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                if (noSurrogates && Character.isSurrogate(c)) {
                    return false;
                }
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, from, n).append('"');
        return true;
    }
}
