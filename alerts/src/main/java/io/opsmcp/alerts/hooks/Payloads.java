package io.opsmcp.alerts.hooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the receivers share for reading senders' JSON: parsing, bounded labels, times. */
final class Payloads {

    /** Labels kept per alert, and characters per label value: a sender cannot make one alert unbounded. */
    static final int MAX_LABELS = 64;

    static final int MAX_VALUE_CHARS = 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Payloads() {}

    static JsonNode parse(byte[] body, String what) throws Refused {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw Refused.badRequest(what + ": the body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw Refused.badRequest(what + ": the body is not JSON");
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The string members of {@code object}, at most {@link #MAX_LABELS}, values cut to {@link #MAX_VALUE_CHARS}. */
    static Map<String, String> labels(JsonNode object, Map<String, String> into) {
        for (var e : object.properties()) {
            if (into.size() >= MAX_LABELS) {
                break;
            }
            if (e.getValue().isString() || e.getValue().isNumber()) {
                into.put(cut(e.getKey(), 128), cut(e.getValue().asString(), MAX_VALUE_CHARS));
            }
        }
        return into;
    }

    static Map<String, String> labels(JsonNode object) {
        return labels(object, new LinkedHashMap<>());
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() && !v.asString().isBlank() ? cut(v.asString(), MAX_VALUE_CHARS) : null;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** An RFC 3339 time, or CloudWatch's {@code 2026-12-05T10:00:00.000+0000}; {@code null} when absent or unreadable. */
    static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
                        .toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
