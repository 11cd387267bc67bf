package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GraphqlJsonSchemaBuiltinsTest {
    private static final StringValue SCHEMA = StringValue.of("""
      type Query { order(id: ID!): Order  orders(first: Int = 10): [Order!]! }
      type Order implements Node { id: ID!  total: Float  customer: Customer }
      interface Node { id: ID! }
      type Customer { name: String }
      """);

    private static Value s(String v) {
        return StringValue.of(v);
    }

    @Test
    void parseQueryBuildsGqlparserShapedAst() {
        Value ast = call(
                "graphql.parse_query",
                s("query Q($id: ID! = \"7\") { order(id: $id) { id ...C } }\n"
                        + "fragment C on Order { customer @skip(if: false) { name } }"));
        assertThat(ast).isEqualTo(json("""
        {"Operations": [{"Name": "Q", "Operation": "query",
           "VariableDefinitions": [{"Variable": "id", "Used": false,
             "Type": {"NamedType": "ID", "NonNull": true},
             "DefaultValue": {"Raw": "7", "Kind": 3, "ExpectedTypeHasDefault": false}}],
           "SelectionSet": [{"Alias": "order", "Name": "order",
             "Arguments": [{"Name": "id", "Value": {"Raw": "id", "Kind": 0, "ExpectedTypeHasDefault": false}}],
             "SelectionSet": [{"Alias": "id", "Name": "id"}, {"Name": "C"}]}]}],
         "Fragments": [{"Name": "C", "TypeCondition": "Order",
           "SelectionSet": [{"Alias": "customer", "Name": "customer",
             "Directives": [{"Name": "skip", "Location": "",
               "Arguments": [{"Name": "if", "Value": {"Raw": "false", "Kind": 5, "ExpectedTypeHasDefault": false}}]}],
             "SelectionSet": [{"Alias": "name", "Name": "name"}]}]}]}
        """));
    }

    @Test
    void syntaxErrorsUseGqlparserWordingAndRunePositions() {
        assertError("graphql.parse_query", s("{ a("))
                .isInstanceOf(BuiltinError.class)
                .hasMessage("Expected Name, found <EOF> in GraphQL string at location 1:5");
        assertError("graphql.parse_query", s("{ ö }"))
                .isInstanceOf(BuiltinError.class)
                .hasMessage("Expected Name, found <Invalid> in GraphQL string at location 1:3");
        assertError("graphql.parse_query", s("ö"))
                .isInstanceOf(BuiltinError.class)
                .hasMessage("Unexpected <Invalid> in GraphQL string at location 1:1");
        assertError("graphql.parse_schema", s("type T {\n  f: [Int\n}"))
                .isInstanceOf(BuiltinError.class)
                .hasMessage("Expected ], found } in GraphQL string at location 3:1");
        assertError("graphql.parse_schema", s("enum E { A } extend enum E"))
                .isInstanceOf(BuiltinError.class)
                .hasMessage("Unexpected <EOF> in GraphQL string at location 1:27");
    }

    @Test
    void validationUsesTheSchema() {
        assertThat(call("graphql.is_valid", s("{ order(id: \"1\") { id total customer { name } } }"), SCHEMA))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(call("graphql.is_valid", s("{ orders { id } }"), SCHEMA)).isEqualTo(BooleanValue.TRUE);
        assertThat(call("graphql.is_valid", s("{ order { id } }"), SCHEMA)).isEqualTo(BooleanValue.FALSE);
        assertThat(call("graphql.is_valid", s("{ order(id: 1) { nope } }"), SCHEMA))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(call("graphql.is_valid", s("mutation { order(id: 1) { id } }"), SCHEMA))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(call("graphql.is_valid", s("{ order(id: 1) { customer } }"), SCHEMA))
                .isEqualTo(BooleanValue.FALSE);
        // ASTs round-trip: the output of the parsers is accepted as input.
        Value q = call("graphql.parse_query", s("{ order(id: 1) { id } }"));
        Value sc = call("graphql.parse_schema", SCHEMA);
        assertThat(call("graphql.is_valid", q, sc)).isEqualTo(BooleanValue.TRUE);
        Value verified = call("graphql.parse_and_verify", s("{ order { id } }"), SCHEMA);
        assertThat(verified).isEqualTo(json("[false, {}, {}]"));
        assertError("graphql.parse", s("{ order(id: 1) { nope } }"), SCHEMA)
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("in GraphQL query string at location");
        assertError("graphql.parse", json("1"), SCHEMA).isInstanceOf(BuiltinTypeError.class);
        assertThat(call("graphql.is_valid", json("1"), SCHEMA)).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void astObjectsAreReadLikeGoStructs() {
        // Unknown keys are dropped, keys match case-insensitively, absent fields take zero values.
        Value query = json("{\"operations\": [{\"Operation\": \"query\", \"Extra\": 1, \"SelectionSet\": [{\"Alias\":"
                + " \"order\", \"Name\": \"order\", \"Arguments\": [{\"Name\": \"id\", \"Value\": {\"Kind\": 1,"
                + " \"Raw\": \"5\"}}], \"SelectionSet\": [{\"Alias\": \"id\", \"Name\": \"id\"}]}]}]}");
        Value parsed = call("graphql.parse", query, SCHEMA);
        assertThat(((ArrayValue) parsed).get(0)).isEqualTo(call("graphql.parse_query", s("{ order(id: 5) { id } }")));
        assertError("graphql.parse", json("{\"Operations\": [{\"Name\": 5}]}"), SCHEMA)
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("cannot unmarshal number");
    }

    @Test
    void schemaRulesFollowGqlparser() {
        assertThat(callJson("graphql.schema_is_valid", "\"extend type Lone { a: Int }\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("graphql.schema_is_valid", "\"type A { b: B }\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("graphql.schema_is_valid", "\"union U = Int\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("graphql.schema_is_valid", "\"interface I { x: Int } type T implements I { y: Int }\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("graphql.schema_is_valid", "\"type T { __x: Int }\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("graphql.schema_is_valid", "\"type T { a: Int } type T { b: Int }\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("graphql.schema_is_valid", "\"type T { a: Int @deprecated }\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("graphql.schema_is_valid", "\"type T { a: Int @nope }\""))
                .isEqualTo(BooleanValue.FALSE);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void deeplyNestedDocumentsFailCleanly() {
        String deepSelections = "{ a ".repeat(100_000) + "}".repeat(100_000);
        assertError("graphql.parse_query", s(deepSelections))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("nested deeper than");
        String deepValue = "{ a(x: " + "[".repeat(100_000) + "1" + "]".repeat(100_000) + ") }";
        assertError("graphql.parse_query", s(deepValue))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("nested deeper than");
        String deepType = "type T { a: " + "[".repeat(100_000) + "Int" + "]".repeat(100_000) + " }";
        assertError("graphql.parse_schema", s(deepType))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("nested deeper than");
        assertThat(call("graphql.is_valid", s(deepSelections), SCHEMA)).isEqualTo(BooleanValue.FALSE);
        // Many comment lines are skipped iteratively.
        Value ast = call("graphql.parse_query", s("# c\n".repeat(200_000) + "{ a }"));
        assertThat(ast)
                .isEqualTo(json("{\"Operations\": [{\"Name\": \"\", \"Operation\": \"query\","
                        + " \"SelectionSet\": [{\"Alias\": \"a\", \"Name\": \"a\"}]}]}"));
    }

    @Test
    void matchSchemaReportsGojsonschemaTerms() {
        Value schema = json(
                "{\"type\": \"object\", \"required\": [\"name\"],"
                        + " \"properties\": {\"n\": {\"minimum\": 5}, \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}");
        assertThat(call("json.match_schema", json("{\"name\": \"x\", \"n\": 9}"), schema))
                .isEqualTo(json("[true, []]"));
        assertThat(call("json.match_schema", json("{\"name\": \"x\", \"n\": 3}"), schema))
                .isEqualTo(json(
                        "[false, [{\"error\": \"n: Must be greater than or equal to 5\", \"type\": \"number_gte\", \"field\": \"n\","
                                + " \"desc\": \"Must be greater than or equal to 5\"}]]"));
        assertThat(call("json.match_schema", json("{\"n\": 6}"), schema))
                .isEqualTo(json(
                        "[false, [{\"error\": \"(root): name is required\", \"type\": \"required\", \"field\": \"(root)\","
                                + " \"desc\": \"name is required\"}]]"));
        assertThat(call("json.match_schema", json("{\"name\": \"x\", \"tags\": [\"a\", 2]}"), schema))
                .isEqualTo(
                        json(
                                "[false, [{\"error\": \"tags.1: Invalid type. Expected: string, given: integer\", \"type\": \"invalid_type\","
                                        + " \"field\": \"tags.1\", \"desc\": \"Invalid type. Expected: string, given: integer\"}]]"));
        assertThat(call(
                        "json.match_schema",
                        s("{\"name\": 1}"),
                        s("{\"properties\": {\"name\": {\"type\": \"string\"}}}")))
                .isEqualTo(json("[false, [{\"error\": \"name: Invalid type. Expected: string, given: integer\","
                        + " \"type\": \"invalid_type\", \"field\": \"name\","
                        + " \"desc\": \"Invalid type. Expected: string, given: integer\"}]]"));
        // Each repeated item is reported against the previous equal one.
        assertThat(call(
                        "json.match_schema",
                        json("{\"u\": [1, 2, 1, 1]}"),
                        json("{\"properties\": {\"u\": {\"uniqueItems\": true}}}")))
                .isEqualTo(json(
                        "[false, [{\"error\": \"u: array items[0,2] must be unique\", \"type\": \"unique\", \"field\": \"u\","
                                + " \"desc\": \"array items[0,2] must be unique\"},"
                                + " {\"error\": \"u: array items[2,3] must be unique\", \"type\": \"unique\", \"field\": \"u\","
                                + " \"desc\": \"array items[2,3] must be unique\"}]]"));
        assertJsonError("json.match_schema", "\"{nope\"", "{}")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("invalid JSON string");
    }

    @Test
    void schemasNeverReachOutsideThemselves() {
        // Remote and file references are refused before any loader sees them.
        for (String ref : new String[] {"http://127.0.0.1:9/s.json", "file:///etc/passwd", "other.json#/x"}) {
            Value schema = json("{\"properties\": {\"a\": {\"$ref\": \"" + ref + "\"}}}");
            Value verified = call("json.verify_schema", schema);
            assertThat(((ArrayValue) verified).get(0)).isEqualTo(BooleanValue.FALSE);
            assertThat(((StringValue) ((ArrayValue) verified).get(1)).value())
                    .contains("outside the schema is not allowed");
            assertError("json.match_schema", json("{\"a\": 1}"), schema).isInstanceOf(BuiltinError.class);
        }
        assertThat(callJson("json.verify_schema", "{\"$schema\": \"http://127.0.0.1:9/meta\"}"))
                .isEqualTo(json("[false, \"jsonschema: unsupported $schema \\\"http://127.0.0.1:9/meta\\\"\"]"));
        // A local reference still works.
        Value local = json(
                "{\"definitions\": {\"p\": {\"type\": \"integer\"}}, \"properties\": {\"a\": {\"$ref\": \"#/definitions/p\"}}}");
        assertThat(call("json.match_schema", json("{\"a\": 1}"), local)).isEqualTo(json("[true, []]"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void malformedAndHostileSchemasFailCleanly() {
        assertThat(callJson("json.verify_schema", "{\"type\": [\"string\", \"string\"]}"))
                .isEqualTo(json("[false, \"jsonschema: string type is duplicated\"]"));
        assertThat(callJson("json.verify_schema", "{\"minLength\": -1}"))
                .isEqualTo(json("[false, \"jsonschema: minLength must be greater than or equal to 0\"]"));
        assertThat(callJson("json.verify_schema", "{\"pattern\": \"(\"}"))
                .isEqualTo(json("[false, \"jsonschema: Invalid regex pattern '('\"]"));
        String deep = "{\"items\": ".repeat(5000) + "{}" + "}".repeat(5000);
        assertThat(((ArrayValue) call("json.verify_schema", s(deep))).get(0)).isEqualTo(BooleanValue.FALSE);
    }
}
