package io.opsmcp.tools.gitlab.tools;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Small helpers for building results from GitLab payloads. */
final class Json {

    private Json() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** A result object starting with instance and project. */
    static ObjectNode result(ProjectRef project) {
        ObjectNode o = object();
        o.put("instance", project.instance());
        o.put("project", project.path());
        return o;
    }

    /** Copies the named members of {@code from} (missing ones become {@code null}). */
    static ObjectNode copy(ObjectNode to, JsonNode from, String... fields) {
        for (String f : fields) {
            JsonNode v = from.get(f);
            to.set(f, v == null || v.isMissingNode() ? JsonNodeFactory.instance.nullNode() : v.deepCopy());
        }
        return to;
    }

    static ObjectNode pick(JsonNode from, String... fields) {
        return copy(object(), from, fields);
    }

    /** A member as text, or {@code fallback} when missing or null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? fallback : v.isString() ? v.asString() : v.toString();
    }

    /** The first {@code n} characters of a commit sha. */
    static String shortSha(String sha) {
        return sha == null ? "-" : sha.length() > 8 ? sha.substring(0, 8) : sha;
    }
}
