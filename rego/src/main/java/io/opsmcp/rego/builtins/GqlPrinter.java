package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.GqlJson.bool;
import static io.opsmcp.rego.builtins.GqlJson.integer;
import static io.opsmcp.rego.builtins.GqlJson.list;
import static io.opsmcp.rego.builtins.GqlJson.map;
import static io.opsmcp.rego.builtins.GqlJson.optMap;
import static io.opsmcp.rego.builtins.GqlJson.str;

import java.util.List;
import java.util.Map;

/** Prints gqlparser-shaped AST node maps back to GraphQL source text, for graphql-java's validator. */
final class GqlPrinter {
    private GqlPrinter() {}

    static String query(Map<String, Object> doc) {
        StringBuilder sb = new StringBuilder();
        for (Object o : list(doc.get("Operations"))) {
            Map<String, Object> op = map(o);
            String kind = str(op.get("Operation"));
            sb.append(kind.isEmpty() ? "query" : kind);
            String name = str(op.get("Name"));
            if (!name.isEmpty()) {
                sb.append(' ').append(name);
            }
            List<Object> vars = list(op.get("VariableDefinitions"));
            if (!vars.isEmpty()) {
                sb.append('(');
                for (Object v : vars) {
                    Map<String, Object> var = map(v);
                    sb.append('$').append(str(var.get("Variable"))).append(": ").append(type(optMap(var.get("Type"))));
                    Map<String, Object> dflt = optMap(var.get("DefaultValue"));
                    if (dflt != null) {
                        sb.append(" = ").append(value(dflt));
                    }
                    directives(sb, var.get("Directives"));
                    sb.append(' ');
                }
                sb.append(')');
            }
            directives(sb, op.get("Directives"));
            selections(sb, op.get("SelectionSet"));
            sb.append('\n');
        }
        for (Object o : list(doc.get("Fragments"))) {
            Map<String, Object> f = map(o);
            sb.append("fragment ").append(str(f.get("Name"))).append(" on ").append(str(f.get("TypeCondition")));
            directives(sb, f.get("Directives"));
            selections(sb, f.get("SelectionSet"));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void selections(StringBuilder sb, Object set) {
        sb.append(" {");
        for (Object o : list(set)) {
            Map<String, Object> s = map(o);
            sb.append(' ');
            if (s.containsKey("Alias") || (!s.containsKey("TypeCondition") && s.containsKey("SelectionSet"))) {
                String name = str(s.get("Name"));
                String alias = str(s.get("Alias"));
                if (!alias.isEmpty() && !alias.equals(name)) {
                    sb.append(alias).append(": ");
                }
                sb.append(name);
                arguments(sb, s.get("Arguments"));
                directives(sb, s.get("Directives"));
                if (!list(s.get("SelectionSet")).isEmpty()) {
                    selections(sb, s.get("SelectionSet"));
                }
            } else if (s.containsKey("TypeCondition")) {
                sb.append("...");
                String on = str(s.get("TypeCondition"));
                if (!on.isEmpty()) {
                    sb.append(" on ").append(on);
                }
                directives(sb, s.get("Directives"));
                selections(sb, s.get("SelectionSet"));
            } else {
                sb.append("...").append(str(s.get("Name")));
                directives(sb, s.get("Directives"));
            }
        }
        sb.append(" }");
    }

    static void directives(StringBuilder sb, Object dirs) {
        for (Object o : list(dirs)) {
            Map<String, Object> d = map(o);
            sb.append(" @").append(str(d.get("Name")));
            arguments(sb, d.get("Arguments"));
        }
    }

    private static void arguments(StringBuilder sb, Object args) {
        List<Object> l = list(args);
        if (l.isEmpty()) {
            return;
        }
        sb.append('(');
        for (Object o : l) {
            Map<String, Object> a = map(o);
            sb.append(str(a.get("Name")))
                    .append(": ")
                    .append(value(optMap(a.get("Value"))))
                    .append(' ');
        }
        sb.append(')');
    }

    static String type(Map<String, Object> t) {
        if (t == null) {
            return "";
        }
        Map<String, Object> elem = optMap(t.get("Elem"));
        String s = elem != null ? "[" + type(elem) + "]" : str(t.get("NamedType"));
        return bool(t.get("NonNull")) ? s + "!" : s;
    }

    static String value(Map<String, Object> v) {
        if (v == null) {
            return "null";
        }
        String raw = str(v.get("Raw"));
        switch (integer(v.get("Kind"))) {
            case GqlParser.VARIABLE:
                return "$" + raw;
            case GqlParser.STRING_VALUE:
            case GqlParser.BLOCK_VALUE:
                return quote(raw);
            case GqlParser.LIST_VALUE: {
                StringBuilder sb = new StringBuilder("[");
                for (Object c : list(v.get("Children"))) {
                    sb.append(value(optMap(map(c).get("Value")))).append(' ');
                }
                return sb.append(']').toString();
            }
            case GqlParser.OBJECT_VALUE: {
                StringBuilder sb = new StringBuilder("{");
                for (Object c : list(v.get("Children"))) {
                    Map<String, Object> child = map(c);
                    sb.append(str(child.get("Name")))
                            .append(": ")
                            .append(value(optMap(child.get("Value"))))
                            .append(' ');
                }
                return sb.append('}').toString();
            }
            default:
                return raw;
        }
    }

    /** A GraphQL string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
