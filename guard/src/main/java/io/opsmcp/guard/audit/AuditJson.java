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

    /**
     * The canonical text of record {@code seq}, what {@link CanonicalJson#canonicalize} gives for
     * {@link #record(long, AuditEvent) record(seq, e)}, written straight from the event: no tree of seventeen
     * members to build and sort for every record hashed (the members below are in the canonical order, UTF-16 code
     * units of their names). {@code null} when {@code resource} or {@code args} holds a node kind only the
     * canonicaliser's text path handles (POJO, binary): the caller canonicalises the tree then.
     *
     * @throws IllegalArgumentException when a tree holds a value JSON cannot carry (NaN, infinity)
     */
    static String canonicalRecord(long seq, AuditEvent e) {
        StringBuilder out = new StringBuilder(768);
        out.append("{\"approval_id\":");
        text(e.approvalId(), out);
        out.append(",\"approvers\":");
        strings(e.approvers(), out);
        out.append(",\"args\":");
        if (!tree(e.args(), out)) {
            return null;
        }
        out.append(",\"auth\":");
        text(e.auth(), out);
        out.append(",\"decision\":");
        text(e.decision() == null ? null : e.decision().wire(), out);
        out.append(",\"duration_ms\":");
        CanonicalJson.number(e.durationMs(), out);
        out.append(",\"error\":");
        text(e.error(), out);
        out.append(",\"phase\":");
        text(e.phase().wire(), out);
        out.append(",\"principal\":");
        text(e.principal(), out);
        out.append(",\"reasons\":");
        strings(e.reasons(), out);
        out.append(",\"request_id\":");
        text(e.requestId(), out);
        out.append(",\"resource\":");
        if (!tree(e.resource(), out)) {
            return null;
        }
        out.append(",\"result_digest\":");
        text(e.resultDigest(), out);
        out.append(",\"seq\":");
        CanonicalJson.number(seq, out);
        out.append(",\"time\":");
        text(e.time().toString(), out);
        out.append(",\"tool\":");
        text(e.tool(), out);
        out.append(",\"toolset\":");
        text(e.toolset(), out);
        return out.append('}').toString();
    }

    /** A string member's value: JSON {@code null} for {@code null}, as {@code ObjectNode.put} stores it. */
    private static void text(String value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else {
            CanonicalJson.string(value, out);
        }
    }

    /** A string array member's value, as {@link #strings(List)} builds it. */
    private static void strings(List<String> values, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            text(values.get(i), out);
        }
        out.append(']');
    }

    /** A tree member's value ({@code null}: JSON null); {@code false} for a node kind the text path must handle. */
    private static boolean tree(JsonNode node, StringBuilder out) {
        if (node == null) {
            out.append("null");
            return true;
        }
        return CanonicalJson.write(node, out);
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
