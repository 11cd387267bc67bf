package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.ANY_OBJECT;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * json.filter, json.remove, json.patch (RFC 6902; a failing patch is undefined as in OPA),
 * json.marshal, json.marshal_with_options, json.unmarshal and json.is_valid, following OPA's
 * {@code json.go} and {@code encoding.go}. Paths are "/"-separated JSON pointers (~0, ~1 escapes)
 * or arrays of segments.
 */
final class JsonBuiltins {
    private JsonBuiltins() {}

    private static final Pattern ARRAY_INDEX = Pattern.compile("0|[1-9][0-9]*");
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();
    private static final Type PATHS =
            Type.anyOf(Type.array(Type.anyOf(STRING, Type.ANY_ARRAY)), Type.set(Type.anyOf(STRING, Type.ANY_ARRAY)));

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("json.filter", args(ANY_OBJECT, PATHS), ANY, JsonBuiltins::filter),
                Builtin.simple("json.remove", args(ANY_OBJECT, PATHS), ANY, JsonBuiltins::remove),
                Builtin.simple("json.patch", args(ANY, Type.array(ANY_OBJECT)), ANY, JsonBuiltins::patch),
                Builtin.simple(
                        "json.marshal", args(ANY), STRING, (a, c) -> StringValue.of(Values.toJsonString(a.get(0)))),
                Builtin.simple(
                        "json.marshal_with_options", args(ANY, ANY_OBJECT), STRING, JsonBuiltins::marshalWithOptions),
                Builtin.simple("json.unmarshal", args(STRING), ANY, (a, c) -> unmarshal(Operands.string(a, 0))),
                Builtin.simple("json.is_valid", args(STRING), Type.BOOLEAN, JsonBuiltins::isValid));
    }

    static Value unmarshal(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BuiltinError("unexpected end of JSON input");
            }
            return Values.fromJson(node);
        } catch (JacksonException e) {
            throw new BuiltinError(e.getOriginalMessage());
        }
    }

    private static Value isValid(List<Value> args, BuiltinContext ctx) {
        if (!(args.get(0) instanceof StringValue s)) {
            return BooleanValue.FALSE;
        }
        try {
            unmarshal(s.value());
            return BooleanValue.TRUE;
        } catch (BuiltinError e) {
            return BooleanValue.FALSE;
        }
    }

    private static Value marshalWithOptions(List<Value> args, BuiltinContext ctx) {
        Value v = args.get(0);
        ObjectValue opts = Operands.object(args, 1);
        String indent = "\t";
        String prefix = "";
        boolean implicitPretty = false;
        Boolean explicitPretty = null;
        for (Value k : opts.keys()) {
            if (!(k instanceof StringValue ks)) {
                throw new BuiltinTypeError("operand 2 failed to stringify key " + k);
            }
            Value val = opts.get(k);
            switch (ks.value()) {
                case "prefix", "indent" -> {
                    if (!(val instanceof StringValue sv)) {
                        throw new BuiltinTypeError("operand 2 key " + ks.value() + " failed cast to string");
                    }
                    if (ks.value().equals("prefix")) {
                        prefix = sv.value();
                    } else {
                        indent = sv.value();
                    }
                    implicitPretty = true;
                }
                case "pretty" -> {
                    if (!(val instanceof BooleanValue bv)) {
                        throw new BuiltinTypeError("operand 2 key pretty failed cast to bool");
                    }
                    explicitPretty = bv.value();
                }
                default ->
                    throw new BuiltinTypeError("operand 2 object contained unknown key " + GoQuote.quote(ks.value()));
            }
        }
        boolean pretty = explicitPretty != null ? explicitPretty : implicitPretty;
        if (!pretty) {
            return StringValue.of(Values.toJsonString(v));
        }
        StringBuilder sb = new StringBuilder(prefix);
        writeIndented(Values.parseJson(Values.toJsonString(v)), sb, prefix, indent, 0);
        return StringValue.of(sb.toString());
    }

    /** Go's json.MarshalIndent layout over an already canonical (sorted) value. */
    private static void writeIndented(Value v, StringBuilder sb, String prefix, String indent, int depth) {
        if (v instanceof ArrayValue a && a.size() > 0) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                sb.append(i > 0 ? "," : "").append('\n').append(prefix).append(indent.repeat(depth + 1));
                writeIndented(a.get(i), sb, prefix, indent, depth + 1);
            }
            sb.append('\n').append(prefix).append(indent.repeat(depth)).append(']');
        } else if (v instanceof ObjectValue o && o.size() > 0) {
            sb.append('{');
            java.util.TreeMap<String, Value> sorted = new java.util.TreeMap<>();
            for (Value k : o.keys()) {
                sorted.put(((StringValue) k).value(), o.get(k));
            }
            boolean first = true;
            for (Map.Entry<String, Value> e : sorted.entrySet()) {
                sb.append(first ? "" : ",").append('\n').append(prefix).append(indent.repeat(depth + 1));
                first = false;
                Values.jsonQuote(e.getKey(), sb);
                sb.append(": ");
                writeIndented(e.getValue(), sb, prefix, indent, depth + 1);
            }
            sb.append('\n').append(prefix).append(indent.repeat(depth)).append('}');
        } else {
            sb.append(Values.toJsonString(v));
        }
    }

    /** Parses each path (pointer string or segment array) into segments. */
    private static List<List<Value>> paths(List<Value> args) {
        Value v = args.get(1);
        Collection<Value> elems = Operands.elementsOf(v);
        if (elems == null) {
            throw Operands.oneOf(1, v, "set", "array");
        }
        List<List<Value>> out = new ArrayList<>();
        for (Value p : elems) {
            out.add(parsePath(p));
        }
        return out;
    }

    static List<Value> parsePath(Value p) {
        if (p instanceof StringValue s) {
            if (s.value().isEmpty()) {
                return List.of();
            }
            List<Value> segs = new ArrayList<>();
            for (String part : StringBuiltins.goSplit(s.value().replaceFirst("^/+", ""), "/")) {
                segs.add(StringValue.of(part.replace("~1", "/").replace("~0", "~")));
            }
            return segs;
        }
        if (p instanceof ArrayValue a) {
            return a.elements();
        }
        throw new BuiltinTypeError(
                "operand 2 must be one of {set, array} containing string paths or array of path segments but got "
                        + p.typeName());
    }

    /** OPA's pathsToObject: a tree of objects whose leaves are null. */
    private static ObjectValue pathsToObject(List<List<Value>> paths) {
        Map<Value, Object> root = new HashMap<>();
        for (List<Value> path : paths) {
            if (path.isEmpty()) {
                continue;
            }
            Map<Value, Object> node = root;
            boolean done = false;
            for (int i = 0; i < path.size() - 1 && !done; i++) {
                Object child = node.get(path.get(i));
                if (child == null) {
                    Map<Value, Object> m = new HashMap<>();
                    node.put(path.get(i), m);
                    node = m;
                } else if (child == NullValue.INSTANCE) {
                    done = true;
                } else {
                    @SuppressWarnings("unchecked")
                    Map<Value, Object> m = (Map<Value, Object>) child;
                    node = m;
                }
            }
            if (!done) {
                node.put(path.get(path.size() - 1), NullValue.INSTANCE);
            }
        }
        return toObject(root);
    }

    private static ObjectValue toObject(Map<Value, Object> tree) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Object> e : tree.entrySet()) {
            @SuppressWarnings("unchecked")
            Value v = e.getValue() instanceof Map<?, ?> m ? toObject((Map<Value, Object>) m) : (Value) e.getValue();
            b.put(e.getKey(), v);
        }
        return b.build();
    }

    private static Value filter(List<Value> args, BuiltinContext ctx) {
        ObjectValue obj = Operands.object(args, 0);
        return filterValue(obj, pathsToObject(paths(args)));
    }

    /** OPA's filterObject: keeps what the filter tree names; array positions are keyed by their decimal string. */
    private static Value filterValue(Value v, Value filter) {
        if (filter instanceof NullValue) {
            return v;
        }
        ObjectValue f = (ObjectValue) filter;
        if (v instanceof ArrayValue a) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                Value sub = f.get(StringValue.of(Integer.toString(i)));
                if (sub != null) {
                    out.add(filterValue(a.get(i), sub));
                }
            }
            return ArrayValue.of(out);
        }
        if (v instanceof SetValue s) {
            List<Value> out = new ArrayList<>();
            for (Value e : s.elements()) {
                Value sub = f.get(e);
                if (sub != null) {
                    out.add(filterValue(e, sub));
                }
            }
            return SetValue.of(out);
        }
        if (v instanceof ObjectValue o) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                Value sub = f.get(e.getKey());
                if (sub != null) {
                    b.put(e.getKey(), filterValue(e.getValue(), sub));
                }
            }
            return b.build();
        }
        return v;
    }

    private static Value remove(List<Value> args, BuiltinContext ctx) {
        Operands.object(args, 0);
        return removeValue(args.get(0), pathsToObject(paths(args)));
    }

    /** OPA's jsonRemove: null leaves of the path tree are dropped; arrays close the gaps. */
    private static Value removeValue(Value a, Value b) {
        if (b == null) {
            return a;
        }
        if (b instanceof NullValue) {
            return null;
        }
        if (!(b instanceof ObjectValue bo)) {
            return a;
        }
        if (a instanceof ObjectValue o) {
            ObjectValue.Builder out = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                Value d = removeValue(e.getValue(), bo.get(e.getKey()));
                if (d != null) {
                    out.put(e.getKey(), d);
                }
            }
            return out.build();
        }
        if (a instanceof SetValue s) {
            List<Value> out = new ArrayList<>();
            for (Value e : s.elements()) {
                Value d = removeValue(e, bo.get(e));
                if (d != null) {
                    out.add(d);
                }
            }
            return SetValue.of(out);
        }
        if (a instanceof ArrayValue arr) {
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                Value d = removeValue(arr.get(i), bo.get(StringValue.of(Integer.toString(i))));
                if (d != null) {
                    out.add(d);
                }
            }
            return ArrayValue.of(out);
        }
        return a;
    }

    /** Signals a failed patch operation; json.patch is then undefined. */
    private static final class PatchFailed extends RuntimeException {
        PatchFailed() {
            super(null, null, false, false);
        }
    }

    private static Value patch(List<Value> args, BuiltinContext ctx) {
        Value doc = args.get(0);
        ArrayValue ops = Operands.array(args, 1);
        try {
            for (Value opv : ops.elements()) {
                doc = applyOp(doc, opv);
            }
            return doc;
        } catch (PatchFailed e) {
            return null;
        }
    }

    private static Value attr(ObjectValue op, String name) {
        Value v = op.get(name);
        if (v == null) {
            throw new PatchFailed();
        }
        return v;
    }

    private static Value applyOp(Value doc, Value opv) {
        if (!(opv instanceof ObjectValue op) || !(attr(op, "op") instanceof StringValue opName)) {
            throw new PatchFailed();
        }
        String name = opName.value();
        if (!List.of("add", "remove", "replace", "move", "copy", "test").contains(name)) {
            throw new PatchFailed();
        }
        List<Value> path = pathOf(attr(op, "path"));
        switch (name) {
            case "add":
                return insert(doc, path, attr(op, "value"));
            case "remove":
                return delete(doc, path);
            case "replace":
                Value value = attr(op, "value");
                return path.isEmpty() ? value : insert(delete(doc, path), path, value);
            case "move": {
                List<Value> from = pathOf(attr(op, "from"));
                Value chunk = render(doc, from);
                return insert(delete(doc, from), path, chunk);
            }
            case "copy": {
                List<Value> from = pathOf(attr(op, "from"));
                return insert(doc, path, render(doc, from));
            }
            default: {
                Value expected = attr(op, "value");
                if (!render(doc, path).equals(expected)) {
                    throw new PatchFailed();
                }
                return doc;
            }
        }
    }

    private static List<Value> pathOf(Value p) {
        if (!(p instanceof StringValue || p instanceof ArrayValue)) {
            throw new PatchFailed();
        }
        return parsePath(p);
    }

    private static int index(Value seg, int size, boolean allowEnd) {
        String s;
        if (seg instanceof StringValue sv) {
            s = sv.value();
            if (allowEnd && s.equals("-")) {
                return size;
            }
        } else if (seg instanceof NumberValue n && n.isInteger()) {
            s = n.toString();
        } else {
            throw new PatchFailed();
        }
        if (!ARRAY_INDEX.matcher(s).matches() || s.length() > 9) {
            throw new PatchFailed();
        }
        int i = Integer.parseInt(s);
        if (i > (allowEnd ? size : size - 1)) {
            throw new PatchFailed();
        }
        return i;
    }

    private static Value render(Value doc, List<Value> path) {
        Value cur = doc;
        for (Value seg : path) {
            if (cur instanceof ObjectValue o) {
                cur = o.get(seg);
            } else if (cur instanceof ArrayValue a) {
                cur = a.get(index(seg, a.size(), false));
            } else if (cur instanceof SetValue s) {
                cur = s.contains(seg) ? seg : null;
            } else {
                cur = null;
            }
            if (cur == null) {
                throw new PatchFailed();
            }
        }
        return cur;
    }

    private static Value insert(Value doc, List<Value> path, Value value) {
        if (path.isEmpty()) {
            return value;
        }
        Value seg = path.get(0);
        List<Value> rest = path.subList(1, path.size());
        if (doc instanceof ObjectValue o) {
            Map<Value, Value> m = new HashMap<>(o.asMap());
            if (rest.isEmpty()) {
                m.put(seg, value);
            } else {
                Value child = o.get(seg);
                if (child == null) {
                    throw new PatchFailed();
                }
                m.put(seg, insert(child, rest, value));
            }
            return ObjectValue.of(m);
        }
        if (doc instanceof ArrayValue a) {
            List<Value> l = new ArrayList<>(a.elements());
            if (rest.isEmpty()) {
                l.add(index(seg, a.size(), true), value);
            } else {
                int i = index(seg, a.size(), false);
                l.set(i, insert(l.get(i), rest, value));
            }
            return ArrayValue.of(l);
        }
        if (doc instanceof SetValue s && rest.isEmpty() && seg.equals(value)) {
            List<Value> l = new ArrayList<>(s.elements());
            l.add(value);
            return SetValue.of(l);
        }
        if (doc instanceof SetValue s && !rest.isEmpty() && s.contains(seg)) {
            return replaceMember(s, seg, insert(seg, rest, value));
        }
        throw new PatchFailed();
    }

    private static Value delete(Value doc, List<Value> path) {
        if (path.isEmpty()) {
            throw new PatchFailed();
        }
        Value seg = path.get(0);
        List<Value> rest = path.subList(1, path.size());
        if (doc instanceof ObjectValue o) {
            Value child = o.get(seg);
            if (child == null) {
                throw new PatchFailed();
            }
            Map<Value, Value> m = new HashMap<>(o.asMap());
            if (rest.isEmpty()) {
                m.remove(seg);
            } else {
                m.put(seg, delete(child, rest));
            }
            return ObjectValue.of(m);
        }
        if (doc instanceof ArrayValue a) {
            List<Value> l = new ArrayList<>(a.elements());
            int i = index(seg, a.size(), false);
            if (rest.isEmpty()) {
                l.remove(i);
            } else {
                l.set(i, delete(l.get(i), rest));
            }
            return ArrayValue.of(l);
        }
        if (doc instanceof SetValue s && rest.isEmpty() && s.contains(seg)) {
            List<Value> l = new ArrayList<>(s.elements());
            l.remove(seg);
            return SetValue.of(l);
        }
        if (doc instanceof SetValue s && s.contains(seg)) {
            return replaceMember(s, seg, delete(seg, rest));
        }
        throw new PatchFailed();
    }

    /** A set member addressed by a path is itself the path segment: patching inside it replaces it. */
    private static SetValue replaceMember(SetValue s, Value old, Value updated) {
        List<Value> l = new ArrayList<>(s.elements());
        l.remove(old);
        l.add(updated);
        return SetValue.of(l);
    }
}
