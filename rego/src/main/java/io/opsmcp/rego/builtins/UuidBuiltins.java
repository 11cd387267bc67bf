package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * uuid.rfc4122(key): a random version-4 UUID, the same for the same key within one query.
 * uuid.parse(s): the fields of a UUID as OPA decodes them ({@code internal/uuid}, after Go's
 * google/uuid): version and variant, and for versions 1 and 2 the time (ns since the Unix epoch),
 * node id, clock sequence (and id and domain for version 2); undefined for text that is no UUID.
 */
final class UuidBuiltins {
  private UuidBuiltins() {}

  /** 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
  private static final long G1582_NS100 = 122192928000000000L;

  static List<Builtin> all() {
    return List.of(new Builtin("uuid.rfc4122", args(Type.STRING), Type.STRING, true,
        (BuiltinFunction.Simple) (a, c) -> (StringValue) c.queryCache().computeIfAbsent(
            List.of("uuid.rfc4122", Operands.string(a, 0)), k -> StringValue.of(UUID.randomUUID().toString()))),
        Builtin.simple("uuid.parse", args(Type.STRING), Type.object(Type.STRING, Type.ANY),
            (a, c) -> parse(Operands.string(a, 0))));
  }

  /** The 16 bytes of the accepted forms (plain, urn:uuid:, braces, 32 hex digits), or null. */
  private static byte[] bytes(String s) {
    String hex;
    if (s.length() == 36 + 9 && s.substring(0, 9).toLowerCase(Locale.ROOT).equals("urn:uuid:")) {
      s = s.substring(9);
    } else if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
      s = s.substring(1, 37);
    }
    if (s.length() == 36) {
      if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
        return null;
      }
      hex = s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
    } else if (s.length() == 32) {
      hex = s;
    } else {
      return null;
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Value parse(String s) {
    byte[] b = bytes(s);
    if (b == null) {
      return null;
    }
    int version = (b[6] & 0xff) >> 4;
    int v8 = b[8] & 0xff;
    String variant = (v8 & 0xc0) == 0x80 ? "RFC4122" : (v8 & 0xe0) == 0xc0 ? "Microsoft"
        : (v8 & 0xe0) == 0xe0 ? "Future" : "Reserved";
    ObjectValue.Builder out = ObjectValue.builder()
        .put("version", NumberValue.of(version))
        .put("variant", StringValue.of(variant));
    if (version == 1 || version == 2) {
      long time = u32(b, 0) | ((long) u16(b, 4) << 32) | ((long) (u16(b, 6) & 0xfff) << 48);
      long since = time - G1582_NS100;
      out.put("time", NumberValue.of((since / 10_000_000L) * 1_000_000_000L + (since % 10_000_000L) * 100));
      out.put("nodeid", StringValue.of(macVars(b[10]) + ":" + HexFormat.of().formatHex(b, 10, 16)));
      out.put("clocksequence", NumberValue.of(u16(b, 8) & 0x3fff));
      if (version == 2) {
        out.put("id", NumberValue.of(u32(b, 0)));
        int d = b[9] & 0xff;
        out.put("domain", StringValue.of(d == 0 ? "Person" : d == 1 ? "Group" : d == 2 ? "Org" : "Domain" + d));
      }
    }
    return out.build();
  }

  private static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16) | u16(b, i + 2);
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /** The local/global and unicast/multicast bits of a MAC address's first byte. */
  private static String macVars(byte first) {
    if ((first & 0b11) == 0b11) {
      return "local:multicast";
    }
    if ((first & 0b01) != 0) {
      return "global:multicast";
    }
    return (first & 0b10) != 0 ? "local:unicast" : "global:unicast";
  }
}
