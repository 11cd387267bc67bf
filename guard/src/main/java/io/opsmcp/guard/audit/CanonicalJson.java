package io.opsmcp.guard.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by their names' UTF-16 code units, no
 * whitespace, minimal string escaping, numbers serialised as ECMAScript does for IEEE 754 doubles.
 *
 * <p>The canonicalisation itself is the reference Java implementation by the RFC's co-authors
 * ({@code io.github.erdtman:java-json-canonicalization}); a Jackson tree is handed to it as JSON text. As the
 * RFC prescribes, every number is read as a double: integers beyond ±2^53 lose precision (so
 * {@code 9007199254740993} and {@code 9007199254740992} canonicalise alike). NaN and infinities are not JSON
 * and are rejected.
 */
public final class CanonicalJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CanonicalJson() {}

    /**
     * The canonical text of {@code node} ({@code null} and a missing node read as JSON {@code null}).
     *
     * @throws IllegalArgumentException when the tree holds a value JSON cannot carry (NaN, infinity)
     */
    public static String canonicalize(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "null";
        }
        // The audit log canonicalises every record and resource (three times per call): written straight from the
        // tree instead of printing it as JSON and parsing that again. Trees with node kinds other than the JSON
        // values (POJO, binary) take the text path, whose result this one equals (CanonicalJsonTest compares them).
        // write() refuses a non-finite number where it meets one; the text path checks the whole tree first.
        StringBuilder out = new StringBuilder(512);
        if (write(node, out)) {
            return out.toString();
        }
        requireFinite(node);
        return viaText(node);
    }

    /** The canonical text by way of Jackson's JSON text and the reference canonicaliser's parser. */
    static String viaText(JsonNode node) {
        String text = node == null || node.isMissingNode() ? "null" : JSON.writeValueAsString(node);
        try {
            // The library only takes an object or an array at the top; a one-element array canonicalises to
            // "[" + canonical value + "]", which makes any JSON value acceptable.
            String wrapped = new JsonCanonicalizer("[" + text + "]").getEncodedString();
            return wrapped.substring(1, wrapped.length() - 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot canonicalise JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Appends the canonical form of {@code node} as the reference implementation writes it after parsing Jackson's
     * text: members sorted by name (UTF-16 code units), strings escaped as its {@code serializeString} does, numbers
     * as the double that Jackson's text parses to, in ECMAScript form. Returns {@code false} for a node kind the
     * text path must handle.
     */
    static boolean write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            // an array sorted by name (String order: UTF-16 code units, as the RFC asks); names are unique
            @SuppressWarnings("unchecked")
            java.util.Map.Entry<String, JsonNode>[] sorted = new java.util.Map.Entry[node.size()];
            int n = 0;
            for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
                sorted[n++] = e;
            }
            java.util.Arrays.sort(sorted, 0, n, java.util.Map.Entry.comparingByKey());
            out.append('{');
            boolean first = true;
            for (int i = 0; i < n; i++) {
                java.util.Map.Entry<String, JsonNode> e = sorted[i];
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                if (!write(e.getValue(), out)) {
                    return false;
                }
            }
            out.append('}');
            return true;
        }
        if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (!write(node.get(i), out)) {
                    return false;
                }
            }
            out.append(']');
            return true;
        }
        if (node.isString()) {
            string(node.asString(), out);
            return true;
        }
        if (node.isNumber()) {
            requireFinite(node);
            double value;
            if (node.isInt() || node.isLong() || node.isShort()) {
                value = node.longValue(); // exactly what parsing the decimal digits gives
            } else if (node.isDouble()) {
                value = node.doubleValue(); // Double.toString round-trips
            } else {
                value = Double.parseDouble(JSON.writeValueAsString(node)); // float, BigDecimal, BigInteger: as printed
            }
            try {
                out.append(org.erdtman.jcs.NumberToJSON.serializeNumber(value));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot canonicalise JSON: " + e.getMessage(), e);
            }
            return true;
        }
        if (node.isBoolean()) {
            out.append(node.booleanValue());
            return true;
        }
        if (node.isNull()) {
            out.append("null");
            return true;
        }
        return false;
    }

    /** An integer as {@link #write} writes a long node holding it. */
    static void number(long value, StringBuilder out) {
        try {
            out.append(org.erdtman.jcs.NumberToJSON.serializeNumber((double) value));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot canonicalise JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Hex (lowercase) SHA-256 of {@code prefix} followed by {@code text}, both UTF-8: {@link #sha256Hex(String,
     * JsonNode)} for a canonical text already written.
     */
    static String sha256Hex(String prefix, String text) {
        MessageDigest digest = sha256();
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A string as the reference implementation's {@code serializeString} writes it. */
    static void string(String value, StringBuilder out) {
        out.append('"');
        int plain = 0;
        while (plain < value.length()) {
            char c = value.charAt(plain);
            if (c < 0x20 || c == '"' || c == '\\') {
                break;
            }
            plain++;
        }
        // the usual string needs no escape: appended whole, not character by character
        out.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Jackson would write NaN as the string "NaN", which would hash like that string: refuse instead. */
    private static void requireFinite(JsonNode node) {
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException(
                    "cannot canonicalise JSON: " + node.doubleValue() + " is not a JSON number");
        }
        if (node.isContainer()) {
            node.values().forEach(CanonicalJson::requireFinite);
        }
    }

    /** Hex (lowercase) SHA-256 of the UTF-8 canonical text of {@code node}. */
    public static String sha256Hex(JsonNode node) {
        return sha256Hex("", node);
    }

    /** Hex (lowercase) SHA-256 of {@code prefix} (UTF-8) followed by the UTF-8 canonical text of {@code node}. */
    public static String sha256Hex(String prefix, JsonNode node) {
        MessageDigest digest = sha256();
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        digest.update(canonicalize(node).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Hex (lowercase) SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A fresh SHA-256 digest. Cloned from a prototype that is never updated: {@code MessageDigest.getInstance} is a
     * provider look-up, and a guarded call hashes three times (the result, the record, the resource key).
     */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose digest cannot be cloned: look it up each time
        }
    }

    private static final MessageDigest SHA256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
