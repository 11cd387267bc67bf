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
        return struct("QueryDocument", plain(o));
    }

    static Map<String, Object> schemaDocument(ObjectValue o) {
        return struct("SchemaDocument", plain(o));
    }

    /**
     * gqlparser's structs, field by field, in the order {@link GqlParser} emits them: "s" string, "b" bool,
     * "i" int, "*T" optional struct T, "[T" list of T, "[s" list of strings.
     */
    private static final Map<String, String[][]> STRUCTS = Map.ofEntries(
            Map.entry(
                    "QueryDocument",
                    new String[][] {{"Operations", "[OperationDefinition"}, {"Fragments", "[FragmentDefinition"}}),
            Map.entry("OperationDefinition", new String[][] {
                {"Operation", "s"},
                {"Name", "s"},
                {"VariableDefinitions", "[VariableDefinition"},
                {"Directives", "[Directive"},
                {"SelectionSet", "[Selection"}
            }),
            Map.entry("VariableDefinition", new String[][] {
                {"Variable", "s"},
                {"Type", "*Type"},
                {"DefaultValue", "*Value"},
                {"Directives", "[Directive"},
                {"Used", "b"}
            }),
            Map.entry("Type", new String[][] {{"NamedType", "s"}, {"Elem", "*Type"}, {"NonNull", "b"}}),
            Map.entry("Value", new String[][] {
                {"Raw", "s"}, {"Children", "[ChildValue"}, {"Kind", "i"}, {"ExpectedTypeHasDefault", "b"}
            }),
            Map.entry("ChildValue", new String[][] {{"Name", "s"}, {"Value", "*Value"}}),
            Map.entry("Directive", new String[][] {{"Name", "s"}, {"Arguments", "[Argument"}, {"Location", "s"}}),
            Map.entry("Argument", new String[][] {{"Name", "s"}, {"Value", "*Value"}}),
            Map.entry("Field", new String[][] {
                {"Alias", "s"},
                {"Name", "s"},
                {"Arguments", "[Argument"},
                {"Directives", "[Directive"},
                {"SelectionSet", "[Selection"}
            }),
            Map.entry("FragmentSpread", new String[][] {{"Name", "s"}, {"Directives", "[Directive"}}),
            Map.entry("InlineFragment", new String[][] {
                {"TypeCondition", "s"}, {"Directives", "[Directive"}, {"SelectionSet", "[Selection"}
            }),
            Map.entry("FragmentDefinition", new String[][] {
                {"Name", "s"},
                {"VariableDefinition", "[VariableDefinition"},
                {"TypeCondition", "s"},
                {"Directives", "[Directive"},
                {"SelectionSet", "[Selection"}
            }),
            Map.entry("SchemaDocument", new String[][] {
                {"Schema", "[SchemaDefinition"},
                {"SchemaExtension", "[SchemaDefinition"},
                {"Directives", "[DirectiveDefinition"},
                {"Definitions", "[Definition"},
                {"Extensions", "[Definition"}
            }),
            Map.entry("SchemaDefinition", new String[][] {
                {"Description", "s"}, {"Directives", "[Directive"}, {"OperationTypes", "[OperationTypeDefinition"}
            }),
            Map.entry("OperationTypeDefinition", new String[][] {{"Operation", "s"}, {"Type", "s"}}),
            Map.entry("DirectiveDefinition", new String[][] {
                {"Description", "s"},
                {"Name", "s"},
                {"Arguments", "[ArgumentDefinition"},
                {"IsRepeatable", "b"},
                {"Locations", "[s"}
            }),
            Map.entry("Definition", new String[][] {
                {"Kind", "s"},
                {"Description", "s"},
                {"Name", "s"},
                {"Directives", "[Directive"},
                {"Interfaces", "[s"},
                {"Fields", "[FieldDefinition"},
                {"Types", "[s"},
                {"EnumValues", "[EnumValueDefinition"},
                {"BuiltIn", "b"}
            }),
            Map.entry("FieldDefinition", new String[][] {
                {"Description", "s"},
                {"Name", "s"},
                {"Arguments", "[ArgumentDefinition"},
                {"DefaultValue", "*Value"},
                {"Type", "*Type"},
                {"Directives", "[Directive"}
            }),
            Map.entry("ArgumentDefinition", new String[][] {
                {"Description", "s"},
                {"Name", "s"},
                {"Type", "*Type"},
                {"DefaultValue", "*Value"},
                {"Directives", "[Directive"}
            }),
            Map.entry(
                    "EnumValueDefinition",
                    new String[][] {{"Description", "s"}, {"Name", "s"}, {"Directives", "[Directive"}}));

    /**
     * Decodes a JSON object into the named struct as Go's encoding/json does: known fields only (keys matched
     * exactly, else case-insensitively), zero values for absent ones, a type error for a mismatched one.
     */
    private static Map<String, Object> struct(String type, Object json) {
        if (type.equals("Selection")) {
            type = selectionKind(map(json));
        }
        Map<String, Object> in = map(json);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String[] field : STRUCTS.get(type)) {
            Object v = field(in, field[0]);
            String kind = field[1];
            out.put(
                    field[0],
                    switch (kind) {
                        case "s" -> str(v);
                        case "b" -> bool(v);
                        case "i" -> integer(v);
                        case "[s" -> {
                            List<Object> l = new ArrayList<>();
                            list(v).forEach(x -> l.add(str(x)));
                            yield l;
                        }
                        default -> {
                            String elem = kind.substring(1);
                            if (kind.charAt(0) == '*') {
                                yield v == null ? null : struct(elem, v);
                            }
                            List<Object> l = new ArrayList<>();
                            list(v).forEach(x -> l.add(x == null ? null : struct(elem, x)));
                            yield l;
                        }
                    });
        }
        return out;
    }

    private static Object field(Map<String, Object> in, String name) {
        if (in.containsKey(name)) {
            return in.get(name);
        }
        for (Map.Entry<String, Object> e : in.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Which selection a JSON object is: a field has an alias, an inline fragment a type condition. */
    private static String selectionKind(Map<String, Object> m) {
        if (field(m, "Alias") != null) {
            return "Field";
        }
        if (field(m, "TypeCondition") != null) {
            return "InlineFragment";
        }
        return field(m, "SelectionSet") != null || field(m, "Arguments") != null ? "Field" : "FragmentSpread";
    }

    private static Object plain(Value v) {
        if (v instanceof ObjectValue o) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<Value, Value> e : o.entries()) {
                if (!(e.getKey() instanceof StringValue k)) {
                    throw new BuiltinError("json: unsupported type: object key of type "
                            + e.getKey().typeName());
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
        String got = o instanceof Map
                ? "object"
                : o instanceof List
                        ? "array"
                        : o instanceof String ? "string" : o instanceof Boolean ? "bool" : "number";
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
