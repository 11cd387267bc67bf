package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * graphql.parse, parse_and_verify, parse_query, parse_schema, is_valid and schema_is_valid with OPA's behaviour
 * ({@code v1/topdown/graphql.go}).
 *
 * <ul>
 *   <li>Parsing, the AST objects and syntax-error texts come from {@link GqlParser}, a faithful re-implementation
 *       of the gqlparser grammar OPA embeds, so ASTs compare equal to OPA's and errors read
 *       {@code Expected Name, found <EOF> in GraphQL string at location 1:2}.
 *   <li>A schema is checked with gqlparser's schema rules ({@link GqlSchema}): extensions merge into (or create)
 *       their type, a schema needs no Query type, built-in scalars, directives and introspection types are there.
 *   <li>A query is validated against the schema by graphql-java's validator (all the spec's rules), on the schema
 *       and query re-printed as GraphQL text. Validation messages are graphql-java's, not gqlparser's.
 *   <li>AST objects given instead of strings are read in gqlparser's JSON shape, as OPA unmarshals them.
 * </ul>
 */
final class GraphqlBuiltins {
    private GraphqlBuiltins() {}

    static List<Builtin> all() {
        Type stringOrObject = Type.anyOf(STRING, Type.object(ANY, ANY));
        Type astObject = Type.object(ANY, ANY);
        return List.of(
                Builtin.simple(
                        "graphql.parse", args(stringOrObject, stringOrObject), Type.ANY_ARRAY, GraphqlBuiltins::parse),
                Builtin.simple(
                        "graphql.parse_and_verify",
                        args(stringOrObject, stringOrObject),
                        Type.ANY_ARRAY,
                        GraphqlBuiltins::parseAndVerify),
                Builtin.simple(
                        "graphql.parse_query",
                        args(STRING),
                        astObject,
                        (a, c) -> toValue(parseQueryString(Operands.string(a, 0)))),
                Builtin.simple(
                        "graphql.parse_schema",
                        args(STRING),
                        astObject,
                        (a, c) -> toValue(parseSchemaString(Operands.string(a, 0)))),
                Builtin.simple(
                        "graphql.is_valid",
                        args(stringOrObject, stringOrObject),
                        BOOLEAN,
                        (a, c) -> BooleanValue.of(quietly(() -> verify(a)) != null)),
                Builtin.simple(
                        "graphql.schema_is_valid",
                        args(stringOrObject),
                        BOOLEAN,
                        (a, c) -> BooleanValue.of(quietly(() -> GqlSchema.validate(schemaDoc(a.get(0), 0))) != null)));
    }

    /** The query and schema ASTs, validated. @throws BuiltinError / BuiltinTypeError as OPA reports them */
    private static Value[] verify(List<Value> a) {
        Map<String, Object> query = queryDoc(a.get(0), 0);
        Map<String, Object> schema = schemaDoc(a.get(1), 1);
        Value queryValue = toValue(query);
        Value schemaValue = toValue(schema);
        GqlSchema merged;
        try {
            merged = GqlSchema.validate(schema);
        } catch (BuiltinError e) {
            throw new BuiltinError("Error in gqlparser SchemaDocument to Schema conversion: " + e.getMessage());
        }
        validateQuery(merged, query);
        return new Value[] {queryValue, schemaValue};
    }

    private static Value parse(List<Value> a, BuiltinContext c) {
        Value[] asts = verify(a);
        return ArrayValue.of(asts[0], asts[1]);
    }

    private static Value parseAndVerify(List<Value> a, BuiltinContext c) {
        Value[] asts = quietly(() -> verify(a));
        if (asts == null) {
            return ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
        }
        return ArrayValue.of(BooleanValue.TRUE, asts[0], asts[1]);
    }

    private static <T> T quietly(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (BuiltinError | BuiltinTypeError e) {
            return null;
        }
    }

    private static Map<String, Object> queryDoc(Value v, int index) {
        if (v instanceof StringValue s) {
            return parseQueryString(s.value());
        }
        if (v instanceof ObjectValue o) {
            return GqlJson.queryDocument(o);
        }
        throw Operands.oneOf(index, v, "string", "object");
    }

