package io.opsmcp.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the subset of kustomize that
 * {@code deploy/kubernetes} uses — no kustomize or kubectl binary is available in CI. A field of
 * {@code kustomization.yaml} outside that subset fails the render, so the manifests cannot grow a feature this
 * renderer would silently skip.
 *
 * <p>Supported (kustomize reference, "kustomization.yaml" fields): {@code resources} (files, several documents
 * each, and directories holding a kustomization), {@code namespace}, {@code labels} (metadata only, with
 * {@code includeSelectors: false}), {@code images} ({@code newName}, {@code newTag}, {@code digest}),
 * {@code configMapGenerator} ({@code files}; behaviour {@code create} or {@code replace}) and {@code patches}
 * ({@code path} of a strategic merge patch that names its target by kind and name). Not modelled: the
 * generated ConfigMap's content-hash suffix (kustomize renames the ConfigMap and every reference together, so
 * references resolve by the unsuffixed name here).
 */
final class Kustomization {

    private static final Set<String> FIELDS =
            Set.of("apiVersion", "kind", "namespace", "labels", "resources", "images", "configMapGenerator", "patches");
    /** Lists that a strategic merge patch merges by {@code name} (Kubernetes API {@code patchMergeKey}). */
    private static final Set<String> MERGED_BY_NAME =
            Set.of("containers", "initContainers", "env", "volumes", "volumeMounts", "ports");

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Kustomization() {}

    /** The resources {@code kustomize build dir} would print, in order. */
    static List<ObjectNode> build(Path dir) {
        JsonNode k = read(dir.resolve("kustomization.yaml")).get(0);
        k.propertyNames().forEach(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalStateException(dir + "/kustomization.yaml: field '" + name
                        + "' is not supported by this renderer; extend Kustomization or avoid it");
            }
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path path = dir.resolve(r.asString()).normalize();
            if (Files.isDirectory(path)) {
                out.addAll(build(path));
            } else {
                read(path).forEach(doc -> out.add((ObjectNode) doc));
            }
        }
        for (JsonNode gen : k.path("configMapGenerator")) {
            generate(dir, gen, out);
        }
        for (JsonNode patch : k.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalStateException(dir + ": only `patches: - path: FILE` is supported, not " + patch);
            }
            JsonNode p = read(dir.resolve(patch.path("path").asString())).get(0);
            ObjectNode target = find(out, p.path("kind").asString(), name(p))
                    .orElseThrow(() -> new IllegalStateException(
                            dir + ": patch " + patch.path("path").asString() + " targets "
                                    + p.path("kind").asString() + "/" + name(p) + ", which is not rendered"));
            merge(target, p);
        }
        if (k.has("namespace")) {
            String ns = k.path("namespace").asString();
            out.stream()
                    .filter(o -> !o.path("kind").asString().equals("Namespace"))
                    .forEach(o -> metadata(o).put("namespace", ns));
        }
        for (JsonNode label : k.path("labels")) {
            if (label.path("includeSelectors").asBoolean(false) || label.has("includeTemplates")) {
                throw new IllegalStateException(dir + ": labels are supported with includeSelectors: false only");
            }
            for (Map.Entry<String, JsonNode> pair : label.path("pairs").properties()) {
                out.forEach(o -> labels(o).put(pair.getKey(), pair.getValue().asString()));
            }
        }
        for (JsonNode image : k.path("images")) {
            out.forEach(o -> setImage(o, image));
        }
        return out;
    }

    /** Every YAML document of a file (several documents separated by {@code ---}). */
    static List<JsonNode> read(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        }
    }

    static java.util.Optional<ObjectNode> find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream()
                .filter(o -> o.path("kind").asString().equals(kind) && name(o).equals(name))
                .findFirst();
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asString();
    }

    private static void generate(Path dir, JsonNode gen, List<ObjectNode> out) {
        String name = gen.path("name").asString();
        String behavior = gen.path("behavior").asString("create");
        for (String key : gen.propertyNames()) {
            if (!Set.of("name", "behavior", "files").contains(key)) {
                throw new IllegalStateException(dir + ": configMapGenerator." + key + " is not supported");
            }
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        for (JsonNode f : gen.path("files")) {
            String spec = f.asString();
            int eq = spec.indexOf('=');
            String key = eq < 0 ? Path.of(spec).getFileName().toString() : spec.substring(0, eq);
            Path file = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1));
            try {
                data.put(key, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        var existing = find(out, "ConfigMap", name);
        switch (behavior) {
            case "create" -> {
                if (existing.isPresent()) {
                    throw new IllegalStateException(
                            dir + ": ConfigMap " + name + " already exists; use behavior: replace");
                }
                ObjectNode cm = JsonNodeFactory.instance.objectNode();
                cm.put("apiVersion", "v1").put("kind", "ConfigMap");
                cm.putObject("metadata").put("name", name);
                cm.set("data", data);
                out.add(cm);
            }
            case "replace" ->
                existing.orElseThrow(() -> new IllegalStateException(dir + ": no ConfigMap " + name + " to replace"))
                        .set("data", data);
            default -> throw new IllegalStateException(dir + ": configMapGenerator behavior " + behavior);
        }
    }

    /**
     * Strategic merge of {@code patch} into {@code target}: mappings merge key by key, {@code null} deletes, lists
     * of {@link #MERGED_BY_NAME} merge their entries by {@code name}, every other list is replaced.
     */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && current instanceof ObjectNode obj) {
                merge(obj, value);
            } else if (value.isArray() && current instanceof ArrayNode list && MERGED_BY_NAME.contains(key)) {
                for (JsonNode item : value) {
                    ObjectNode same = null;
                    for (JsonNode c : list) {
                        if (c.path("name").asString().equals(item.path("name").asString())) {
                            same = (ObjectNode) c;
                        }
                    }
                    if (same == null) {
                        list.add(item.deepCopy());
                    } else {
                        merge(same, item);
                    }
                }
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void setImage(ObjectNode resource, JsonNode image) {
        JsonNode spec = resource.path("spec").path("template").path("spec");
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode c : spec.path(field)) {
                String ref = c.path("image").asString();
                String bare = ref.replaceAll("@.*$", "").replaceAll(":[^:/]*$", "");
                if (!bare.equals(image.path("name").asString())) {
                    continue;
                }
                String newName = image.path("newName").asString(bare);
                String ref2 = image.has("digest")
                        ? newName + "@" + image.path("digest").asString()
                        : newName + ":"
                                + image.path("newTag")
                                        .asString(
                                                ref.contains(":") ? ref.substring(ref.lastIndexOf(':') + 1) : "latest");
                ((ObjectNode) c).put("image", ref2);
            }
        }
    }

    private static ObjectNode metadata(ObjectNode o) {
        return o.has("metadata") ? (ObjectNode) o.get("metadata") : o.putObject("metadata");
    }

    private static ObjectNode labels(ObjectNode o) {
        ObjectNode m = metadata(o);
        return m.has("labels") ? (ObjectNode) m.get("labels") : m.putObject("labels");
    }
}
