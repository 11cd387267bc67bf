package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.GqlJson.bool;
import static io.opsmcp.rego.builtins.GqlJson.list;
import static io.opsmcp.rego.builtins.GqlJson.map;
import static io.opsmcp.rego.builtins.GqlJson.optMap;
import static io.opsmcp.rego.builtins.GqlJson.str;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A schema document checked with the rules of gqlparser's {@code ValidateSchemaDocument} (which OPA runs on the
 * prelude merged with the user's schema): no redeclared types or directives, extensions merged into their type
 * (creating it when absent), schema roots that exist, field and argument types that exist and fit, fields defined
 * once, interfaces implemented with covariant fields, directives defined and applicable, no names starting with
 * {@code __}. Messages are gqlparser's, without positions. {@link #sdl()} prints the merged user types for
 * graphql-java.
 */
final class GqlSchema {
    /** The built-in scalars, directives and introspection types of the GraphQL specification. */
    private static final String PRELUDE = """
      scalar Int
      scalar Float
      scalar String
      scalar Boolean
      scalar ID
      directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
      directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION \
      | INPUT_FIELD_DEFINITION | ENUM_VALUE
      directive @specifiedBy(url: String!) on SCALAR
      type __Schema {
        description: String
        types: [__Type!]!
        queryType: __Type!
        mutationType: __Type
        subscriptionType: __Type
        directives: [__Directive!]!
      }
      type __Type {
        kind: __TypeKind!
        name: String
        description: String
        fields(includeDeprecated: Boolean = false): [__Field!]
        interfaces: [__Type!]
        possibleTypes: [__Type!]
        enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
        inputFields: [__InputValue!]
        ofType: __Type
        specifiedByURL: String
      }
      type __Field {
        name: String!
        description: String
        args: [__InputValue!]!
        type: __Type!
        isDeprecated: Boolean!
        deprecationReason: String
      }
      type __InputValue {
        name: String!
        description: String
        type: __Type!
        defaultValue: String
      }
      type __EnumValue {
        name: String!
        description: String
        isDeprecated: Boolean!
        deprecationReason: String
      }
      enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
      type __Directive {
        name: String!
        description: String
        locations: [__DirectiveLocation!]!
        args: [__InputValue!]!
        isRepeatable: Boolean!
      }
      enum __DirectiveLocation {
        QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION
        SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT
        INPUT_FIELD_DEFINITION
      }
      """;

    private static final Set<String> BUILTIN_DIRECTIVES = Set.of("include", "skip", "deprecated", "specifiedBy");

    /** A type with its extensions merged in. */
    private static final class Def {
        final String kind;
        final String name;
        final boolean builtIn;
        final List<Object> directives = new ArrayList<>();
        final List<String> interfaces = new ArrayList<>();
        final List<Map<String, Object>> fields = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        final List<Map<String, Object>> enumValues = new ArrayList<>();

        Def(String kind, String name, boolean builtIn) {
            this.kind = kind;
            this.name = name;
            this.builtIn = builtIn;
        }

        void merge(Map<String, Object> d) {
            directives.addAll(list(d.get("Directives")));
            list(d.get("Interfaces")).forEach(i -> interfaces.add(str(i)));
            list(d.get("Fields")).forEach(f -> fields.add(map(f)));
            list(d.get("Types")).forEach(t -> types.add(str(t)));
            list(d.get("EnumValues")).forEach(e -> enumValues.add(map(e)));
        }

        boolean isInputType() {
            return kind.equals("SCALAR") || kind.equals("ENUM") || kind.equals("INPUT_OBJECT");
        }
    }

    private final Map<String, Def> types = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> directives = new LinkedHashMap<>();
    private final Set<String> builtinDirectives = new java.util.HashSet<>();
    private final Map<String, List<Def>> possibleTypes = new HashMap<>();
    private final Map<String, String> roots = new HashMap<>();

    private GqlSchema() {}

    /** Validates a schema document. @throws BuiltinError with gqlparser's message on the first violation */
    static GqlSchema validate(Map<String, Object> doc) {
        GqlSchema s = new GqlSchema();
        s.load(GqlParser.parseSchema(PRELUDE), true);
        s.load(doc, false);
        s.check(doc);
        return s;
    }

