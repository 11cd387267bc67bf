package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;
import java.util.UUID;

/**
 * uuid.rfc4122(key): a random version-4 UUID, the same for the same key within one query. uuid.parse(s): the
 * fields OPA decodes ({@code internal/uuid}, on the forms github.com/google/uuid accepts: 36 characters with
 * dashes, 38 in braces, 45 with a {@code urn:uuid:} prefix, 32 hex digits), undefined when s is not a UUID.
 */
final class UuidBuiltins {
    /** 100-ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
    private static final long GREGORIAN_TO_UNIX_100NS = 122_192_928_000_000_000L;

    private UuidBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                new Builtin("uuid.rfc4122", args(Type.STRING), Type.STRING, true, (BuiltinFunction.Simple) (a, c) ->
                        (StringValue) c.queryCache()
                                .computeIfAbsent(
                                        List.of("uuid.rfc4122", Operands.string(a, 0)),
                                        k -> StringValue.of(UUID.randomUUID().toString()))),
                Builtin.simple(
                        "uuid.parse",
                        args(Type.STRING),
                        Type.object(Type.STRING, Type.ANY),
                        (a, c) -> parse(Operands.string(a, 0))));
    }

    /** The decoded fields, or null (undefined) when s is not a UUID. */
    static Value parse(String s) {
        byte[] b = bytes(s);
        if (b == null) {
            return null;
        }
        int version = (b[6] & 0xff) >> 4;
        ObjectValue.Builder out = ObjectValue.builder()
                .put("version", NumberValue.of(version))
                .put("variant", StringValue.of(variant(b[8] & 0xff)));
        if (version == 1 || version == 2) {
            long time = u32(b, 0) | (long) u16(b, 4) << 32 | (long) (u16(b, 6) & 0xfff) << 48;
            long since = time - GREGORIAN_TO_UNIX_100NS;
            // Go's UnixTime: seconds and nanoseconds, each truncated toward zero, recombined.
            out.put("time", NumberValue.of(since / 10_000_000 * 1_000_000_000L + since % 10_000_000 * 100));
            StringBuilder node = new StringBuilder(macKind(b[10] & 0xff)).append(':');
            for (int i = 10; i < 16; i++) {
                node.append(String.format("%02x", b[i] & 0xff));
            }
            out.put("nodeid", StringValue.of(node.toString()));
            out.put("clocksequence", NumberValue.of(u16(b, 8) & 0x3fff));
            if (version == 2) {
                out.put("id", NumberValue.of(u32(b, 0)));
                int domain = b[9] & 0xff;
                out.put(
                        "domain",
                        StringValue.of(
                                switch (domain) {
                                    case 0 -> "Person";
                                    case 1 -> "Group";
                                    case 2 -> "Org";
                                    default -> "Domain" + domain;
                                }));
            }
        }
        return out.build();
    }

    private static String variant(int b) {
        if ((b & 0xc0) == 0x80) {
            return "RFC4122";
        }
        if ((b & 0xe0) == 0xc0) {
            return "Microsoft";
        }
        if ((b & 0xe0) == 0xe0) {
            return "Future";
        }
        return "Reserved";
    }

    /** The local/global and unicast/multicast bits of a MAC address's first byte. */
    private static String macKind(int b) {
        if ((b & 3) == 3) {
            return "local:multicast";
        }
        if ((b & 1) == 1) {
            return "global:multicast";
        }
        return (b & 2) == 2 ? "local:unicast" : "global:unicast";
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static byte[] bytes(String s) {
        String hex;
        switch (s.length()) {
            case 36 -> hex = dashed(s);
            case 38 -> hex = s.charAt(0) == '{' && s.charAt(37) == '}' ? dashed(s.substring(1, 37)) : null;
            case 45 -> hex = s.regionMatches(true, 0, "urn:uuid:", 0, 9) ? dashed(s.substring(9)) : null;
            case 32 -> hex = s;
            default -> hex = null;
        }
        if (hex == null) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static String dashed(String s) {
        if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
            return null;
        }
        return s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
    }
}
