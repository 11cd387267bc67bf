package io.opsmcp.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input through the real protocol (TypeScript SDK client over stdio against the fat jar with
 * {@code --sandbox}): shell metacharacters and option-like values in every string parameter of every host
 * tool (taken from {@code tools/list}, so a new parameter is covered automatically), wrong types, missing
 * required fields and unknown fields. Each call must come back as a tool error naming the field and the
 * violated JSON Schema rule, and the audit store (read back with {@code ops-mcp audit export}) must record it
 * as {@code invalid_arguments}: rejected before any command ran.
 */
class BadInputIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Shell injection attempts, each applied to a valid value of the parameter. */
    private static final Map<String, UnaryOperator<String>> INJECTIONS = Map.of(
            "semicolon", v -> v + ";id",
            "command substitution", v -> v + "$(id)",
            "backticks", v -> v + "`id`",
            "newline", v -> v + "\nid",
            "pipe", v -> v + "|id",
            "leading dash", v -> "-" + v);

    /** A valid value for each string parameter of the host tools (the base that injections are added to). */
    private static final Map<String, String> VALID =
            Map.of("host", "sandbox", "unit", "ssh.service", "mount", "/", "since", "1h", "sort_by", "cpu");

    @TempDir
    Path tmp;

    private record Case(String tool, ObjectNode arguments, String field, String rule) {}

    @Test
    void everyBadArgumentIsRejectedWithFieldAndRuleAndNeverRuns() throws Exception {
        Path dataDir = tmp.resolve("data");
        NodeHarness node = new NodeHarness(tmp);
        JsonNode listing = node.client("[]", stdio(dataDir));

        List<Case> cases = new ArrayList<>();
        for (JsonNode tool : listing.path("tools")) {
            if (E2e.HOST_TOOLS.contains(tool.path("name").asString())) {
                cases.addAll(casesFor(tool.path("name").asString(), tool.path("inputSchema")));
            }
        }
        assertThat(cases).extracting(Case::tool).containsAll(E2e.HOST_TOOLS);

        List<Map<String, Object>> calls = new ArrayList<>();
        for (Case c : cases) {
            calls.add(Map.of("name", c.tool(), "arguments", c.arguments()));
        }
        JsonNode report = node.client(JSON.writeValueAsString(calls), stdio(dataDir));

        JsonNode results = report.path("calls");
        assertThat(results.size()).isEqualTo(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode result = results.path(i).path("result");
            // checked before the text is read: a call answered with a JSON-RPC error (no result) names itself
            assertThat(result.path("isError").asBoolean())
                    .as("%s %s should be rejected, got %s", c.tool(), c.arguments(), results.path(i))
                    .isTrue();
            String text = result.path("content").path(0).path("text").asString("");
            assertThat(text)
                    .as("%s %s", c.tool(), c.arguments())
                    .containsPattern("(?m)^- /?" + Pattern.quote(c.field()) + ": .*\\(rule: " + c.rule() + "\\)$");
        }

        List<JsonNode> audit = auditRecords(dataDir).stream()
                .filter(r -> E2e.HOST_TOOLS.contains(r.path("tool").asString()))
                .toList();
        assertThat(audit).as("one audit record per call").hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            assertThat(audit.get(i).path("tool").asString())
                    .isEqualTo(cases.get(i).tool());
            assertThat(audit.get(i).path("phase").asString())
                    .as("audit record %s", audit.get(i))
                    .isEqualTo("invalid_arguments");
        }
    }

    /** Every audit record of the data directory, read back with {@code ops-mcp audit export} (JSON lines). */
    private List<JsonNode> auditRecords(Path dataDir) throws Exception {
        Path export = tmp.resolve("audit-export.jsonl");
        Process process = new ProcessBuilder(NodeHarness.serverCommand(
                        "audit", "export", "--data-dir", dataDir.toString(), "--output", export.toString()))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("audit-export.log").toFile())
                .start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("audit export finishes")
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue())
                .as(Files.readString(tmp.resolve("audit-export.log")))
                .isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(export, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    private static List<Case> casesFor(String tool, JsonNode schema) {
        ObjectNode valid = JSON.createObjectNode();
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        for (String name : required) {
            valid.set(name, validValue(tool, name, properties.get(name)));
        }

        List<Case> cases = new ArrayList<>();
        properties.forEach((name, property) -> {
            boolean isString = "string".equals(property.path("type").asString());
            JsonNode good = validValue(tool, name, property);
            if (isString) {
                String rule = property.has("enum") ? "enum" : "pattern";
                INJECTIONS
                        .values()
                        .forEach(inject -> cases.add(new Case(
                                tool,
                                with(valid, name, JSON.getNodeFactory().stringNode(inject.apply(good.asString()))),
                                name,
                                rule)));
            }
            JsonNode wrongType = isString
                    ? JSON.getNodeFactory().numberNode(42)
                    : JSON.getNodeFactory().stringNode("ten");
            cases.add(new Case(tool, with(valid, name, wrongType), name, "type"));
        });
        for (String name : required) {
            ObjectNode missing = valid.deepCopy();
            missing.remove(name);
            cases.add(new Case(tool, missing, name, "required"));
        }
        cases.add(new Case(
                tool,
                with(valid, "extra_field", JSON.getNodeFactory().stringNode("x")),
                "extra_field",
                "additionalProperties"));
        return cases;
    }

    private static JsonNode validValue(String tool, String name, JsonNode property) {
        String type = property.path("type").asString();
        if ("string".equals(type)) {
            String value = VALID.get(name);
            assertThat(value)
                    .as("no valid example for string parameter %s of %s: add one to VALID", name, tool)
                    .isNotNull();
            return JSON.getNodeFactory().stringNode(value);
        }
        assertThat(type).as("parameter %s of %s", name, tool).isIn("integer", "number");
        return JSON.getNodeFactory().numberNode(property.path("minimum").asInt(1));
    }

    private static ObjectNode with(ObjectNode base, String name, JsonNode value) {
        ObjectNode copy = base.deepCopy();
        copy.set(name, value);
        return copy;
    }

    private static List<String> stdio(Path dataDir) {
        List<String> transport = new ArrayList<>(List.of("--stdio"));
        transport.addAll(NodeHarness.serverCommand(
                "serve", "--transport", "stdio", "--sandbox", "--data-dir", dataDir.toString()));
        return transport;
    }
}