    private void load(Map<String, Object> doc, boolean builtIn) {
        for (Object o : list(doc.get("Definitions"))) {
            Map<String, Object> d = map(o);
            String name = str(d.get("Name"));
            if (types.containsKey(name)) {
                throw new BuiltinError("Cannot redeclare type " + name + ".");
            }
            Def def = new Def(str(d.get("Kind")), name, builtIn || bool(d.get("BuiltIn")));
            def.merge(d);
            types.put(name, def);
        }
        for (Object o : list(doc.get("Directives"))) {
            Map<String, Object> d = map(o);
            String name = str(d.get("Name"));
            if (directives.containsKey(name)) {
                if (BUILTIN_DIRECTIVES.contains(name)) {
                    continue; // gqlparser keeps the first definition of a built-in directive
                }
                throw new BuiltinError("Cannot redeclare directive " + name + ".");
            }
            directives.put(name, d);
            if (builtIn) {
                builtinDirectives.add(name);
            }
        }
    }

    private void check(Map<String, Object> doc) {
        for (Object o : list(doc.get("Extensions"))) {
            Map<String, Object> ext = map(o);
            String name = str(ext.get("Name"));
            String kind = str(ext.get("Kind"));
            Def def = types.computeIfAbsent(name, n -> new Def(kind, n, false));
            if (!def.kind.equals(kind)) {
                throw new BuiltinError("Cannot extend type " + name + " because the base type is a " + def.kind
                        + ", not " + kind + ".");
            }
            def.merge(ext);
        }
        for (Def def : types.values()) {
            switch (def.kind) {
                case "UNION" -> def.types.forEach(t -> addPossible(def.name, types.get(t)));
                case "INPUT_OBJECT", "OBJECT" -> {
                    def.interfaces.forEach(i -> addPossible(i, def));
                    addPossible(def.name, def);
                }
                case "INTERFACE" -> def.interfaces.forEach(i -> addPossible(i, def));
                default -> {}
            }
        }
        List<Object> schemaDefs = list(doc.get("Schema"));
        if (schemaDefs.size() > 1) {
            throw new BuiltinError("Cannot have multiple schema entry points, consider schema extensions instead.");
        }
        List<Object> entrypoints = new ArrayList<>();
        schemaDefs.forEach(sd -> entrypoints.addAll(list(map(sd).get("OperationTypes"))));
        list(doc.get("SchemaExtension")).forEach(sd -> entrypoints.addAll(list(map(sd).get("OperationTypes"))));
        for (Object e : entrypoints) {
            Map<String, Object> ep = map(e);
            String type = str(ep.get("Type"));
            if (!types.containsKey(type)) {
                throw new BuiltinError("Schema root " + str(ep.get("Operation")) + " refers to a type " + type
                        + " that does not exist.");
            }
            roots.put(str(ep.get("Operation")), type);
        }
        for (Def def : new TreeMap<>(types).values()) {
            validateDefinition(def);
        }
        for (Map<String, Object> dir : new TreeMap<>(directives).values()) {
            validateName(str(dir.get("Name")));
            validateArgs(list(dir.get("Arguments")), str(dir.get("Name")));
        }
        if (schemaDefs.isEmpty()) {
            for (String op : List.of("query", "mutation", "subscription")) {
                String typeName = Character.toUpperCase(op.charAt(0)) + op.substring(1);
                if (!roots.containsKey(op) && types.containsKey(typeName)) {
                    roots.put(op, typeName);
                }
            }
        }
    }

    private void addPossible(String name, Def def) {
        if (def != null) {
            possibleTypes.computeIfAbsent(name, k -> new ArrayList<>()).add(def);
        }
    }

    /** The root type name for "query", "mutation" or "subscription", or null. */
    String root(String operation) {
        return roots.get(operation);
    }

    private static String typeName(Map<String, Object> t) {
        if (t == null) {
            return "";
        }
        Map<String, Object> elem = optMap(t.get("Elem"));
        return elem != null ? typeName(elem) : str(t.get("NamedType"));
    }

