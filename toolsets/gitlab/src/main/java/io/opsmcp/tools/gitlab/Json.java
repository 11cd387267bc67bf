package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for building results from GitLab payloads. */
public final class Json {

    private Json() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** A result object starting with instance and project. */
    public static ObjectNode result(ProjectRef project) {
        ObjectNode o = object();
        o.put("instance", project.instance());
        o.put("project", project.path());
        return o;
    }

    /** Copies the named members of {@code from} (missing ones become {@code null}). */
    public static ObjectNode copy(ObjectNode to, JsonNode from, String... fields) {
        for (String f : fields) {
            JsonNode v = from.get(f);
            to.set(f, v == null || v.isMissingNode() ? JsonNodeFactory.instance.nullNode() : v.deepCopy());
        }
        return to;
    }

    public static ObjectNode pick(JsonNode from, String... fields) {
        return copy(object(), from, fields);
    }

    /** A member as text, or {@code fallback} when missing or null. */
    public static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? fallback : v.isString() ? v.asString() : v.toString();
    }

    /**
     * An open output schema declaring {@code instance}, {@code project} and {@code members}, given as triples of name,
     * JSON type and description; {@code instance}, {@code project} and {@code required} are required. Every member a
     * result can carry is declared (OutputSchemasTest checks it against the sandbox); one that has no value is absent.
     */
    public static ObjectNode outputSchema(List<String> required, String... members) {
        if (members.length % 3 != 0) {
            throw new IllegalArgumentException("members come as name, type, description triples");
        }
        ObjectNode props = JsonSchemas.properties();
        props.set("instance", JsonSchemas.type("string", "configured GitLab instance"));
        props.set("project", JsonSchemas.type("string", "project path"));
        for (int i = 0; i < members.length; i += 3) {
            props.set(members[i], JsonSchemas.type(members[i + 1], members[i + 2]));
        }
        return JsonSchemas.output(
                props,
                Stream.concat(Stream.of("instance", "project"), required.stream())
                        .toArray(String[]::new));
    }

    /** The first {@code n} characters of a commit sha. */
    public static String shortSha(String sha) {
        return sha == null ? "-" : sha.length() > 8 ? sha.substring(0, 8) : sha;
    }
}
