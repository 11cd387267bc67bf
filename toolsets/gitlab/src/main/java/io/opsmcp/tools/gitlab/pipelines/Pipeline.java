package io.opsmcp.tools.gitlab.pipelines;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the analysis and fix tools use of a GitLab pipeline ({@code GET /projects/:id/pipelines/:pipeline_id}).
 * Members GitLab did not send are {@code null} ({@code tag}: false).
 */
public record Pipeline(Long id, String status, String ref, String sha, boolean tag, String webUrl) {

    /** Reads GitLab's pipeline payload. */
    public static Pipeline of(JsonNode json) {
        JsonNode id = json.get("id");
        return new Pipeline(
                id != null && id.canConvertToLong() ? id.asLong() : null,
                text(json, "status"),
                text(json, "ref"),
                text(json, "sha"),
                json.path("tag").asBoolean(false),
                text(json, "web_url"));
    }

    /** The result JSON: {@code id, status, ref, sha, web_url} ({@code null} for what GitLab did not send). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("status", status);
        o.put("ref", ref);
        o.put("sha", sha);
        o.put("web_url", webUrl);
        return o;
    }

    /** The ref, or {@code ""} when GitLab sent none. */
    public String refOrEmpty() {
        return ref == null ? "" : ref;
    }

    /** The commit sha, or {@code ""} when GitLab sent none. */
    public String shaOrEmpty() {
        return sha == null ? "" : sha;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
    }
}