    private void validateDefinition(Def def) {
        for (Map<String, Object> field : def.fields) {
            validateName(str(field.get("Name")));
            validateTypeRef(optMap(field.get("Type")));
            validateArgs(list(field.get("Arguments")), null);
            validateDirectives(
                    list(field.get("Directives")),
                    def.kind.equals("INPUT_OBJECT") ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION",
                    null);
        }
        for (String t : def.types) {
            Def member = types.get(t);
            if (member == null) {
                throw new BuiltinError("Undefined type " + GoQuote.quote(t) + ".");
            }
            if (!member.kind.equals("OBJECT")) {
                throw new BuiltinError(def.kind + " type " + GoQuote.quote(t) + " must be OBJECT.");
            }
        }
        for (String intf : def.interfaces) {
            validateImplements(def, intf);
        }
        switch (def.kind) {
            case "OBJECT", "INTERFACE" -> {
                if (def.fields.isEmpty()) {
                    throw new BuiltinError(def.kind + " " + def.name + ": must define one or more fields.");
                }
                for (Map<String, Object> field : def.fields) {
                    Def t = types.get(typeName(optMap(field.get("Type"))));
                    if (t != null && t.kind.equals("INPUT_OBJECT")) {
                        throw new BuiltinError(def.kind + " " + def.name
                                + ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
                    }
                }
            }
            case "ENUM" -> {
                if (def.enumValues.isEmpty()) {
                    throw new BuiltinError(def.kind + " " + def.name + ": must define one or more unique enum values.");
                }
                for (Map<String, Object> v : def.enumValues) {
                    String n = str(v.get("Name"));
                    if (n.equals("true") || n.equals("false") || n.equals("null")) {
                        throw new BuiltinError(def.kind + " " + def.name + ": non-enum value " + n + ".");
                    }
                }
            }
            case "INPUT_OBJECT" -> {
                if (def.fields.isEmpty()) {
                    throw new BuiltinError(def.kind + " " + def.name + ": must define one or more input fields.");
                }
                for (Map<String, Object> field : def.fields) {
                    Def t = types.get(typeName(optMap(field.get("Type"))));
                    if (t != null && !t.isInputType()) {
                        throw new BuiltinError(t.kind + " " + str(field.get("Name"))
                                + ": field must be one of SCALAR, ENUM, INPUT_OBJECT.");
                    }
                }
            }
            default -> {}
        }
        for (int i = 0; i < def.fields.size(); i++) {
            for (int j = i + 1; j < def.fields.size(); j++) {
                if (str(def.fields.get(i).get("Name"))
                        .equals(str(def.fields.get(j).get("Name")))) {
                    throw new BuiltinError("Field " + def.name + "."
                            + str(def.fields.get(j).get("Name")) + " can only be defined once.");
                }
            }
        }
        if (!def.builtIn) {
            validateName(def.name);
        }
        validateDirectives(def.directives, def.kind, null);
    }

    private void validateTypeRef(Map<String, Object> type) {
        String name = typeName(type);
        if (!types.containsKey(name)) {
            throw new BuiltinError("Undefined type " + name + ".");
        }
    }

    private void validateArgs(List<Object> args, String currentDirective) {
        for (Object o : args) {
            Map<String, Object> arg = map(o);
            validateName(str(arg.get("Name")));
            Map<String, Object> type = optMap(arg.get("Type"));
            validateTypeRef(type);
            Def def = types.get(typeName(type));
            if (!def.isInputType()) {
                throw new BuiltinError("cannot use " + GqlPrinter.type(type) + " as argument " + str(arg.get("Name"))
                        + " because " + def.kind + " is not a valid input type");
            }
            validateDirectives(list(arg.get("Directives")), "ARGUMENT_DEFINITION", currentDirective);
        }
    }

    private void validateDirectives(List<Object> dirs, String location, String currentDirective) {
        for (Object o : dirs) {
            String name = str(map(o).get("Name"));
            validateName(name);
            if (name.equals(currentDirective)) {
                throw new BuiltinError("Directive " + currentDirective + " cannot refer to itself.");
            }
            Map<String, Object> def = directives.get(name);
            if (def == null) {
                throw new BuiltinError("Undefined directive " + name + ".");
            }
            if (list(def.get("Locations")).stream().noneMatch(l -> location.equals(l))) {
                throw new BuiltinError("Directive " + name + " is not applicable on " + location + ".");
            }
        }
    }

    private void validateImplements(Def def, String intfName) {
        Def intf = types.get(intfName);
        if (intf == null) {
            throw new BuiltinError("Undefined type " + GoQuote.quote(intfName) + ".");
        }
        if (!intf.kind.equals("INTERFACE")) {
            throw new BuiltinError(GoQuote.quote(intfName) + " is a non interface type " + intf.kind + ".");
        }
        for (Map<String, Object> required : intf.fields) {
            String fieldName = str(required.get("Name"));
            Map<String, Object> found = def.fields.stream()
                    .filter(f -> str(f.get("Name")).equals(fieldName))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                throw new BuiltinError("For " + def.name + " to implement " + intf.name
                        + " it must have a field called " + fieldName + ".");
            }
            if (!covariant(optMap(required.get("Type")), optMap(found.get("Type")))) {
                throw new BuiltinError("For " + def.name + " to implement " + intf.name + " the field " + fieldName
                        + " must have type " + GqlPrinter.type(optMap(required.get("Type"))) + ".");
            }
            List<Object> foundArgs = list(found.get("Arguments"));
            for (Object ra : list(required.get("Arguments"))) {
                String argName = str(map(ra).get("Name"));
                Map<String, Object> fa = foundArgs.stream()
                        .map(GqlJson::map)
                        .filter(a -> str(a.get("Name")).equals(argName))
                        .findFirst()
                        .orElse(null);
                if (fa == null) {
                    throw new BuiltinError("For " + def.name + " to implement " + intf.name + " the field " + fieldName
                            + " must have the same arguments but it is missing " + argName + ".");
                }
                if (!compatible(optMap(map(ra).get("Type")), optMap(fa.get("Type")))) {
                    throw new BuiltinError("For " + def.name + " to implement " + intf.name + " the field " + fieldName
                            + " must have the same arguments but " + argName + " has the wrong type.");
                }
            }
            for (Object fa : foundArgs) {
                Map<String, Object> arg = map(fa);
                String argName = str(arg.get("Name"));
                boolean inInterface = list(required.get("Arguments")).stream()
                        .anyMatch(ra -> str(map(ra).get("Name")).equals(argName));
                Map<String, Object> t = optMap(arg.get("Type"));
                if (!inInterface && t != null && bool(t.get("NonNull")) && arg.get("DefaultValue") == null) {
                    throw new BuiltinError("For " + def.name + " to implement " + intf.name
                            + " any additional arguments on " + fieldName
                            + " must be optional or have a default value but " + argName + " is required.");
                }
            }
        }
        for (String transitive : intf.interfaces) {
            if (!def.interfaces.contains(transitive)) {
                if (transitive.equals(def.name)) {
                    throw new BuiltinError("Type " + def.name + " cannot implement " + intfName
                            + " because it would create a circular reference.");
                }
                throw new BuiltinError("Type " + def.name + " must implement " + transitive
                        + " because it is implemented by " + intfName + ".");
            }
        }
    }