    private static Map<String, Object> schemaDoc(Value v, int index) {
        if (v instanceof StringValue s) {
            return parseSchemaString(s.value());
        }
        if (v instanceof ObjectValue o) {
            return GqlJson.schemaDocument(o);
        }
        throw Operands.oneOf(index, v, "string", "object");
    }

    static Map<String, Object> parseQueryString(String s) {
        try {
            return GqlParser.parseQuery(s);
        } catch (GqlParser.GqlSyntaxError e) {
            throw located(e);
        }
    }

    static Map<String, Object> parseSchemaString(String s) {
        try {
            return GqlParser.parseSchema(s);
        } catch (GqlParser.GqlSyntaxError e) {
            throw located(e);
        }
    }

    private static BuiltinError located(GqlParser.GqlSyntaxError e) {
        return new BuiltinError(e.msg + " in GraphQL string at location " + e.line + ":" + e.column);
    }

    // ---- query validation on graphql-java

    private static void validateQuery(GqlSchema schema, Map<String, Object> query) {
        List<Object> operations = GqlJson.list(query.get("Operations"));
        List<Object> fragments = GqlJson.list(query.get("Fragments"));
        if (operations.isEmpty() && fragments.isEmpty()) {
            return; // an empty document breaks no rule
        }
        for (Object op : operations) {
            String kind = GqlJson.str(GqlJson.map(op).get("Operation"));
            if (schema.root(kind) == null) {
                throw new BuiltinError("Schema does not support operation type " + GoQuote.quote(kind)
                        + " in GraphQL query string at location 1:1");
            }
        }
        GraphQLSchema gql;
        try {
            gql = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(schema.sdl()));
        } catch (RuntimeException e) {
            // gqlparser accepted the schema but graphql-java cannot build it: fail closed.
            throw new BuiltinError(
                    "Error in gqlparser SchemaDocument to Schema conversion: " + firstLine(e.getMessage()));
        }
        Document doc;
        List<ValidationError> errors;
        try {
            doc = Parser.parse(GqlPrinter.query(query));
            // English messages whatever the JVM's default locale.
            errors = ParseAndValidate.validate(gql, doc, java.util.Locale.ENGLISH);
        } catch (InvalidSyntaxException e) {
            throw new BuiltinError(firstLine(e.getMessage()) + " in GraphQL query string at location 1:1");
        } catch (RuntimeException e) {
            // e.g. graphql-java's own parser limits on a re-printed AST object: fail closed.
            throw new BuiltinError("GraphQL query rejected: " + firstLine(e.getMessage()));
        }
        if (!errors.isEmpty()) {
            ValidationError first = errors.get(0);
            String where = first.getLocations() == null || first.getLocations().isEmpty()
                    ? "1:1"
                    : first.getLocations().get(0).getLine() + ":"
                            + first.getLocations().get(0).getColumn();
            throw new BuiltinError(first.getDescription() + " in GraphQL query string at location " + where);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- AST to Rego value, pruned as OPA's pruneIrrelevantGraphQLASTNodes does

    static Value toValue(Object node) {
        if (node instanceof Map<?, ?> m) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Value v = pruned(e.getValue());
                if (v != null) {
                    b.put((String) e.getKey(), v);
                }
            }
            return b.build();
        }
        if (node instanceof List<?> l) {
            List<Value> out = new ArrayList<>();
            for (Object o : l) {
                Value v = pruned(o);
                if (v != null) {
                    out.add(v);
                }
            }
            return ArrayValue.of(out);
        }
        if (node instanceof String s) {
            return StringValue.of(s);
        }
        if (node instanceof Boolean b) {
            return BooleanValue.of(b);
        }
        if (node instanceof Number n) {
            return NumberValue.of(n.longValue());
        }
        if (node instanceof Value v) {
            return v;
        }
        return NullValue.INSTANCE;
    }

    /** Null for what OPA drops: nulls and collections empty after pruning. */
    private static Value pruned(Object o) {
        if (o == null) {
            return null;
        }
        Value v = toValue(o);
        if (v instanceof ObjectValue ov && ov.isEmpty()) {
            return null;
        }
        if (v instanceof ArrayValue av && av.size() == 0) {
            return null;
        }
        return v;
    }
}
