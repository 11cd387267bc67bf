package io.opsmcp.tools.runbooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads runbooks: the shipped library (the files listed in {@code library/INDEX} next to this class) and the
 * {@code *.md} files of operator directories. A file starts with YAML front matter between {@code ---} lines:
 * {@code id} and {@code title} (required), {@code tags}, {@code applies_to}, {@code environments} (lists). An
 * operator runbook with the id of a shipped one replaces it.
 */
class RunbookLoader { // not final: tests count its loads

    private static final String LIBRARY = "library/";
    /** How deep below an operator directory runbook files are found. */
    static final int DEPTH = 4;

    private static final Set<String> KEYS = Set.of("id", "title", "tags", "applies_to", "environments");

    private final YAMLMapper yaml = YAMLMapper.builder().build();

    /**
     * @throws IllegalArgumentException naming the file and the rule a runbook breaks
     */
    List<Runbook> load(List<Path> directories) {
        Map<String, Runbook> byId = new LinkedHashMap<>();
        for (String file : shippedFiles()) {
            Runbook r = parse(resource(LIBRARY + file), "classpath:runbooks/" + file);
            if (byId.put(r.id(), r) != null) {
                throw new IllegalStateException("shipped runbook id '" + r.id() + "' is used twice");
            }
        }
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("runbooks.directories: " + dir + " is not a directory");
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir, DEPTH)) {
                files = s.filter(RunbookLoader::isRunbookFile).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("runbooks.directories: cannot list " + dir, e);
            }
            Map<String, Path> seen = new LinkedHashMap<>();
            for (Path file : files) {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("runbooks: cannot read " + file, e);
                }
                Runbook r = parse(text, file.toString());
                Path previous = seen.put(r.id(), file);
                if (previous != null) {
                    throw new IllegalArgumentException(
                            "runbooks: id '" + r.id() + "' is used by both " + previous + " and " + file);
                }
                byId.put(r.id(), r);
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** A runbook file of an operator directory: a regular {@code *.md} file. */
    static boolean isRunbookFile(Path p) {
        return p.getFileName().toString().endsWith(".md") && Files.isRegularFile(p);
    }

    private static List<String> shippedFiles() {
        return resource(LIBRARY + "INDEX")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static String resource(String name) {
        try (InputStream in = RunbookLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("runbook resource " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read runbook resource " + name, e);
        }
    }

    /** Parses one file: front matter between the first two {@code ---} lines, then the Markdown body. */
    Runbook parse(String text, String source) {
        String normalized = text.replace("\r\n", "\n");
        if (!normalized.startsWith("---\n")) {
            throw new IllegalArgumentException(source + ": must start with YAML front matter between --- lines");
        }
        int end = normalized.indexOf("\n---\n", 3);
        if (end < 0) {
            throw new IllegalArgumentException(source + ": the front matter has no closing --- line");
        }
        JsonNode front;
        try {
            front = yaml.readTree(normalized.substring(4, end + 1));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    source + ": the front matter is not valid YAML: " + e.getOriginalMessage());
        }
        if (front == null || !front.isObject()) {
            throw new IllegalArgumentException(source + ": the front matter must be a mapping");
        }
        for (String key : front.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(source + ": front matter key '" + key + "' is unknown; allowed: "
                        + KEYS.stream().sorted().toList());
            }
        }
        String id = front.path("id").asString("");
        if (!Runbook.ID.matcher(id).matches()) {
            throw new IllegalArgumentException(source + ": id '" + id + "' must match " + Runbook.ID_PATTERN);
        }
        String title = front.path("title").asString("").strip();
        if (title.isEmpty()) {
            throw new IllegalArgumentException(source + ": title is required");
        }
        return new Runbook(
                id,
                title,
                list(front, "tags", source),
                list(front, "applies_to", source),
                list(front, "environments", source),
                normalized.substring(end + 5),
                source);
    }

    private static List<String> list(JsonNode front, String key, String source) {
        JsonNode node = front.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(source + ": " + key + " must be a list");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asString()));
        return out;
    }
}
