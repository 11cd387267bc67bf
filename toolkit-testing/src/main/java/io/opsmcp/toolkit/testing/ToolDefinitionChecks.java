package io.opsmcp.toolkit.testing;

import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The rules every published tool definition and every structured result must keep, stated once and applied to
 * every toolset (its tests call these on all its tools) and by {@link ToolHarness} on every call it makes:
 *
 * <ul>
 *   <li><b>portable schemas</b> ({@link #schemaProblems}): no {@code type} arrays such as {@code ["string", "null"]}
 *       (an optional member is absent instead; several clients and Inspector {@code --strict} reject unions), every
 *       {@code pattern} compiles with RE2 (Go and RE2-based validators cannot compile lookaround or
 *       backreferences), every member schema restricts its value (Inspector {@code --strict} warns on a bare {@code {}}),
 *       an output schema is an object whose {@code required} members are all declared;</li>
 *   <li><b>conservative annotations</b> ({@link #annotationProblems}): hosts auto-approve by these hints, so a tool that
 *       changes something is destructive unless it is on the caller's allow-list with a reason (it only adds), and
 *       never claims to be idempotent;</li>
 *   <li><b>results match their schema</b> ({@link #resultProblems}): a successful result of a tool with an output
 *       schema has structured content that validates against it (networknt, draft 2020-12, as the gateway validates
 *       arguments) and declares every member it returns; a tool without an output schema returns none.</li>
 * </ul>
 */
public final class ToolDefinitionChecks {

    /**
     * The tools that change something yet are not destructive, and why: each only adds (a comment, a branch and a
     * merge request, a new attempt of a job that already ran) and stops nothing that runs. Every other tool that is
     * not read-only must carry {@code destructiveHint: true}.
     */
    public static final Map<String, String> NON_DESTRUCTIVE = Map.of(
            "gitlab_comment_merge_request", "adds a comment",
            "gitlab_create_merge_request", "opens a merge request; merging is a human's step",
            "gitlab_propose_fix",
                    "adds a branch with one commit and a merge request; never pushes to an existing branch",
            "gitlab_retry_job", "starts a new attempt of a finished job; stops nothing",
            "gitlab_retry_pipeline", "starts new attempts of failed or canceled jobs; stops nothing");

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private ToolDefinitionChecks() {}

    /** What breaks the portable-schema rules in a definition's input and output schemas; empty when none. */
    public static List<String> schemaProblems(ToolDefinition d) {
        List<String> out = new ArrayList<>();
        walk(d.name() + " inputSchema", d.inputSchema(), out);
        if (d.outputSchema() != null) {
            if (!"object".equals(d.outputSchema().path("type").asString(""))) {
                out.add(d.name() + " outputSchema: the top level must be {\"type\": \"object\"}");
            }
            walk(d.name() + " outputSchema", d.outputSchema(), out);
        }
        return out;
    }

    private static void walk(String at, JsonNode node, List<String> out) {
        if (node.isObject()) {
            JsonNode type = node.get("type");
            if (type != null && type.isArray()) {
                out.add(at + ": type " + type + " is a union; use one type (an optional member is absent, not null)");
            }
            JsonNode pattern = node.get("pattern");
            if (pattern != null && pattern.isString()) {
                try {
                    com.google.re2j.Pattern.compile(pattern.asString());
                } catch (PatternSyntaxException e) {
                    out.add(at + ": pattern " + pattern.asString() + " is not RE2 (" + e.getDescription() + ")");
                }
            }
            JsonNode required = node.get("required");
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()) {
                for (Map.Entry<String, JsonNode> member : properties.properties()) {
                    if (member.getValue().isObject() && !constrains(member.getValue())) {
                        out.add(at + "/properties/" + member.getKey()
                                + ": no validation keyword, so it accepts any value; declare its type");
                    }
                }
            }
            if (required != null && required.isArray() && properties != null && properties.isObject()) {
                for (JsonNode r : required) {
                    if (!properties.has(r.asString())) {
                        out.add(at + ": required member " + r.asString() + " is not declared in properties");
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                walk(at + "/" + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(at + "/" + i, node.get(i), out);
            }
        }
    }

    /** Keywords that restrict a value; a member schema with none of them is the object spelling of {@code true}. */
    private static final List<String> VALIDATION =
            List.of("type", "enum", "const", "anyOf", "oneOf", "allOf", "not", "$ref");

    private static boolean constrains(JsonNode schema) {
        return VALIDATION.stream().anyMatch(schema::has);
    }

    /**
     * What breaks the annotation rules: a tool that is not read-only must be destructive unless {@code
     * nonDestructive} names it (with the reason it cannot interrupt anything), and must not claim idempotence; an
     * allow-list entry that names a tool of the list must name one that is not read-only.
     *
     * @param nonDestructive tool name → why it is not destructive (e.g. "only adds a comment")
     */
    public static List<String> annotationProblems(List<ToolDefinition> defs, Map<String, String> nonDestructive) {
        List<String> out = new ArrayList<>();
        Set<String> readOnly = new TreeSet<>();
        for (ToolDefinition d : defs) {
            if (d.readOnly()) {
                readOnly.add(d.name());
                continue;
            }
            if (!d.annotations().destructiveHint() && !nonDestructive.containsKey(d.name())) {
                out.add(d.name() + ": changes something, so destructiveHint must be true (or allow-list it with a"
                        + " reason)");
            }
            if (d.annotations().idempotentHint()) {
                out.add(d.name() + ": changes something, so idempotentHint must be false");
            }
        }
        for (String name : nonDestructive.keySet()) {
            if (readOnly.contains(name)) {
                out.add(name + ": on the non-destructive allow-list but read-only");
            }
        }
        return out;
    }

    /**
     * What breaks the result rules for one result of {@code d}; empty when none (and for error results, which carry
     * no structured content).
     */
    public static List<String> resultProblems(ToolDefinition d, ToolResult result) {
        List<String> out = new ArrayList<>();
        if (result.error()) {
            return out;
        }
        JsonNode content = result.structuredContent();
        if (d.outputSchema() == null) {
            if (content != null) {
                out.add(d.name() + ": returns structuredContent but declares no outputSchema");
            }
            return out;
        }
        if (content == null) {
            out.add(d.name() + ": declares an outputSchema but returned no structuredContent");
            return out;
        }
        Schema schema = SCHEMAS.getSchema(d.outputSchema());
        for (Error e : schema.validate(content)) {
            out.add(d.name() + ": structuredContent " + e.getInstanceLocation() + ": " + e.getMessage() + " (rule: "
                    + e.getKeyword() + ")");
        }
        undeclared(d.name() + ": structuredContent", content, List.of(d.outputSchema()), out);
        return out;
    }

    /**
     * Members of {@code value} that none of the object schemas in {@code schemas} declares (their {@code properties},
     * through {@code anyOf}/{@code oneOf}/{@code allOf}); objects whose schemas declare no properties are free-form.
     */
    private static void undeclared(String at, JsonNode value, List<JsonNode> schemas, List<String> out) {
        List<JsonNode> flat = new ArrayList<>();
        for (JsonNode s : schemas) {
            flatten(s, flat);
        }
        if (value.isObject()) {
            List<JsonNode> declaring =
                    flat.stream().filter(s -> s.path("properties").isObject()).toList();
            if (declaring.isEmpty()) {
                return;
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                List<JsonNode> member = new ArrayList<>();
                for (JsonNode s : declaring) {
                    JsonNode m = s.get("properties").get(e.getKey());
                    if (m != null) {
                        member.add(m);
                    }
                }
                if (member.isEmpty()) {
                    out.add(at + "." + e.getKey() + " is returned but not declared in the output schema");
                } else {
                    undeclared(at + "." + e.getKey(), e.getValue(), member, out);
                }
            }
        } else if (value.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            for (JsonNode s : flat) {
                if (s.path("items").isObject()) {
                    items.add(s.get("items"));
                }
            }
            if (items.isEmpty()) {
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                undeclared(at + "[" + i + "]", value.get(i), items, out);
            }
        }
    }

    private static void flatten(JsonNode schema, List<JsonNode> into) {
        into.add(schema);
        for (String k : List.of("anyOf", "oneOf", "allOf")) {
            JsonNode branches = schema.get(k);
            if (branches != null && branches.isArray()) {
                branches.forEach(b -> flatten(b, into));
            }
        }
    }
}
