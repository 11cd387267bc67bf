package io.opsmcp.prompts;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.tool.ShippedRead;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads the shipped prompt files (listed in {@code library/INDEX} next to this class). A file is YAML front matter
 * between {@code ---} lines — {@code name}, {@code title}, {@code description}, {@code arguments} (each with
 * {@code name}, {@code description}, {@code required}, optional {@code values} offered as completions) — followed by
 * the {@link Template} body. Every name the body uses must be a declared argument.
 */
final class PromptLoader {

    static final String NAME_PATTERN = "^[a-z][a-z0-9_]{0,63}$";
    private static final Set<String> KEYS = Set.of("name", "title", "description", "arguments");
    private static final Set<String> ARGUMENT_KEYS = Set.of("name", "description", "required", "values");

    private final YAMLMapper yaml = YAMLMapper.builder().build();

    /**
     * The shipped prompts, read once per process: by the first {@code create}, or ahead of it by
     * {@link PromptToolsetProvider#prepare()} on a start-up thread (a use meanwhile waits for that read, through the
     * holder's class initialization). Shipped files that do not read fail every use with the same exception, naming
     * the file: the toolset fails closed, never with no prompts.
     */
    static List<FilePrompt> shipped() {
        return Shipped.PROMPTS.get();
    }

    /** The shipped prompts, read when this class is first used (once per process: an immutable constant). */
    private static final class Shipped {
        static final ShippedRead<List<FilePrompt>> PROMPTS =
                ShippedRead.of(() -> List.copyOf(new PromptLoader().loadShipped()));
    }

    List<FilePrompt> loadShipped() {
        List<FilePrompt> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String file : resource("library/INDEX")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList()) {
            FilePrompt p = parse(resource("library/" + file), file);
            if (!names.add(p.definition().name())) {
                throw new IllegalStateException(
                        file + ": prompt name '" + p.definition().name() + "' is used twice");
            }
            out.add(p);
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = PromptLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt resource " + name, e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the file and the rule it breaks
     */
    FilePrompt parse(String text, String source) {
        String normalized = text.replace("\r\n", "\n");
        int end = normalized.indexOf("\n---\n", 3);
        if (!normalized.startsWith("---\n") || end < 0) {
            throw new IllegalArgumentException(source + ": must start with YAML front matter between --- lines");
        }
        JsonNode front;
        try {
            front = yaml.readTree(normalized.substring(4, end + 1));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": front matter is not valid YAML: " + e.getOriginalMessage());
        }
        if (front == null || !front.isObject()) {
            throw new IllegalArgumentException(source + ": front matter must be a mapping");
        }
        only(front, KEYS, source);
        String name = front.path("name").asString("");
        if (!name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException(source + ": name '" + name + "' must match " + NAME_PATTERN);
        }
        String title = required(front, "title", source);
        String description = required(front, "description", source);
        List<OpsPrompt.Argument> arguments = new ArrayList<>();
        Map<String, List<String>> suggestions = new LinkedHashMap<>();
        JsonNode args = front.get("arguments");
        if (args != null && !args.isNull()) {
            if (!args.isArray()) {
                throw new IllegalArgumentException(source + ": arguments must be a list");
            }
            for (int i = 0; i < args.size(); i++) {
                JsonNode a = args.get(i);
                String at = source + ": arguments[" + i + "]";
                if (!a.isObject()) {
                    throw new IllegalArgumentException(at + " must be a mapping");
                }
                only(a, ARGUMENT_KEYS, at);
                String argName = a.path("name").asString("");
                if (!argName.matches(NAME_PATTERN)) {
                    throw new IllegalArgumentException(at + ".name '" + argName + "' must match " + NAME_PATTERN);
                }
                arguments.add(new OpsPrompt.Argument(
                        argName,
                        required(a, "description", at),
                        a.path("required").asBoolean(false)));
                JsonNode values = a.get("values");
                if (values != null && values.isArray()) {
                    List<String> v = new ArrayList<>();
                    values.forEach(x -> v.add(x.asString()));
                    suggestions.put(argName, v);
                }
            }
        }
        Template template;
        try {
            template = Template.parse(normalized.substring(end + 5));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        for (String used : template.names()) {
            if (arguments.stream().noneMatch(a -> a.name().equals(used))) {
                throw new IllegalArgumentException(
                        source + ": the body uses {{" + used + "}}, which is not an argument");
            }
        }
        return new FilePrompt(new OpsPrompt.Definition(name, title, description, arguments), template, suggestions);
    }

    private static String required(JsonNode node, String key, String at) {
        String v = node.path(key).asString("").strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(at + ": " + key + " is required");
        }
        return v;
    }

    private static void only(JsonNode node, Set<String> keys, String at) {
        for (String k : node.propertyNames()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(at + ": key '" + k + "' is unknown; allowed: "
                        + keys.stream().sorted().toList());
            }
        }
    }
}
