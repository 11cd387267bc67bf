package io.opsmcp.tools.aws.ecs.remediation;

import io.opsmcp.toolkit.redact.Redactor;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders an SDK request as the JSON members the service receives (each field's wire {@code locationName}),
 * so a dry run shows the exact API request. Environment variable values inside container definitions are
 * replaced with {@link Redactor#MARK}: they often hold secrets.
 */
final class SdkJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SdkJson() {}

    static ObjectNode toJson(SdkPojo pojo) {
        ObjectNode out = JSON.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            JsonNode node = value(value);
            if (node != null) {
                out.set(field.locationName(), node);
            }
        }
        if (out.has("environment") && out.get("environment").isArray()) {
            for (JsonNode kv : out.get("environment")) {
                if (kv.isObject() && kv.has("value")) {
                    ((ObjectNode) kv).put("value", Redactor.MARK);
                }
            }
        }
        return out;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof SdkPojo p) {
            return toJson(p);
        }
        if (value instanceof Collection<?> c) {
            if (c instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>) {
                return null;
            }
            ArrayNode a = JSON.arrayNode();
            c.forEach(v -> {
                JsonNode n = value(v);
                a.add(n == null ? JSON.nullNode() : n);
            });
            return a;
        }
        if (value instanceof Map<?, ?> m) {
            if (m instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) {
                return null;
            }
            ObjectNode o = JSON.objectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), value(v)));
            return o;
        }
        if (value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return JSON.numberNode(i);
        }
        if (value instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (value instanceof Double d) {
            return JSON.numberNode(d);
        }
        if (value instanceof Instant t) {
            return JSON.stringNode(t.toString());
        }
        if (value instanceof SdkBytes) {
            return JSON.stringNode("(binary)");
        }
        return JSON.stringNode(String.valueOf(value));
    }
}