    private boolean covariant(Map<String, Object> required, Map<String, Object> actual) {
        if (required == null || actual == null) {
            return required == actual;
        }
        if (bool(required.get("NonNull")) && !bool(actual.get("NonNull"))) {
            return false;
        }
        String named = str(required.get("NamedType"));
        if (!named.isEmpty()) {
            String actualName = str(actual.get("NamedType"));
            if (named.equals(actualName)) {
                return true;
            }
            return possibleTypes.getOrDefault(named, List.of()).stream().anyMatch(pt -> pt.name.equals(actualName));
        }
        Map<String, Object> re = optMap(required.get("Elem"));
        Map<String, Object> ae = optMap(actual.get("Elem"));
        if (re != null && ae == null) {
            return false;
        }
        return covariant(re, ae);
    }

    private static boolean compatible(Map<String, Object> t, Map<String, Object> other) {
        if (t == null || other == null) {
            return t == other;
        }
        if (!str(t.get("NamedType")).equals(str(other.get("NamedType")))) {
            return false;
        }
        Map<String, Object> te = optMap(t.get("Elem"));
        Map<String, Object> oe = optMap(other.get("Elem"));
        if (te != null && (oe == null || !compatible(te, oe))) {
            return false;
        }
        return !bool(other.get("NonNull")) || bool(t.get("NonNull"));
    }

