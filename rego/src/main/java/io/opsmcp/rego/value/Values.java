package io.opsmcp.rego.value;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conversions between Rego values and JSON. Sets become arrays in sort order; object keys that
 * are not strings become their compact JSON text (as OPA's {@code ast.JSON} does).
 */
public final class Values {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Values() {}

    /** Converts a Jackson tree to a value. */
    public static Value fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.INSTANCE;
        }
        if (node.isBoolean()) {
            return BooleanValue.of(node.booleanValue());
        }
        if (node.isNumber()) {
            if (node.isIntegralNumber()) {
                return node.canConvertToLong()
                        ? NumberValue.of(node.longValue())
                        : NumberValue.of(node.bigIntegerValue());
            }
            return NumberValue.of(node.decimalValue());
        }
        if (node.isString()) {
            return StringValue.of(node.asString());
        }
        if (node.isArray()) {
            Value[] out = new Value[node.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = fromJson(node.get(i));
            }
            return out.length == 0 ? ArrayValue.EMPTY : ArrayValue.wrap(out);
        }
        if (node.isObject()) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                b.put(StringValue.of(e.getKey()), fromJson(e.getValue()));
            }
            return b.build();
        }
        return StringValue.of(node.asString());
    }

    /**
     * The same value with every string (object keys included) {@link StringValue#intern() interned}: for a
     * policy's base data, compiled once and read by every evaluation.
     */
    public static Value intern(Value v) {
        if (v instanceof StringValue s) {
            return s.intern();
        }
        if (v instanceof ArrayValue a) {
            Value[] out = new Value[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = intern(a.get(i));
            }
            return out.length == 0 ? ArrayValue.EMPTY : ArrayValue.wrap(out);
        }
        if (v instanceof SetValue s) {
            SetValue.Builder b = SetValue.builder();
            for (Value e : s.elements()) {
                b.add(intern(e));
            }
            return b.build();
        }
        if (v instanceof ObjectValue o) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                b.put(intern(e.getKey()), intern(e.getValue()));
            }
            return b.build();
        }
        return v;
    }

    /** Converts a value to a Jackson tree. */
    public static JsonNode toJson(Value v) {
        if (v instanceof NullValue) {
            return NODES.nullNode();
        }
        if (v instanceof BooleanValue b) {
            return NODES.booleanNode(b.value());
        }
        if (v instanceof NumberValue n) {
            BigDecimal d = n.bigDecimal();
            if (n.isInteger()) {
                var l = n.asLong();
                if (l.isPresent()) {
                    long x = l.getAsLong();
                    return x == (int) x ? NODES.numberNode((int) x) : NODES.numberNode(x);
                }
                return NODES.numberNode(d.toBigInteger());
            }
            return NODES.numberNode(d);
        }
        if (v instanceof StringValue s) {
            return NODES.stringNode(s.value());
        }
        if (v instanceof ArrayValue a) {
            ArrayNode out = NODES.arrayNode(a.size());
            for (int i = 0; i < a.size(); i++) {
                out.add(toJson(a.get(i)));
            }
            return out;
        }
        if (v instanceof SetValue s) {
            ArrayNode out = NODES.arrayNode(s.size());
            for (Value e : s.elements()) {
                out.add(toJson(e));
            }
            return out;
        }
        ObjectValue o = (ObjectValue) v;
        ObjectNode out = NODES.objectNode();
        for (Value k : o.keys()) {
            String key = k instanceof StringValue s ? s.value() : toJsonString(k);
            out.set(key, toJson(o.get(k)));
        }
        return out;
    }

    /** Parses JSON text. @throws JacksonException when the text is not valid JSON */
    public static Value parseJson(String json) {
        return fromJson(MAPPER.readTree(json));
    }

    /** Compact JSON text, as OPA's {@code json.marshal} prints it (keys sorted, no spaces). */
    public static String toJsonString(Value v) {
        StringBuilder sb = new StringBuilder();
        writeJson(v, sb);
        return sb.toString();
    }

    private static void writeJson(Value v, StringBuilder sb) {
        if (v instanceof StringValue s) {
            jsonQuote(s.value(), sb);
        } else if (v instanceof ArrayValue a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                writeJson(a.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof SetValue s) {
            sb.append('[');
            boolean first = true;
            for (Value e : s.elements()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeJson(e, sb);
            }
            sb.append(']');
        } else if (v instanceof ObjectValue o) {
            // Go's encoding/json sorts map keys by their string form.
            java.util.TreeMap<String, Value> sorted = new java.util.TreeMap<>();
            for (Value k : o.keys()) {
                sorted.put(k instanceof StringValue s ? s.value() : toJsonString(k), o.get(k));
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Value> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                jsonQuote(e.getKey(), sb);
                sb.append(':');
                writeJson(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            sb.append(v);
        }
    }

    /** JSON-quotes a string the way Go's encoding/json does (HTML characters escaped). */
    public static void jsonQuote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Quotes a string as Rego/Go's {@code strconv.Quote} prints it. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Rego truthiness used by the evaluator: only {@code false} is falsy for expressions. */
    public static boolean isFalse(Value v) {
        return v == BooleanValue.FALSE;
    }
}
