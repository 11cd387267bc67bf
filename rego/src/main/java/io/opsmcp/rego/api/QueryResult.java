package io.opsmcp.rego.api;

import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The solutions of a query: one binding map (variable name to value) per solution, in evaluation
 * order. An empty list means the query is undefined.
 */
public record QueryResult(List<Map<String, Value>> bindings) {
    public boolean isEmpty() {
        return bindings.isEmpty();
    }

    public int size() {
        return bindings.size();
    }

    /** The bindings of solution {@code i} as JSON (sets become sorted arrays). */
    public Map<String, JsonNode> json(int i) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        bindings.get(i).forEach((k, v) -> out.put(k, Values.toJson(v)));
        return out;
    }
}
