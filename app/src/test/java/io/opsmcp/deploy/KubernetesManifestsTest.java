package io.opsmcp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code deploy/kubernetes}: every manifest parses, each kustomization renders (with {@link Kustomization}) and the
 * result passes {@link ManifestRules} — selectors, probes on {@code /healthz}, the security context, secrets by
 * reference only, replicas with stateless HTTP and PostgreSQL, the NetworkPolicy, and the ConfigMap's
 * {@code ops-mcp.yaml} through the server's own configuration loader. The mutation tests show each rule failing
 * on the mistake it is for.
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of("../deploy/kubernetes").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void everyManifestFileParsesAndEveryFileIsUsedByItsKustomization() throws IOException {
        List<Path> dirs;
        try (Stream<Path> files = Files.walk(ROOT)) {
            dirs = files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .toList();
        }
        assertThat(dirs)
                .extracting(d -> ROOT.relativize(d).toString())
                .containsExactlyInAnyOrder("base", "overlays/prod");
        for (Path dir : dirs) {
            JsonNode k = Kustomization.read(dir.resolve("kustomization.yaml")).get(0);
            Set<String> used = new TreeSet<>(Set.of("kustomization.yaml"));
            k.path("resources").forEach(r -> used.add(r.asString()));
            k.path("patches").forEach(p -> used.add(p.path("path").asString()));
            k.path("configMapGenerator").forEach(g -> g.path("files").forEach(f -> used.add(f.asString())));
            Set<String> present = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile)
                        .forEach(f -> present.add(f.getFileName().toString()));
            }
            present.removeIf(f -> f.equals("README.md"));
            assertThat(present)
                    .as("files of %s not used by its kustomization.yaml", dir)
                    .isSubsetOf(used);
            for (String f : present) {
                if (f.endsWith(".yaml")) {
                    List<JsonNode> docs = Kustomization.read(dir.resolve(f));
                    assertThat(docs).as(f).isNotEmpty();
                    if (!f.equals("ops-mcp.yaml") && !f.equals("kustomization.yaml")) {
                        docs.forEach(
                                d -> assertThat(d.path("kind").asString()).as(f).isNotBlank());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/prod"})
    void renderedKustomizationMeetsEveryRule(String dir) {
        List<ObjectNode> rendered = Kustomization.build(ROOT.resolve(dir));
        assertThat(rendered)
                .extracting(o -> o.path("kind").asString())
                .contains(
                        "Namespace",
                        "ServiceAccount",
                        "Deployment",
                        "Service",
                        "PodDisruptionBudget",
                        "NetworkPolicy",
                        "ConfigMap");
        assertThat(ManifestRules.check(rendered, tmp)).isEmpty();
        assertThat(rendered)
                .filteredOn(o -> !o.path("kind").asString().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asString())
                        .isEqualTo("ops-mcp"));
    }

    @Test
    void theOverlaySetsImageReplicasConfigurationRoleAndEgress() {
        List<ObjectNode> prod = Kustomization.build(ROOT.resolve("overlays/prod"));
        JsonNode pod = get(prod, "Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("containers").get(0).path("image").asString())
                .isEqualTo("registry.example.com/platform/ops-mcp:0.1.0");
        assertThat(get(prod, "Deployment").path("spec").path("replicas").asInt())
                .isEqualTo(3);
        // the patch merged into the container by name: its probes and mounts are still the base's
        assertThat(pod.path("containers")
                        .get(0)
                        .path("resources")
                        .path("limits")
                        .path("memory")
                        .asString())
                .isEqualTo("1536Mi");
        assertThat(pod.path("containers")
                        .get(0)
                        .path("readinessProbe")
                        .path("httpGet")
                        .path("path")
                        .asString())
                .isEqualTo("/healthz");
        assertThat(get(prod, "ConfigMap").path("data").path("ops-mcp.yaml").asString())
                .contains("10.20.64.15");
        assertThat(get(prod, "ServiceAccount")
                        .path("metadata")
                        .path("annotations")
                        .path("eks.amazonaws.com/role-arn")
                        .asString())
                .endsWith(":role/ops-mcp-prod");
        assertThat(get(prod, "NetworkPolicy").path("spec").path("egress").toString())
                .contains("10.20.32.0/20")
                .doesNotContain("10.0.0.0/8");
        assertThat(get(prod, "Ingress")
                        .path("spec")
                        .path("rules")
                        .get(0)
                        .path("http")
                        .path("paths")
                        .get(0)
                        .path("backend")
                        .path("service")
                        .path("name")
                        .asString())
                .isEqualTo("ops-mcp");
    }

    /**
     * Where a real {@code kustomize} is at hand ({@code OPS_MCP_KUSTOMIZE=/path/to/kustomize}; none is reachable in
     * CI), the test renderer must agree with it resource by resource, but for the ConfigMap's content-hash suffix.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/prod"})
    void theRendererAgreesWithKustomize(String dir) throws Exception {
        String binary = System.getenv("OPS_MCP_KUSTOMIZE");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                binary != null && Files.isExecutable(Path.of(binary)),
                "OPS_MCP_KUSTOMIZE names no kustomize binary: the comparison with kustomize is skipped");
        Process p = new ProcessBuilder(binary, "build", ROOT.resolve(dir).toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String unhashed = out.replaceAll("ops-mcp-config-[a-z0-9]{10}", "ops-mcp-config");
        List<JsonNode> real = new java.util.ArrayList<>();
        try (tools.jackson.databind.MappingIterator<JsonNode> it =
                Kustomization.YAML.readerFor(JsonNode.class).readValues(unhashed)) {
            it.forEachRemaining(real::add);
        }
        List<ObjectNode> ours = Kustomization.build(ROOT.resolve(dir));
        assertThat(ours).hasSameSizeAs(real);
        for (JsonNode r : real) {
            ObjectNode mine = Kustomization.find(ours, r.path("kind").asString(), Kustomization.name(r))
                    .orElseThrow(
                            () -> new AssertionError("not rendered: " + r.path("kind") + "/" + Kustomization.name(r)));
            assertThat(mine).as(r.path("kind") + "/" + Kustomization.name(r)).isEqualTo(r);
        }
    }

    @Test
    void theRendererRefusesWhatItDoesNotModel() throws IOException {
        Path dir = tmp.resolve("k");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nreplicas: [{name: x, count: 2}]\n");
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("field 'replicas' is not supported");
    }

    // ---- each rule fails on its mistake

    @Test
    void oneReplicaOrStatefulHttpOrTheEmbeddedStoreIsRefused() {
        assertThat(violations(r -> deployment(r).put("replicas", 1))).anyMatch(v -> v.contains("at least 2"));
        assertThat(violations(r -> config(r, "  stateless: true", "  stateless: false")))
                .anyMatch(v -> v.contains("http.stateless: must be true with 2 replicas"));
        assertThat(violations(r -> config(r, "  type: postgres", "  type: embedded")))
                .anyMatch(v -> v.contains("store.type: must be postgres"));
        assertThat(violations(r -> removeEnv(r, "OPS_MCP_AUDIT_KEY"))).anyMatch(v -> v.contains("OPS_MCP_AUDIT_KEY"));
    }

    @Test
    void theServersOwnValidationRunsOnTheConfigMap() {
        // a misspelt key: the server's ConfigLoader refuses it, naming it
        assertThat(violations(r -> config(r, "  stateless: true", "  stateles: true")))
                .anyMatch(v -> v.startsWith("ops-mcp.yaml: http.stateles"));
        // a non-loopback bind without API keys: ServerSettings.validate refuses it
        assertThat(violations(r -> {
                    config(r, "    - {principal: ci-agent", "    # - {principal: ci-agent");
                    config(r, "    - {principal: bob", "    # - {principal: bob");
                }))
                .anyMatch(
                        v -> v.startsWith("ops-mcp.yaml: http.bind: refusing to bind 0.0.0.0 without authentication"));
        // the configured port is not the container's
        assertThat(violations(r -> config(r, "  port: 8080", "  port: 9090")))
                .anyMatch(v -> v.contains("http.port 9090, which is not a containerPort"));
    }

    @Test
    void secretsOnlyByReference() {
        assertThat(violations(r -> {
                    removeEnv(r, "OPS_MCP_DB_PASSWORD");
                    container(r)
                            .withArray("env")
                            .addObject()
                            .put("name", "OPS_MCP_DB_PASSWORD")
                            .put("value", "hunter2");
                }))
                .anyMatch(v -> v.contains("env OPS_MCP_DB_PASSWORD: a secret must come from valueFrom.secretKeyRef"))
                .anyMatch(v -> v.contains("must set it from a secretKeyRef"));
        assertThat(violations(r -> r.add((ObjectNode) Kustomization.YAML.readTree(
                        "{apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {db-password: x}}"))))
                .anyMatch(v -> v.startsWith("Secret s:"));
        assertThat(violations(r -> config(
                        r, "      token_env: GITLAB_TOKEN", "      token_env: GITLAB_TOKEN\n      token: glpat-x")))
                .anyMatch(v -> v.contains("gitlab.instances[0].token"));
        assertThat(violations(r -> {
                    for (JsonNode v : pod(r).path("volumes")) {
                        if (v.path("name").asString().equals("ssh-key")) {
                            ((ObjectNode) v).remove("secret");
                            ((ObjectNode) v).putObject("emptyDir");
                        }
                    }
                }))
                .anyMatch(v -> v.contains("key_file /etc/ops-mcp/ssh/id_ed25519: must be on a volume from a Secret"));
    }

    @Test
    void theDataDirectoryIsBelowAWritableMountAndSetForTheImage() {
        assertThat(violations(r -> removeEnv(r, "OPS_MCP_DATA_DIR")))
                .anyMatch(v -> v.startsWith("env OPS_MCP_DATA_DIR: must be set"));
        assertThat(violations(r -> setEnv(r, "OPS_MCP_DATA_DIR", "/var/lib/ops-mcp")))
                .anyMatch(v -> v.startsWith("data_dir /var/lib/ops-mcp: must be a directory below a volume mount"));
        assertThat(violations(r -> setEnv(r, "OPS_MCP_DATA_DIR", "/opt/ops-mcp/data")))
                .anyMatch(v -> v.startsWith("data_dir /opt/ops-mcp/data: must be on a writable volume"));
    }

    @Test
    void secretFileModes() {
        for (String mode : List.of("\"0440\"", "292")) { // text; 0444 readable by others
            assertThat(violations(r -> {
                        for (JsonNode v : pod(r).path("volumes")) {
                            if (v.has("secret")) {
                                ((ObjectNode) v.path("secret")).set("defaultMode", Kustomization.YAML.readTree(mode));
                            }
                        }
                    }))
                    .anyMatch(v -> v.startsWith("volume ssh-key: secret.defaultMode"));
        }
    }

    @Test
    void probesAndSelectors() {
        assertThat(violations(
                        r -> ((ObjectNode) container(r).path("livenessProbe").path("httpGet")).put("path", "/mcp")))
                .anyMatch(v -> v.contains("livenessProbe must GET /healthz"));
        assertThat(violations(
                        r -> ((ObjectNode) container(r).path("readinessProbe").path("httpGet")).put("port", 9000)))
                .anyMatch(v -> v.contains("readinessProbe port 9000"));
        assertThat(violations(r -> ((ObjectNode) get(r, "Service").path("spec").path("selector"))
                        .put(ManifestRules.NAME_LABEL, "other")))
                .anyMatch(v -> v.startsWith("Service spec.selector"));
        assertThat(violations(r -> ((ObjectNode) get(r, "PodDisruptionBudget")
                                .path("spec")
                                .path("selector")
                                .path("matchLabels"))
                        .put("tier", "x")))
                .anyMatch(v -> v.startsWith("PodDisruptionBudget spec.selector: tier=x"));
        assertThat(violations(
                        r -> ((ObjectNode) get(r, "NetworkPolicy").path("spec").path("podSelector"))
                                .putObject("matchLabels")))
                .anyMatch(v -> v.startsWith("NetworkPolicy spec.podSelector"));
        assertThat(violations(r -> ((ObjectNode) get(r, "PodDisruptionBudget").path("spec")).put("maxUnavailable", 2)))
                .anyMatch(v -> v.startsWith("PodDisruptionBudget: must let one replica go"));
    }

    @Test
    void securityContext() {
        assertThat(violations(
                        r -> ((ObjectNode) container(r).path("securityContext")).put("readOnlyRootFilesystem", false)))
                .anyMatch(v -> v.contains("readOnlyRootFilesystem"));
        assertThat(violations(
                        r -> ((ObjectNode) container(r).path("securityContext").path("capabilities"))
                                .putArray("add")
                                .add("NET_ADMIN")))
                .anyMatch(v -> v.contains("capabilities must drop ALL"));
        assertThat(violations(r -> {
                    ((ObjectNode) pod(r).path("securityContext")).put("runAsNonRoot", false);
                    ((ObjectNode) container(r).path("securityContext")).remove("runAsNonRoot");
                }))
                .anyMatch(v -> v.contains("runAsNonRoot"));
        assertThat(violations(
                        r -> ((ObjectNode) container(r).path("securityContext")).put("allowPrivilegeEscalation", true)))
                .anyMatch(v -> v.contains("allowPrivilegeEscalation"));
        assertThat(violations(r -> ((ObjectNode) pod(r)).put("automountServiceAccountToken", true)))
                .anyMatch(v -> v.contains("automountServiceAccountToken"));
        assertThat(violations(r -> ((ObjectNode) get(r, "ServiceAccount").path("metadata")).remove("annotations")))
                .anyMatch(v -> v.contains("eks.amazonaws.com/role-arn"));
        assertThat(violations(r -> ((ObjectNode) container(r).path("resources")).remove("limits")))
                .anyMatch(v -> v.contains("resources.limits.memory"));
    }

    @Test
    void networkPolicy() {
        ObjectNode anySource = Kustomization.YAML.createObjectNode();
        anySource.putArray("ports").addObject().put("port", "http");
        assertThat(violations(
                        r -> ((ArrayNode) get(r, "NetworkPolicy").path("spec").path("ingress")).add(anySource)))
                .anyMatch(v -> v.contains("a rule without `from` admits every source"));
        assertThat(violations(r -> ((ObjectNode) get(r, "NetworkPolicy")
                                .path("spec")
                                .path("egress")
                                .get(2)
                                .path("to")
                                .get(0)
                                .path("ipBlock"))
                        .remove("except")))
                .anyMatch(v -> v.contains("instance metadata service"));
        assertThat(violations(
                        r -> ((ArrayNode) get(r, "NetworkPolicy").path("spec").path("egress")).remove(0)))
                .anyMatch(v -> v.contains("no rule for DNS"));
        assertThat(violations(
                        r -> ((ArrayNode) get(r, "NetworkPolicy").path("spec").path("egress")).remove(1)))
                .anyMatch(v -> v.contains("no rule for port 5432"));
        assertThat(violations(
                        r -> ((ArrayNode) get(r, "NetworkPolicy").path("spec").path("egress")).addObject()))
                .anyMatch(v -> v.contains("every rule needs `to` and `ports`"));
        assertThat(violations(r -> ((ObjectNode) get(r, "NetworkPolicy").path("spec"))
                        .putArray("policyTypes")
                        .add("Ingress")))
                .anyMatch(v -> v.contains("policyTypes"));
    }

    @Test
    void cidrContainment() {
        assertThat(ManifestRules.contains("0.0.0.0/0", "169.254.169.254")).isTrue();
        assertThat(ManifestRules.contains("169.254.0.0/16", "169.254.169.254")).isTrue();
        assertThat(ManifestRules.contains("10.0.0.0/8", "169.254.169.254")).isFalse();
        assertThat(ManifestRules.contains("169.254.169.254/32", "169.254.169.254"))
                .isTrue();
    }

    // ---- helpers

    private List<String> violations(Consumer<List<ObjectNode>> mutation) {
        List<ObjectNode> rendered = new java.util.ArrayList<>(Kustomization.build(ROOT.resolve("base")));
        mutation.accept(rendered);
        return ManifestRules.check(rendered, tmp);
    }

    private static ObjectNode get(List<ObjectNode> r, String kind) {
        return r.stream()
                .filter(o -> o.path("kind").asString().equals(kind))
                .findFirst()
                .orElseThrow();
    }

    private static ObjectNode deployment(List<ObjectNode> r) {
        return (ObjectNode) get(r, "Deployment").path("spec");
    }

    private static ObjectNode pod(List<ObjectNode> r) {
        return (ObjectNode) deployment(r).path("template").path("spec");
    }

    private static ObjectNode container(List<ObjectNode> r) {
        return (ObjectNode) pod(r).path("containers").get(0);
    }

    private static void removeEnv(List<ObjectNode> r, String name) {
        ArrayNode env = (ArrayNode) container(r).path("env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).path("name").asString().equals(name)) {
                env.remove(i);
            }
        }
    }

    private static void setEnv(List<ObjectNode> r, String name, String value) {
        removeEnv(r, name);
        container(r).withArray("env").addObject().put("name", name).put("value", value);
    }

    /** Replaces text in the rendered ops-mcp.yaml (one occurrence, which must exist). */
    private static void config(List<ObjectNode> r, String from, String to) {
        ObjectNode data = (ObjectNode) get(r, "ConfigMap").path("data");
        String text = data.path("ops-mcp.yaml").asString();
        assertThat(text).contains(from);
        data.put(
                "ops-mcp.yaml",
                text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }
}
