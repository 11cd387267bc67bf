package io.opsmcp.deploy;

import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a rendered {@code deploy/kubernetes} kustomization must satisfy to run ops-mcp as a shared service, as a
 * list of violations (empty: fine), so tests can show each rule catching the mistake it is for. The
 * configuration in the ConfigMap is loaded by the server's own {@link ConfigLoader}, with the environment the
 * Deployment gives the container (secret references stand for placeholder values).
 */
final class ManifestRules {

    /** The container port's name, which probes, the Service and the NetworkPolicy refer to. */
    static final String NAME_LABEL = "app.kubernetes.io/name";

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|_KEY|CREDENTIAL).*");
    private static final Set<String> SECRET_SETTINGS =
            Set.of("password", "secret", "token", "private_token", "access_token", "secret_access_key");

    private final List<ObjectNode> resources;
    private final Path scratch;
    private final List<String> violations = new ArrayList<>();

    private ManifestRules(List<ObjectNode> resources, Path scratch) {
        this.resources = resources;
        this.scratch = scratch;
    }

    /**
     * Checks rendered resources.
     *
     * @param scratch a directory for the configuration file handed to {@link ConfigLoader}
     */
    static List<String> check(List<ObjectNode> resources, Path scratch) {
        ManifestRules rules = new ManifestRules(resources, scratch);
        rules.run();
        return rules.violations;
    }

    private void run() {
        ObjectNode deployment = one("Deployment");
        if (deployment == null) {
            return;
        }
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode podLabels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode found = null;
        for (JsonNode c : pod.path("containers")) {
            if (c.path("name").asString().equals("ops-mcp")) {
                found = c;
            }
        }
        final JsonNode container = found;
        if (container == null) {
            violations.add("Deployment: no container named ops-mcp");
            return;
        }
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        Map<String, String> env = environment(container);
        Optional<OpsMcpConfig> config = config(pod, container, env);

        selectors(deployment, podLabels, pod, replicas);
        ports(container, config);
        probes(container);
        security(pod, container);
        serviceAccount(pod);
        secrets(pod, container, config);
        networkPolicy(podLabels, container, config);
        config.ifPresent(c -> replicas(replicas, c, container));
    }

    // ---- labels and selectors

    private void selectors(ObjectNode deployment, JsonNode podLabels, JsonNode pod, int replicas) {
        selects(
                "Deployment spec.selector",
                deployment.path("spec").path("selector").path("matchLabels"),
                podLabels);
        ObjectNode service = one("Service");
        if (service != null) {
            selects("Service spec.selector", service.path("spec").path("selector"), podLabels);
        }
        ObjectNode pdb = one("PodDisruptionBudget");
        if (pdb != null) {
            selects(
                    "PodDisruptionBudget spec.selector",
                    pdb.path("spec").path("selector").path("matchLabels"),
                    podLabels);
            JsonNode max = pdb.path("spec").path("maxUnavailable");
            JsonNode min = pdb.path("spec").path("minAvailable");
            boolean drainable = max.isInt()
                    ? max.asInt() >= 1 && max.asInt() < replicas
                    : min.isInt() && min.asInt() < replicas && min.asInt() >= 1;
            if (!drainable) {
                violations.add("PodDisruptionBudget: must let one replica go and keep at least one of " + replicas
                        + " (maxUnavailable 1..replicas-1 or minAvailable 1..replicas-1)");
            }
        }
        ObjectNode policy = one("NetworkPolicy");
        if (policy != null) {
            selects(
                    "NetworkPolicy spec.podSelector",
                    policy.path("spec").path("podSelector").path("matchLabels"),
                    podLabels);
        }
        if (pod.path("topologySpreadConstraints").isEmpty()) {
            violations.add("Deployment: no topologySpreadConstraints (replicas could share one node)");
        }
        for (JsonNode spread : pod.path("topologySpreadConstraints")) {
            selects(
                    "topologySpreadConstraints[" + spread.path("topologyKey").asString() + "]",
                    spread.path("labelSelector").path("matchLabels"),
                    podLabels);
        }
    }

    /** A selector selects the pods: non-empty, names the app, and every label it asks for is on the pod. */
    private void selects(String what, JsonNode selector, JsonNode podLabels) {
        if (!selector.isObject() || selector.isEmpty() || !selector.has(NAME_LABEL)) {
            violations.add(what + ": must select by " + NAME_LABEL + " (got " + selector + ")");
            return;
        }
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asString().equals(podLabels.path(e.getKey()).asString(null))) {
                violations.add(what + ": " + e.getKey() + "=" + e.getValue().asString()
                        + " does not match the pod template's labels " + podLabels);
            }
        }
    }

    // ---- ports and probes

    private void ports(JsonNode container, Optional<OpsMcpConfig> config) {
        ObjectNode service = one("Service");
        if (service != null) {
            for (JsonNode p : service.path("spec").path("ports")) {
                if (!isContainerPort(container, p.path("targetPort"))) {
                    violations.add("Service port " + p.path("name").asString() + ": targetPort " + p.path("targetPort")
                            + " is not a port of the container");
                }
            }
        }
        config.ifPresent(c -> {
            if (!hasPortNumber(container, c.server().port())) {
                violations.add("Deployment: ops-mcp.yaml listens on http.port "
                        + c.server().port() + ", which is not a containerPort");
            }
        });
    }

    private void probes(JsonNode container) {
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode http = container.path(probe).path("httpGet");
            if (http.isMissingNode()) {
                violations.add("container ops-mcp: " + probe + " must be an httpGet of /healthz");
                continue;
            }
            if (!"/healthz".equals(http.path("path").asString())) {
                violations.add("container ops-mcp: " + probe + " must GET /healthz, not " + http.path("path"));
            }
            if (!isContainerPort(container, http.path("port"))) {
                violations.add("container ops-mcp: " + probe + " port " + http.path("port")
                        + " is not a port of the container");
            }
        }
    }

    private static boolean isContainerPort(JsonNode container, JsonNode ref) {
        for (JsonNode p : container.path("ports")) {
            if (ref.isString() && ref.asString().equals(p.path("name").asString())
                    || ref.isInt() && ref.asInt() == p.path("containerPort").asInt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPortNumber(JsonNode container, int port) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("containerPort").asInt() == port) {
                return true;
            }
        }
        return false;
    }

    // ---- security

    private void security(JsonNode pod, JsonNode container) {
        JsonNode podSc = pod.path("securityContext");
        JsonNode sc = container.path("securityContext");
        if (!podSc.path("runAsNonRoot").asBoolean(false)
                && !sc.path("runAsNonRoot").asBoolean(false)) {
            violations.add("securityContext.runAsNonRoot: must be true");
        }
        if (podSc.path("runAsUser").asInt(-1) == 0 || sc.path("runAsUser").asInt(-1) == 0) {
            violations.add("securityContext.runAsUser: must not be 0");
        }
        if (!"RuntimeDefault".equals(podSc.path("seccompProfile").path("type").asString())
                && !"RuntimeDefault"
                        .equals(sc.path("seccompProfile").path("type").asString())) {
            violations.add("securityContext.seccompProfile.type: must be RuntimeDefault");
        }
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            violations.add("container ops-mcp: securityContext.readOnlyRootFilesystem must be true");
        }
        if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
            violations.add("container ops-mcp: securityContext.allowPrivilegeEscalation must be false");
        }
        if (sc.path("privileged").asBoolean(false)) {
            violations.add("container ops-mcp: must not be privileged");
        }
        boolean dropsAll = false;
        for (JsonNode cap : sc.path("capabilities").path("drop")) {
            dropsAll |= cap.asString().equals("ALL");
        }
        if (!dropsAll || !sc.path("capabilities").path("add").isEmpty()) {
            violations.add("container ops-mcp: securityContext.capabilities must drop ALL and add none");
        }
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(host).asBoolean(false)) {
                violations.add("pod: " + host + " must not be set");
            }
        }
        if (pod.path("automountServiceAccountToken").asBoolean(true)) {
            violations.add("pod: automountServiceAccountToken must be false (ops-mcp never calls the Kubernetes API)");
        }
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (container.path("resources").path(kind).path(resource).isMissingNode()) {
                    violations.add("container ops-mcp: resources." + kind + "." + resource + " must be set");
                }
            }
        }
    }

    private void serviceAccount(JsonNode pod) {
        String name = pod.path("serviceAccountName").asString("default");
        ObjectNode account = resources.stream()
                .filter(o -> o.path("kind").asString().equals("ServiceAccount")
                        && Kustomization.name(o).equals(name))
                .findFirst()
                .orElse(null);
        if (account == null) {
            violations.add("Deployment: serviceAccountName " + name + " is not rendered");
            return;
        }
        String arn = account.path("metadata")
                .path("annotations")
                .path("eks.amazonaws.com/role-arn")
                .asString("");
        if (!ROLE_ARN.matcher(arn).matches()) {
            violations.add("ServiceAccount " + name + ": annotation eks.amazonaws.com/role-arn must be an IAM role ARN"
                    + " (IRSA), got '" + arn + "'");
        }
    }

    // ---- secrets only by reference

    private void secrets(JsonNode pod, JsonNode container, Optional<OpsMcpConfig> config) {
        for (ObjectNode o : resources) {
            if (o.path("kind").asString().equals("Secret")) {
                violations.add("Secret " + Kustomization.name(o) + ": secrets must not be in the manifests; reference"
                        + " one created outside them");
            }
            if (o.path("kind").asString().equals("ConfigMap")) {
                for (Map.Entry<String, JsonNode> e : o.path("data").properties()) {
                    if (e.getValue().asString().contains("PRIVATE KEY")) {
                        violations.add(
                                "ConfigMap " + Kustomization.name(o) + ": " + e.getKey() + " holds a private key");
                    }
                }
            }
        }
        for (JsonNode v : pod.path("volumes")) {
            JsonNode mode = v.path("secret").path("defaultMode");
            if (!mode.isMissingNode() && (!mode.isInt() || (mode.asInt() & 07) != 0)) {
                // a quoted or 0-prefixed mode is text to a YAML 1.2 reader and octal to kubectl's YAML 1.1
                violations.add("volume " + v.path("name").asString() + ": secret.defaultMode must be a decimal number"
                        + " without access for others (e.g. 288 = 0440), got " + mode);
            }
        }
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asString();
            if (e.has("value") && SECRET_NAME.matcher(name).matches()) {
                violations.add("env " + name + ": a secret must come from valueFrom.secretKeyRef, not a value");
            }
        }
        Map<String, String> fromSecrets = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            if (e.path("valueFrom").has("secretKeyRef")) {
                fromSecrets.put(
                        e.path("name").asString(),
                        e.path("valueFrom").path("secretKeyRef").path("name").asString());
            }
        }
        config.ifPresent(c -> {
            List<String> named = new ArrayList<>();
            named.add("OPS_MCP_AUDIT_KEY");
            if (c.tree().path("store").has("password_env")) {
                named.add(c.tree().path("store").path("password_env").asString());
            }
            for (JsonNode instance : c.tree().path("gitlab").path("instances")) {
                if (instance.has("token_env")) {
                    named.add(instance.path("token_env").asString());
                }
            }
            for (String variable : named) {
                if (!fromSecrets.containsKey(variable)) {
                    violations.add("env " + variable + ": ops-mcp.yaml reads a secret from it, so the Deployment must"
                            + " set it from a secretKeyRef");
                }
            }
            inlineSecrets(c.tree(), "");
            for (JsonNode host : c.tree().path("hosts")) {
                String keyFile = host.path("auth").path("key_file").asString(null);
                if (keyFile != null && !mountedFrom(pod, container, keyFile, "secret")) {
                    violations.add("hosts[" + host.path("name").asString() + "].auth.key_file " + keyFile
                            + ": must be on a volume from a Secret");
                }
            }
        });
    }

    /** A setting named like a secret with a value is refused whatever its section (the server refuses most). */
    private void inlineSecrets(JsonNode node, String at) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
            if (SECRET_SETTINGS.contains(e.getKey()) && !e.getValue().isNull()) {
                violations.add("ops-mcp.yaml " + path + ": a secret must not be written in the configuration");
            }
            if (e.getValue().isObject()) {
                inlineSecrets(e.getValue(), path);
            }
            if (e.getValue().isArray()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    inlineSecrets(e.getValue().get(i), path + "[" + i + "]");
                }
            }
        }
    }

    // ---- replicas

    private void replicas(int replicas, OpsMcpConfig config, JsonNode container) {
        if (replicas < 2) {
            violations.add("Deployment: replicas must be at least 2 for a shared service (got " + replicas + ")");
            return;
        }
        if (!config.server().stateless()) {
            violations.add("ops-mcp.yaml http.stateless: must be true with " + replicas + " replicas (an MCP session"
                    + " lives in one replica; the Service balances requests across all)");
        }
        if (!"postgres".equals(config.tree().path("store").path("type").asString())) {
            violations.add("ops-mcp.yaml store.type: must be postgres with " + replicas + " replicas (approvals and"
                    + " the audit log must be shared)");
        }
        boolean sharedKey = false;
        for (JsonNode e : container.path("env")) {
            sharedKey |= e.path("name").asString().equals("OPS_MCP_AUDIT_KEY")
                    && e.path("valueFrom").has("secretKeyRef");
        }
        if (!sharedKey) {
            violations.add("env OPS_MCP_AUDIT_KEY: replicas must share the audit checkpoint key (a secretKeyRef)");
        }
    }

    // ---- network policy

    private void networkPolicy(JsonNode podLabels, JsonNode container, Optional<OpsMcpConfig> config) {
        ObjectNode policy = one("NetworkPolicy");
        if (policy == null) {
            return;
        }
        JsonNode spec = policy.path("spec");
        List<String> types = new ArrayList<>();
        spec.path("policyTypes").forEach(t -> types.add(t.asString()));
        if (!types.containsAll(List.of("Ingress", "Egress"))) {
            violations.add("NetworkPolicy: policyTypes must be [Ingress, Egress], got " + types);
        }
        if (spec.path("ingress").isEmpty()) {
            violations.add("NetworkPolicy: no ingress rule lets the load balancer in");
        }
        for (JsonNode rule : spec.path("ingress")) {
            if (rule.path("from").isEmpty()) {
                violations.add("NetworkPolicy ingress: a rule without `from` admits every source");
            }
            for (JsonNode from : rule.path("from")) {
                if (from.path("namespaceSelector").path("matchLabels").isEmpty() || from.has("ipBlock")) {
                    violations.add("NetworkPolicy ingress: sources must be a named namespace (the ingress"
                            + " controller's), got " + from);
                }
            }
            if (rule.path("ports").isEmpty()) {
                violations.add("NetworkPolicy ingress: a rule without `ports` admits every port");
            }
            for (JsonNode p : rule.path("ports")) {
                if (!isContainerPort(container, p.path("port"))) {
                    violations.add("NetworkPolicy ingress: port " + p.path("port") + " is not the container's port");
                }
            }
        }
        Map<Integer, List<JsonNode>> egressByPort = new HashMap<>();
        for (JsonNode rule : spec.path("egress")) {
            if (rule.path("to").isEmpty() || rule.path("ports").isEmpty()) {
                violations.add("NetworkPolicy egress: every rule needs `to` and `ports` (got " + rule + ")");
            }
            for (JsonNode p : rule.path("ports")) {
                egressByPort
                        .computeIfAbsent(p.path("port").asInt(), k -> new ArrayList<>())
                        .add(rule);
            }
            for (JsonNode to : rule.path("to")) {
                JsonNode block = to.path("ipBlock");
                if (block.isObject() && contains(block.path("cidr").asString(), "169.254.169.254")) {
                    boolean excepted = false;
                    for (JsonNode ex : block.path("except")) {
                        excepted |= contains(ex.asString(), "169.254.169.254");
                    }
                    if (!excepted) {
                        violations.add(
                                "NetworkPolicy egress: " + block.path("cidr").asString() + " reaches the instance"
                                        + " metadata service 169.254.169.254; except 169.254.0.0/16 (the pods use IRSA)");
                    }
                }
            }
        }
        boolean dns = egressByPort.getOrDefault(53, List.of()).stream()
                .anyMatch(r -> r.path("to").toString().contains("kube-dns"));
        if (!dns) {
            violations.add("NetworkPolicy egress: no rule for DNS (port 53) to kube-dns");
        }
        config.ifPresent(c -> {
            List<Integer> needed = new ArrayList<>(List.of(443));
            String url = c.tree().path("store").path("url").asString("");
            java.util.regex.Matcher m =
                    Pattern.compile("^jdbc:postgresql://[^/:]+(?::([0-9]+))?/").matcher(url);
            if (m.find()) {
                needed.add(m.group(1) == null ? 5432 : Integer.parseInt(m.group(1)));
            }
            for (JsonNode host : c.tree().path("hosts")) {
                needed.add(host.path("port").asInt(22));
            }
            for (int port : needed) {
                if (!egressByPort.containsKey(port)) {
                    violations.add(
                            "NetworkPolicy egress: no rule for port " + port + ", which the configuration needs");
                }
            }
        });
    }

    /** Whether an IPv4 CIDR block contains an address. */
    static boolean contains(String cidr, String address) {
        String[] parts = cidr.split("/");
        if (parts[0].contains(":")) {
            return false;
        }
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    // ---- configuration

    /**
     * The container's environment: literal values as given, secret references as placeholders (at least 32
     * characters, as {@code OPS_MCP_AUDIT_KEY} requires).
     */
    static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asString();
            if (e.has("value")) {
                env.put(name, e.path("value").asString());
            } else if (e.path("valueFrom").has("secretKeyRef")) {
                env.put(
                        name,
                        "placeholder-for-secret-"
                                + e.path("valueFrom")
                                        .path("secretKeyRef")
                                        .path("key")
                                        .asString() + "-0123456789abcdef");
            }
        }
        return env;
    }

    /** The ConfigMap's ops-mcp.yaml loaded as {@code serve} loads it, or a violation. */
    private Optional<OpsMcpConfig> config(JsonNode pod, JsonNode container, Map<String, String> env) {
        String path = env.get("OPS_MCP_CONFIG");
        if (path == null) {
            violations.add("env OPS_MCP_CONFIG: must name the mounted ops-mcp.yaml");
            return Optional.empty();
        }
        Optional<String> text = mountedFile(pod, container, path);
        if (text.isEmpty()) {
            violations.add("env OPS_MCP_CONFIG " + path + ": no ConfigMap volume of the container holds this file");
            return Optional.empty();
        }
        Path file = scratch.resolve("ops-mcp.yaml");
        try {
            Files.writeString(file, text.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OpsMcpConfig config;
        try {
            config = new ConfigLoader(env).load(file, ConfigLoader.Overrides.NONE);
        } catch (ConfigException e) {
            violations.add("ops-mcp.yaml: " + e.getMessage());
            return Optional.empty();
        }
        if (!"http".equals(config.server().transport())) {
            violations.add("ops-mcp.yaml transport: must be http in a Deployment");
        }
        if (config.apiKeys().isEmpty()) {
            violations.add("ops-mcp.yaml auth.api_keys: a shared service authenticates its clients");
        }
        String dataDir = config.server().dataDir().toString();
        if (!env.containsKey("OPS_MCP_DATA_DIR")) {
            violations.add(
                    "env OPS_MCP_DATA_DIR: must be set; the image sets /var/lib/ops-mcp, which overrides data_dir"
                            + " in ops-mcp.yaml");
        }
        if (isMountPoint(container, dataDir)) {
            violations.add("data_dir " + dataDir + ": must be a directory below a volume mount, not the mount itself"
                    + " (ops-mcp sets its data_dir to mode 0700, which only the owner of the directory may do)");
        }
        if (!mountedFrom(pod, container, dataDir, "emptyDir")
                && !mountedFrom(pod, container, dataDir, "persistentVolumeClaim")) {
            violations.add(
                    "data_dir " + dataDir + ": must be on a writable volume (the root filesystem" + " is read-only)");
        }
        String knownHosts = config.tree().path("ssh").path("known_hosts").asString(null);
        if (knownHosts != null && mountedFile(pod, container, knownHosts).isEmpty()) {
            violations.add("ops-mcp.yaml ssh.known_hosts " + knownHosts + ": not a file of a mounted ConfigMap");
        }
        return Optional.of(config);
    }

    private static boolean isMountPoint(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asString().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** The content of a file of a mounted ConfigMap, by its path in the container. */
    private Optional<String> mountedFile(JsonNode pod, JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String dir = mount.path("mountPath").asString();
            if (!path.startsWith(dir + "/")) {
                continue;
            }
            JsonNode volume = volume(pod, mount.path("name").asString());
            String cmName = volume.path("configMap").path("name").asString(null);
            if (cmName == null) {
                continue;
            }
            String key = path.substring(dir.length() + 1);
            return Kustomization.find(resources, "ConfigMap", cmName)
                    .map(cm -> cm.path("data").path(key).asString(null));
        }
        return Optional.empty();
    }

    /** Whether {@code path} is on a mounted volume of the given type ({@code secret}, {@code emptyDir}, ...). */
    private static boolean mountedFrom(JsonNode pod, JsonNode container, String path, String type) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String dir = mount.path("mountPath").asString();
            if ((path.equals(dir) || path.startsWith(dir + "/"))
                    && volume(pod, mount.path("name").asString()).has(type)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asString().equals(name)) {
                return v;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private ObjectNode one(String kind) {
        List<ObjectNode> found = resources.stream()
                .filter(o -> o.path("kind").asString().equals(kind))
                .toList();
        if (found.size() != 1) {
            violations.add(kind + ": expected exactly one, found " + found.size());
            return null;
        }
        return found.get(0);
    }
}