    private static void validateName(String name) {
        if (name.startsWith("__")) {
            throw new BuiltinError("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL "
                    + "introspection.");
        }
    }

    /** The user's merged types and directives as SDL, with root operation types (a placeholder query root if none). */
    String sdl() {
        StringBuilder sb = new StringBuilder();
        for (Def def : types.values()) {
            if (def.builtIn) {
                continue;
            }
            switch (def.kind) {
                case "SCALAR" -> sb.append("scalar ").append(def.name);
                case "UNION" ->
                    sb.append("union ").append(def.name).append(" = ").append(String.join(" | ", def.types));
                case "ENUM" -> {
                    sb.append("enum ").append(def.name).append(" {");
                    def.enumValues.forEach(v -> sb.append(' ').append(str(v.get("Name"))));
                    sb.append(" }");
                }
                default -> {
                    sb.append(
                                    switch (def.kind) {
                                        case "OBJECT" -> "type ";
                                        case "INTERFACE" -> "interface ";
                                        default -> "input ";
                                    })
                            .append(def.name);
                    if (!def.interfaces.isEmpty()) {
                        sb.append(" implements ").append(String.join(" & ", def.interfaces));
                    }
                    sb.append(" {");
                    for (Map<String, Object> f : def.fields) {
                        sb.append(' ').append(str(f.get("Name")));
                        List<Object> args = list(f.get("Arguments"));
                        if (!args.isEmpty()) {
                            sb.append('(');
                            args.forEach(a -> inputValue(sb, map(a)));
                            sb.append(')');
                        }
                        sb.append(": ").append(GqlPrinter.type(optMap(f.get("Type"))));
                        Map<String, Object> dflt = optMap(f.get("DefaultValue"));
                        if (dflt != null) {
                            sb.append(" = ").append(GqlPrinter.value(dflt));
                        }
                    }
                    sb.append(" }");
                }
            }
            sb.append('\n');
        }
        for (Map.Entry<String, Map<String, Object>> d : directives.entrySet()) {
            if (builtinDirectives.contains(d.getKey())) {
                continue;
            }
            sb.append("directive @").append(d.getKey());
            List<Object> args = list(d.getValue().get("Arguments"));
            if (!args.isEmpty()) {
                sb.append('(');
                args.forEach(a -> inputValue(sb, map(a)));
                sb.append(')');
            }
            if (bool(d.getValue().get("IsRepeatable"))) {
                sb.append(" repeatable");
            }
            sb.append(" on ");
            List<String> locations = new ArrayList<>();
            list(d.getValue().get("Locations")).forEach(l -> locations.add(str(l)));
            sb.append(String.join(" | ", locations)).append('\n');
        }
        String query = roots.get("query");
        if (query == null) {
            query = "OpsMcpUnusedQueryRoot";
            sb.append("type ").append(query).append(" { unused: Boolean }\n");
        }
        sb.append("schema { query: ").append(query);
        if (roots.containsKey("mutation")) {
            sb.append(" mutation: ").append(roots.get("mutation"));
        }
        if (roots.containsKey("subscription")) {
            sb.append(" subscription: ").append(roots.get("subscription"));
        }
        return sb.append(" }\n").toString();
    }

    private static void inputValue(StringBuilder sb, Map<String, Object> a) {
        sb.append(str(a.get("Name"))).append(": ").append(GqlPrinter.type(optMap(a.get("Type"))));
        Map<String, Object> dflt = optMap(a.get("DefaultValue"));
        if (dflt != null) {
            sb.append(" = ").append(GqlPrinter.value(dflt));
        }
        sb.append(' ');
    }
}
