package io.opsmcp.guard.audit;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The JSON form of an audit record: what is hashed and what export writes (also used by the stores). */
public final class AuditJson {

    private AuditJson() {}

    /** The hashed JSON of record {@code seq}: a tree of its own, which the caller may change. */
    public static ObjectNode record(long seq, AuditEvent e) {
        return record(seq, e, true);
    }

    /**
     * The hashed JSON of record {@code seq}, holding the event's own {@code resource} and {@code args} trees when not
     * {@code copy}: only for reading it at once (the record's hash), which then copies no trees.
     */
    static ObjectNode record(long seq, AuditEvent e, boolean copy) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("seq", seq);
        json.put("time", e.time().toString());
        json.put("request_id", e.requestId());
        json.put("principal", e.principal());
        json.put("auth", e.auth());
        json.put("tool", e.tool());
        json.put("toolset", e.toolset());
        json.set(
                "resource",
                e.resource() == null ? json.nullNode() : copy ? e.resource().deepCopy() : e.resource());
        json.set("args", e.args() == null ? json.nullNode() : copy ? e.args().deepCopy() : e.args());
        json.put("decision", e.decision() == null ? null : e.decision().wire());
        json.set("reasons", strings(e.reasons()));
        json.put("approval_id", e.approvalId());
        json.set("approvers", strings(e.approvers()));
        json.put("phase", e.phase().wire());
        json.put("duration_ms", e.durationMs());
        json.put("result_digest", e.resultDigest());
        json.put("error", e.error());
        return json;
    }

    /** A JSON array of the strings. */
    public static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    /**
     * The strings of a JSON array.
     *
     * @throws IllegalArgumentException when it is not an array of strings
     */
    public static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of strings");
        }
        return array.valueStream()
                .map(v -> {
                    if (!v.isString()) {
                        throw new IllegalArgumentException("expected a JSON array of strings");
                    }
                    return v.asString();
                })
                .toList();
    }
}
