package io.opsmcp.toolkit.testing;

import io.opsmcp.core.tool.ToolDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden {@code tools/list} files: what a toolset publishes (name, title, description, input and output schema,
 * annotations, sorted by name, keys sorted) is kept in a file under version control, so every change to what the
 * model reads shows up in review as a diff. Run with {@code -Dgolden.update=true} to rewrite the file after an
 * intended change.
 */
public final class GoldenToolList {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private GoldenToolList() {}

    /** The golden rendering: a JSON array, one object per tool, sorted by name, keys sorted, two-space indent. */
    public static String render(List<ToolDefinition> definitions) {
        ArrayNode out = JSON.createArrayNode();
        definitions.stream().sorted(Comparator.comparing(ToolDefinition::name)).forEach(d -> {
            ObjectNode tool = out.addObject();
            tool.put("name", d.name());
            tool.put("title", d.title());
            tool.put("description", d.description());
            tool.set("inputSchema", d.inputSchema());
            if (d.outputSchema() != null) {
                tool.set("outputSchema", d.outputSchema());
            }
            ObjectNode a = tool.putObject("annotations");
            a.put("readOnlyHint", d.annotations().readOnlyHint());
            a.put("destructiveHint", d.annotations().destructiveHint());
            a.put("idempotentHint", d.annotations().idempotentHint());
            a.put("openWorldHint", d.annotations().openWorldHint());
        });
        return JSON.writeValueAsString(sorted(out)) + "\n";
    }

    /**
     * Checks the definitions against the {@linkplain ToolDefinitionChecks rules} every published tool keeps
     * (portable schemas, conservative annotations with {@link ToolDefinitionChecks#NON_DESTRUCTIVE}), then compares
     * them with the golden file, or rewrites it when {@code -Dgolden.update=true}.
     *
     * @throws AssertionError listing the broken rules, or with a line diff when the list differs from the file
     */
    public static void assertMatches(List<ToolDefinition> definitions, Path golden) {
        List<String> problems = new ArrayList<>();
        definitions.forEach(d -> problems.addAll(ToolDefinitionChecks.schemaProblems(d)));
        problems.addAll(ToolDefinitionChecks.annotationProblems(definitions, ToolDefinitionChecks.NON_DESTRUCTIVE));
        if (!problems.isEmpty()) {
            throw new AssertionError("tool definitions break the rules:\n- " + String.join("\n- ", problems));
        }
        String actual = render(definitions);
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                if (!Boolean.getBoolean("golden.update")) {
                    throw new AssertionError(golden + " did not exist and was written; review and commit it");
                }
                return;
            }
            String expected = Files.readString(golden, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                throw new AssertionError("tools/list differs from " + golden
                        + " (if intended, regenerate with -Dgolden.update=true and list the change):\n"
                        + diff(expected, actual));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size in bytes (UTF-8) of what the model reads of these tools: names, descriptions, compact input schemas. */
    public static int contextBytes(List<ToolDefinition> definitions) {
        int total = 0;
        for (ToolDefinition d : definitions) {
            total += d.name().getBytes(StandardCharsets.UTF_8).length
                    + d.description().getBytes(StandardCharsets.UTF_8).length
                    + d.inputSchema().toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return total;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            List<String> names = new ArrayList<>(node.propertyNames());
            names.sort(null);
            for (String n : names) {
                out.set(n, sorted(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    /** A minimal line diff: the first differing region with context, enough to see what changed. */
    static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int start = 0;
        while (start < a.length && start < b.length && a[start].equals(b[start])) {
            start++;
        }
        int endA = a.length - 1;
        int endB = b.length - 1;
        while (endA >= start && endB >= start && a[endA].equals(b[endB])) {
            endA--;
            endB--;
        }
        StringBuilder sb = new StringBuilder("@@ line " + (start + 1) + " @@\n");
        for (int i = Math.max(0, start - 3); i < start; i++) {
            sb.append("  ").append(a[i]).append('\n');
        }
        for (int i = start; i <= endA && i < start + 60; i++) {
            sb.append("- ").append(a[i]).append('\n');
        }
        for (int i = start; i <= endB && i < start + 60; i++) {
            sb.append("+ ").append(b[i]).append('\n');
        }
        return sb.toString();
    }
}
