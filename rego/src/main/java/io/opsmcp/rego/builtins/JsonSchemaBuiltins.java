package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * json.verify_schema and json.match_schema ({@code v1/topdown/jsonschema.go}) on the networknt validator. OPA runs
 * gojsonschema; this class reports in its terms: results {@code [valid, errors]} with error objects
 * {@code {error, type, field, desc}} whose {@code type} and {@code desc} are gojsonschema's
 * ({@code invalid_type}, {@code Invalid type. Expected: integer, given: string}), and the schema errors
 * gojsonschema raises while compiling ({@code has a primitive type that is NOT VALID -- given: /x/ ...}).
 *
 * <p>Schemas may come from input, so they never reach the network or the file system: a {@code $ref} must point
 * inside the schema ({@code #...}) and {@code $schema} must name a draft the validator knows. Without
 * {@code $schema} a schema is read as draft-07.
 */
final class JsonSchemaBuiltins {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> VALID_TYPES =
            List.of("array", "boolean", "integer", "number", "null", "object", "string");

    private JsonSchemaBuiltins() {}

    static List<Builtin> all() {
        Type doc = Type.anyOf(STRING, Type.object(ANY, ANY));
        return List.of(
                Builtin.simple("json.verify_schema", args(doc), Type.ANY_ARRAY, (a, c) -> {
                    try {
                        compile(load(a.get(0)));
                        return ArrayValue.of(BooleanValue.TRUE, NullValue.INSTANCE);
                    } catch (BuiltinError e) {
                        return ArrayValue.of(BooleanValue.FALSE, StringValue.of("jsonschema: " + e.getMessage()));
                    }
                }),
                Builtin.simple("json.match_schema", args(doc, doc), Type.ANY_ARRAY, (a, c) -> {
                    JsonNode document = load(a.get(0));
                    Schema schema = compile(load(a.get(1)));
                    List<Value> errors = new ArrayList<>();
                    Set<String> uniqueReported = new HashSet<>();
                    for (Error e : schema.validate(document)) {
                        if ("uniqueItems".equals(e.getKeyword()) && e.getInstanceNode() != null) {
                            // networknt may report one error per repeat; gojsonschema's list is built once per array.
                            if (uniqueReported.add(e.getInstanceLocation().toString())) {
                                errors.addAll(duplicates(e));
                            }
                        } else {
                            errors.add(describe(e));
                        }
                    }
                    return ArrayValue.of(BooleanValue.of(errors.isEmpty()), ArrayValue.of(errors));
                }));
    }

    /** OPA's astValueToJSONSchemaLoader: a JSON string, an object or an array. */
    private static JsonNode load(Value v) {
        if (v instanceof StringValue s) {
            try {
                return JSON.readTree(s.value());
            } catch (JacksonException e) {
                throw new BuiltinError("invalid JSON string");
            }
        }
        if (v instanceof ObjectValue || v instanceof ArrayValue) {
            return Values.toJson(v);
        }
        throw new BuiltinError("wrong type, expected string or object");
    }

    private static Schema compile(JsonNode schema) {
        check(schema, 0);
        SpecificationVersion version = SpecificationVersion.DRAFT_7;
        JsonNode declared = schema.isObject() ? schema.get("$schema") : null;
        if (declared != null && declared.isString()) {
            String id = declared.asString().replaceAll("#$", "");
            version = java.util.Arrays.stream(SpecificationVersion.values())
                    .filter(sv -> sv.getDialectId().replaceAll("#$", "").equals(id))
                    .findFirst()
                    .orElseThrow(() -> new BuiltinError("unsupported $schema " + GoQuote.quote(declared.asString())));
        }
        try {
            return SchemaRegistry.withDefaultDialect(version).getSchema(schema);
        } catch (RuntimeException e) {
            throw new BuiltinError(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The structural errors gojsonschema reports while compiling a schema, and the refusal of outside $refs. */
    private static void check(JsonNode node, int depth) {
        if (depth > 256) {
            throw new BuiltinError("schema nested too deeply");
        }
        if (node.isArray()) {
            for (JsonNode n : node) {
                check(n, depth + 1);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode type = node.get("type");
        if (type != null) {
            if (type.isString()) {
                checkType(type.asString());
            } else if (type.isArray()) {
                Set<String> seen = new HashSet<>();
                for (JsonNode t : type) {
                    if (!t.isString()) {
                        throw new BuiltinError("Invalid type. Expected: string, given: type");
                    }
                    checkType(t.asString());
                    if (!seen.add(t.asString())) {
                        throw new BuiltinError(t.asString() + " type is duplicated");
                    }
                }
            } else {
                throw new BuiltinError("Invalid type. Expected: string/array of strings, given: type");
            }
        }
        for (String key : List.of("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")) {
            JsonNode n = node.get(key);
            if (n != null) {
                if (!n.isNumber() || !isInteger(n.decimalValue())) {
                    throw new BuiltinError(key + " must be of an integer");
                }
                if (n.decimalValue().signum() < 0) {
                    throw new BuiltinError(key + " must be greater than or equal to 0");
                }
            }
        }
        JsonNode pattern = node.get("pattern");
        if (pattern != null && pattern.isString()) {
            try {
                com.google.re2j.Pattern.compile(pattern.asString());
            } catch (com.google.re2j.PatternSyntaxException e) {
                throw new BuiltinError("Invalid regex pattern '" + pattern.asString() + "'");
            }
        }
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isString() && !ref.asString().startsWith("#")) {
            throw new BuiltinError("$ref " + GoQuote.quote(ref.asString()) + " outside the schema is not allowed");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("enum")
                    && !e.getKey().equals("const")
                    && !e.getKey().equals("default")
                    && !e.getKey().equals("examples")) {
                check(e.getValue(), depth + 1);
            }
        }
    }

    private static void checkType(String t) {
        if (!VALID_TYPES.contains(t)) {
            throw new BuiltinError("has a primitive type that is NOT VALID -- given: /" + t
                    + "/ Expected valid values are:[" + String.join(" ", VALID_TYPES) + "]");
        }
    }

    private static boolean isInteger(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /** gojsonschema reports each repeated item: "array items[i,j] must be unique", i the previous equal index. */
    private static List<Value> duplicates(Error e) {
        List<Value> out = new ArrayList<>();
        Map<JsonNode, Integer> seen = new java.util.HashMap<>();
        int j = 0;
        for (JsonNode item : e.getInstanceNode()) {
            Integer i = seen.put(item, j);
            if (i != null) {
                out.add(errorObject(field(e), "unique", "array items[" + i + "," + j + "] must be unique"));
            }
            j++;
        }
        return out;
    }

    private static Value errorObject(String field, String type, String desc) {
        return ObjectValue.builder()
                .put("error", StringValue.of(field + ": " + desc))
                .put("type", StringValue.of(type))
                .put("field", StringValue.of(field))
                .put("desc", StringValue.of(desc))
                .build();
    }

    /** gojsonschema's field: the instance path after "(root).", or "(root)". */
    private static String field(Error e) {
        List<Object> path = new ArrayList<>();
        for (int i = 0; i < e.getInstanceLocation().getNameCount(); i++) {
            path.add(e.getInstanceLocation().getElement(i));
        }
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        if ((keyword.equals("required") || keyword.equals("additionalProperties"))
                && e.getProperty() != null
                && !path.isEmpty()
                && e.getProperty().equals(String.valueOf(path.get(path.size() - 1)))) {
            path.remove(path.size() - 1);
        }
        StringBuilder context = new StringBuilder("(root)");
        path.forEach(p -> context.append('.').append(p));
        return context.toString().startsWith("(root).") ? context.substring(7) : context.toString();
    }

    /** One networknt error as gojsonschema's {error, type, field, desc}. */
    private static Value describe(Error e) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        String field = field(e);
        JsonNode schema = e.getSchemaNode();
        JsonNode instance = e.getInstanceNode();
        String type;
        String desc;
        switch (keyword) {
            case "type" -> {
                type = "invalid_type";
                desc = "Invalid type. Expected: " + expectedTypes(schema) + ", given: " + typeOf(instance);
            }
            case "required" -> {
                type = "required";
                desc = e.getProperty() + " is required";
            }
            case "enum" -> {
                type = "enum";
                List<String> allowed = new ArrayList<>();
                if (schema != null) {
                    schema.forEach(n -> allowed.add(n.toString()));
                }
                desc = field + " must be one of the following: " + String.join(", ", allowed);
            }
            case "const" -> {
                type = "const";
                desc = field + " does not match: " + (schema == null ? "" : schema.toString());
            }
            case "minLength" -> {
                type = "string_gte";
                desc = "String length must be greater than or equal to " + number(schema);
            }
            case "maxLength" -> {
                type = "string_lte";
                desc = "String length must be less than or equal to " + number(schema);
            }
            case "minimum", "exclusiveMinimum" -> {
                boolean exclusive = keyword.equals("exclusiveMinimum");
                type = exclusive ? "number_gt" : "number_gte";
                desc = (exclusive ? "Must be greater than " : "Must be greater than or equal to ") + number(schema);
            }
            case "maximum", "exclusiveMaximum" -> {
                boolean exclusive = keyword.equals("exclusiveMaximum");
                type = exclusive ? "number_lt" : "number_lte";
                desc = (exclusive ? "Must be less than " : "Must be less than or equal to ") + number(schema);
            }
            case "multipleOf" -> {
                type = "multiple_of";
                desc = "Must be a multiple of " + number(schema);
            }
            case "pattern" -> {
                type = "pattern";
                desc = "Does not match pattern '" + (schema == null ? "" : schema.asString()) + "'";
            }
            case "format" -> {
                type = "format";
                desc = "Does not match format '" + (schema == null ? "" : schema.asString()) + "'";
            }
            case "minItems" -> {
                type = "array_min_items";
                desc = "Array must have at least " + number(schema) + " items";
            }
            case "maxItems" -> {
                type = "array_max_items";
                desc = "Array must have at most " + number(schema) + " items";
            }
            case "minProperties" -> {
                type = "array_min_properties";
                desc = "Must have at least " + number(schema) + " properties";
            }
            case "maxProperties" -> {
                type = "array_max_properties";
                desc = "Must have at most " + number(schema) + " properties";
            }
            case "additionalProperties" -> {
                type = "additional_property_not_allowed";
                desc = "Additional property " + e.getProperty() + " is not allowed";
            }
            case "additionalItems", "items" -> {
                type = "array_no_additional_items";
                desc = "No additional items allowed on array";
            }
            case "contains" -> {
                type = "contains";
                desc = "At least one of the items must match";
            }
            case "anyOf" -> {
                type = "number_any_of";
                desc = "Must validate at least one schema (anyOf)";
            }
            case "oneOf" -> {
                type = "number_one_of";
                desc = "Must validate one and only one schema (oneOf)";
            }
            case "allOf" -> {
                type = "number_all_of";
                desc = "Must validate all the schemas (allOf)";
            }
            case "not" -> {
                type = "number_not";
                desc = "Must not validate the schema (not)";
            }
            case "dependencies", "dependentRequired", "dependentSchemas" -> {
                type = "missing_dependency";
                desc = "Has a dependency on " + (e.getProperty() == null ? "" : e.getProperty());
            }
            case "propertyNames" -> {
                type = "invalid_property_name";
                desc = "Property name of \"" + (e.getProperty() == null ? "" : e.getProperty()) + "\" does not match";
            }
            case "then" -> {
                type = "condition_then";
                desc = "Must validate \"then\" as \"if\" was valid";
            }
            case "else" -> {
                type = "condition_else";
                desc = "Must validate \"else\" as \"if\" was not valid";
            }
            case "false" -> {
                type = "false";
                desc = "False always fails validation";
            }
            default -> {
                type = keyword;
                desc = e.getMessage();
            }
        }
        return errorObject(field, type, desc);
    }

    private static String number(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return n == null ? "" : n.toString();
        }
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static String expectedTypes(JsonNode schemaType) {
        if (schemaType == null) {
            return "undefined";
        }
        if (schemaType.isArray()) {
            List<String> types = new ArrayList<>();
            schemaType.forEach(t -> types.add(t.asString()));
            return types.size() == 1 ? types.get(0) : "[" + String.join(",", types) + "]";
        }
        return schemaType.asString();
    }

    private static String typeOf(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        if (n.isNumber()) {
            return isInteger(n.decimalValue()) ? "integer" : "number";
        }
        if (n.isString()) {
            return "string";
        }
        return n.isArray() ? "array" : "object";
    }
}
