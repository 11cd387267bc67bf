package io.opsmcp.rego.bundle;

import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads an OPA bundle from a directory or a classpath folder (after OPA's bundle format):
 * {@code *.rego} files are modules; {@code data.json} / {@code data.yaml} (or {@code .yml}) are
 * placed at their directory's path under {@code data}; {@code .manifest} gives {@code roots}.
 * Data at a path outside the manifest roots is rejected.
 */
public final class BundleLoader {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private BundleLoader() {}

    /** Loads a bundle directory. @throws UncheckedIOException on I/O errors */
    public static Bundle fromDirectory(Path dir) {
        Map<String, String> modules = new TreeMap<>();
        List<String> roots = new ArrayList<>();
        ObjectValue[] root = {ObjectValue.EMPTY};
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                String name = p.getFileName().toString();
                if (name.endsWith(".rego")) {
                    modules.put(rel, Files.readString(p, StandardCharsets.UTF_8));
                } else if (name.equals("data.json") || name.equals("data.yaml") || name.equals("data.yml")) {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    JsonNode node = name.equals("data.json") ? JSON.readTree(text) : YAML.readTree(text);
                    List<String> path = new ArrayList<>();
                    Path parent = dir.relativize(p).getParent();
                    if (parent != null) {
                        for (Path seg : parent) {
                            path.add(seg.toString());
                        }
                    }
                    root[0] = merge(root[0], path, 0, Values.fromJson(node), rel);
                } else if (name.equals(".manifest")) {
                    JsonNode m = JSON.readTree(Files.readString(p, StandardCharsets.UTF_8));
                    for (JsonNode r : m.path("roots")) {
                        roots.add(r.asString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkRoots(root[0], roots);
        return new Bundle(Collections.unmodifiableMap(modules), root[0], List.copyOf(roots));
    }

    /** Loads a bundle from a classpath folder (in a directory or a jar). */
    public static Bundle fromClasspath(String folder, ClassLoader loader) {
        URL url = loader.getResource(folder);
        if (url == null) {
            throw new UncheckedIOException(new IOException("bundle folder not on classpath: " + folder));
        }
        try {
            if (url.getProtocol().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(url.toURI());
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(url.toURI(), Map.of());
                }
                return fromDirectory(fs.provider().getPath(url.toURI()));
            }
            return fromDirectory(Path.of(url.toURI()));
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException(new IOException("cannot open bundle " + folder + ": " + e.getMessage()));
        }
    }

    private static ObjectValue merge(ObjectValue base, List<String> path, int i, Value v, String file) {
        if (i == path.size()) {
            if (!(v instanceof ObjectValue o)) {
                if (path.isEmpty()) {
                    throw new RegoException(
                            "bundle_error", file + ": root data document must be an object", Location.NONE);
                }
                throw new IllegalStateException();
            }
            ObjectValue.Builder b = ObjectValue.builder();
            base.unorderedEntries().forEach(e -> b.put(e.getKey(), e.getValue()));
            for (Map.Entry<Value, Value> e : o.unorderedEntries()) {
                Value prev = base.get(e.getKey());
                if (prev instanceof ObjectValue po && e.getValue() instanceof ObjectValue no) {
                    b.put(e.getKey(), merge(po, List.of(), 0, no, file));
                } else {
                    b.put(e.getKey(), e.getValue());
                }
            }
            return b.build();
        }
        StringValue key = StringValue.of(path.get(i));
        Value child = base.get(key);
        ObjectValue.Builder b = ObjectValue.builder();
        base.unorderedEntries().forEach(e -> b.put(e.getKey(), e.getValue()));
        if (i == path.size() - 1 && !(v instanceof ObjectValue)) {
            b.put(key, v);
        } else {
            b.put(key, merge(child instanceof ObjectValue co ? co : ObjectValue.EMPTY, path, i + 1, v, file));
        }
        return b.build();
    }

    private static void checkRoots(ObjectValue data, List<String> roots) {
        if (roots.isEmpty() || roots.contains("")) {
            return;
        }
        for (Value k : data.keys()) {
            String key = k instanceof StringValue s ? s.value() : k.toString();
            boolean ok =
                    roots.stream().anyMatch(r -> r.equals(key) || r.startsWith(key + "/") || key.startsWith(r + "/"));
            if (!ok) {
                throw new RegoException(
                        "bundle_error", "data path " + key + " is outside the manifest roots " + roots, Location.NONE);
            }
        }
    }
}
