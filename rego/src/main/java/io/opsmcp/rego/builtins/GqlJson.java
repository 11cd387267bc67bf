package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads GraphQL AST objects in gqlparser's JSON shape (what graphql.parse_query / parse_schema return) back into
 * the node maps {@link GqlParser} produces, as OPA does by JSON-unmarshalling them into gqlparser's structs. A field
 * of the wrong JSON type fails like Go's decoder would; absent fields take Go's zero values.
 */
final class GqlJson {
  private GqlJson() {}

  static Map<String, Object> queryDocument(ObjectValue o) {
    return map(plain(o));
  }

  static Map<String, Object> schemaDocument(ObjectValue o) {
    return map(plain(o));
  }

  private static Object plain(Value v) {
    if (v instanceof ObjectValue o) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<Value, Value> e : o.entries()) {
        if (!(e.getKey() instanceof StringValue k)) {
          throw new BuiltinError("json: unsupported type: object key of type " + e.getKey().typeName());
        }
        m.put(k.value(), plain(e.getValue()));
      }
      return m;
    }
    if (v instanceof ArrayValue a) {
      List<Object> l = new ArrayList<>(a.size());
      a.elements().forEach(x -> l.add(plain(x)));
      return l;
    }
    if (v instanceof SetValue s) {
      List<Object> l = new ArrayList<>(s.size());
      s.elements().forEach(x -> l.add(plain(x)));
      return l;
    }
    if (v instanceof StringValue s) {
      return s.value();
    }
    if (v instanceof BooleanValue b) {
      return b.value();
    }
    if (v instanceof NumberValue n) {
      return n;
    }
    return v instanceof NullValue ? null : v.toString();
  }

  private static BuiltinError mismatch(Object o, String want) {
    String got = o instanceof Map ? "object" : o instanceof List ? "array" : o instanceof String ? "string"
        : o instanceof Boolean ? "bool" : "number";
    return new BuiltinError("json: cannot unmarshal " + got + " into Go value of type " + want);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (o == null) {
      return new LinkedHashMap<>();
    }
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw mismatch(o, "struct");
  }

  /** A struct-typed field that may be absent (nil pointer). */
  static Map<String, Object> optMap(Object o) {
    return o == null ? null : map(o);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw mismatch(o, "slice");
  }

  static String str(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof String s) {
      return s;
    }
    throw mismatch(o, "string");
  }

  static boolean bool(Object o) {
    if (o == null) {
      return false;
    }
    if (o instanceof Boolean b) {
      return b;
    }
    throw mismatch(o, "bool");
  }

  static int integer(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof NumberValue n && n.asInt().isPresent()) {
      return n.asInt().getAsInt();
    }
    if (o instanceof Integer i) {
      return i;
    }
    throw mismatch(o, "int");
  }
}
