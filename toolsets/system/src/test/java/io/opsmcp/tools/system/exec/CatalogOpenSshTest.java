package io.opsmcp.tools.system.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.ssh.OpenSshd;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The command catalog against a real OpenSSH server (see {@link OpenSshd}): every shipped command, a deadline that
 * kills {@code sleep 600} on the host, the output cap on a 50 MB file, paths outside the allowlist (also through a
 * symbolic link), and every injection attempt in every typed parameter refused before a connection is made.
 */
class CatalogOpenSshTest {

    static final String HOST = "ci-openssh";

    @TempDir
    static Path dir;

    static OpenSshd sshd;
    static HostToolset toolset;
    /** Files the tests put under /var/log (the shipped allowlist), removed afterwards. */
    static Path logDir;

    @BeforeAll
    static void start() throws Exception {
        sshd = OpenSshd.startOrSkip(dir);
        Path candidate =
                Path.of("/var/log/ops-mcp-test-" + ProcessHandle.current().pid());
        try {
            logDir = Files.createDirectories(candidate);
        } catch (IOException notWritable) {
            logDir = null;
        }
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", sshd.knownHosts().toString())
                .put("command_timeout_seconds", 20);
        settings.putArray("hosts").add(sshd.hostConfig(HOST));
        ArrayNode extra = settings.putObject("host_catalog").putArray("commands");
        // an operator-defined command, used for the deadline test
        extra.add(YAMLMapper.builder().build().readTree("""
                name: sleep_for
                description: Sleeps (test command for deadlines).
                argv: [sleep, "${seconds}"]
                parameters:
                  seconds: {type: integer, min: 1, max: 3600, required: true, description: seconds}
                timeout_seconds: 2
                """));
        if (logDir == null) {
            // not root: the shipped tail_file with the allowlist moved to a directory the test may write
            extra.add(YAMLMapper.builder().build().readTree("""
                    name: tail_file
                    description: Tail (test allowlist).
                    argv: [tail, -n, "${lines}", --, "${path}"]
                    parameters:
                      path: {type: path, required: true, globs: ["%s/**"], description: path}
                      lines: {type: integer, min: 1, max: 5000, default: 200, description: lines}
                    """.formatted(dir.resolve("log"))));
            logDir = Files.createDirectories(dir.resolve("log"));
        }
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (toolset != null) {
            toolset.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (logDir != null && logDir.startsWith("/var/log")) {
            try (var files = Files.walk(logDir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    static ToolContext ctx() {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-catalog",
                Instant.now().plusSeconds(120),
                null,
                null);
    }

    static OpsTool tool(String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ObjectNode args() {
        return JsonNodeFactory.instance.objectNode().put("host", HOST);
    }

    static ToolResult call(String tool, ObjectNode args) {
        OpsTool t = tool(tool);
        t.describe(args, ctx());
        ToolResult r = t.execute(args, ctx());
        // every result a test sees must match the tool's published output schema
        assertThat(ToolDefinitionChecks.resultProblems(t.definition(), r))
                .as(tool + " result against its output schema")
                .isEmpty();
        return r;
    }

    @Test
    void everyShippedCommandIsPublishedWithAClosedSchema() {
        for (String name : List.of(
                "tail_file",
                "listening_ports",
                "http_probe",
                "nginx_config_test",
                "certificate_expiry",
                "dns_lookup",
                "kernel_messages",
                "docker_ps")) {
            OpsTool t = tool("host_" + name);
            assertThat(t.definition().readOnly()).as(name).isTrue();
            assertThat(t.definition().inputSchema().get("additionalProperties").asBoolean())
                    .isFalse();
            assertThat(t.definition().inputSchema().get("required").toString()).contains("\"host\"");
        }
    }

    @Test
    void tailFileReadsTheLastLines() throws Exception {
        Path log = Files.writeString(logDir.resolve("app.log"), "one\ntwo\nthree\nfour\n");
        ToolResult r = call("host_tail_file", args().put("path", log.toString()).put("lines", 2));
        assertThat(r.structuredContent().get("stdout").asString()).isEqualTo("three\nfour\n");
        assertThat(r.structuredContent().get("exit_status").asInt()).isZero();
        assertThat(r.text()).contains("exited with 0").contains("three\nfour");
    }

    @Test
    void outputCapOnA50MegabyteFile() throws Exception {
        Path big = logDir.resolve("big.log");
        byte[] line = ("x".repeat(10_485) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 5000; i++) {
                out.write(line);
            }
        }
        long size = Files.size(big);
        assertThat(size).isGreaterThanOrEqualTo(50L * 1024 * 1024);
        ToolResult r = call("host_tail_file", args().put("path", big.toString()).put("lines", 5000));
        JsonNode s = r.structuredContent();
        assertThat(s.get("stdout").asString()).hasSize(262_144);
        assertThat(s.get("omitted_bytes").asLong()).isEqualTo(size - 262_144);
        assertThat(s.get("timed_out").asBoolean()).isFalse();
        assertThat(r.text()).contains("[truncated: " + (size - 262_144) + " bytes omitted (output cap 262144 bytes)]");
    }

    @Test
    void pathsOutsideTheAllowlistAreRefused() throws Exception {
        for (String path : List.of("/etc/shadow", "/etc/passwd", "/var/lib/dpkg/status", "/root/.ssh/id_rsa")) {
            assertThatThrownBy(() -> call("host_tail_file", args().put("path", path)))
                    .as(path)
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("outside the allowed paths")
                    .extracting(e -> ((ToolException) e).kind())
                    .isEqualTo(ToolException.Kind.FORBIDDEN);
        }
        // a symbolic link inside the allowlist that leads out of it is resolved on the host and refused
        Path link = Files.createSymbolicLink(logDir.resolve("passwd.log"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> call("host_tail_file", args().put("path", link.toString())))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("is a link to /etc/passwd, which is outside the allowed paths");
    }

    @Test
    void aCommandStillRunningAtItsDeadlineIsKilledOnTheHost() throws Exception {
        ToolResult r = call("host_sleep_for", args().put("seconds", 600));
        JsonNode s = r.structuredContent();
        assertThat(s.get("timed_out").asBoolean()).isTrue();
        assertThat(s.has("exit_status")).isFalse(); // no exit status: absent, never null
        assertThat(s.get("elapsed_ms").asLong()).isBetween(1_500L, 10_000L);
        assertThat(r.text()).contains("was still running after").contains("killed on the host");
        boolean gone = false;
        for (int i = 0; i < 100 && !gone; i++) {
            gone = sshd.handle()
                    .descendants()
                    .noneMatch(p -> p.info()
                            .commandLine()
                            .map(c -> c.endsWith("sleep 600"))
                            .orElse(false));
            if (!gone) {
                Thread.sleep(100);
            }
        }
        assertThat(gone)
                .as("sleep 600 under sshd ended; sshd log:%n%s", sshd.log())
                .isTrue();
    }

    @Test
    void listeningPortsShowsSshd() {
        ToolResult r = call("host_listening_ports", args());
        assertThat(r.structuredContent().get("exit_status").asInt()).isZero();
        assertThat(r.structuredContent().get("stdout").asString()).contains("127.0.0.1:" + sshd.port());
    }

    @Test
    void httpProbeReportsStatusAndTiming() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
            JsonNode fields = call("host_http_probe", args().put("url", url))
                    .structuredContent()
                    .get("fields");
            assertThat(fields.get("http_code").asString()).isEqualTo("204");
            assertThat(fields.get("remote_ip").asString()).isEqualTo("127.0.0.1");
            assertThat(Double.parseDouble(fields.get("time_total").asString())).isBetween(0.0, 10.0);
            // nothing listening: curl reports status 000 and its error; that is a finding, not a tool failure
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = closed.getLocalPort();
                closed.close();
                ToolResult down = call("host_http_probe", args().put("url", "http://127.0.0.1:" + port + "/"));
                assertThat(down.structuredContent()
                                .get("fields")
                                .get("http_code")
                                .asString())
                        .isEqualTo("000");
                assertThat(down.structuredContent().get("exit_status").asInt()).isEqualTo(7);
                assertThat(down.text()).contains("Failed to connect");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void nginxConfigTest() {
        if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            ToolResult r = call("host_nginx_config_test", args());
            JsonNode s = r.structuredContent();
            assertThat(s.get("stderr").asString())
                    .containsPattern("nginx: (the configuration file|configuration file)");
            assertThat(s.get("exit_status").asInt()).isIn(0, 1);
        } else {
            assertThatThrownBy(() -> call("host_nginx_config_test", args()))
                    .hasMessageContaining("`nginx` is not installed on " + HOST);
        }
    }

    @Test
    void certificateExpiryReadsTheServedCertificate() throws Exception {
        Path key = dir.resolve("tls.key");
        Path cert = dir.resolve("tls.crt");
        OpenSshd.exec(
                Map.of(),
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "30",
                "-subj",
                "/CN=probe.test");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process tls = new ProcessBuilder(
                        "openssl",
                        "s_server",
                        "-quiet",
                        "-accept",
                        "127.0.0.1:" + port,
                        "-cert",
                        cert.toString(),
                        "-key",
                        key.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s_server.log").toFile())
                .start();
        try {
            awaitPort(port);
            ToolResult r = call(
                    "host_certificate_expiry", args().put("server", "127.0.0.1").put("port", port));
            JsonNode fields = r.structuredContent().get("fields");
            assertThat(fields.get("subject").asString()).contains("probe.test");
            assertThat(fields.get("days_left").asInt()).isBetween(29, 30);
            assertThat(fields.get("not_after").asString()).endsWith("Z");
            assertThat(r.text()).contains("days_left: ");
        } finally {
            tls.destroy();
            tls.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void dnsLookupResolvesLikeTheHost() {
        ToolResult r = call("host_dns_lookup", args().put("name", "localhost"));
        assertThat(r.structuredContent().get("exit_status").asInt()).isZero();
        assertThat(r.structuredContent().get("stdout").asString()).containsPattern("127\\.0\\.0\\.1|::1");
        ToolResult v4 = call("host_dns_lookup", args().put("name", "localhost").put("family", "ipv4"));
        assertThat(v4.structuredContent().get("argv").toString()).contains("ahostsv4");
        ToolResult missing = call("host_dns_lookup", args().put("name", "no-such-name.invalid"));
        assertThat(missing.structuredContent().get("exit_status").asInt()).isEqualTo(2);
    }

    @Test
    void kernelMessagesTail() {
        ToolResult r = call("host_kernel_messages", args().put("level", "all").put("lines", 3));
        JsonNode s = r.structuredContent();
        if (s.get("exit_status").asInt() == 0) {
            List<String> lines = s.get("stdout").asString().lines().toList();
            assertThat(lines).hasSizeLessThanOrEqualTo(3);
            lines.forEach(l -> assertThat(l).matches("^\\d{4}-\\d{2}-\\d{2}T.*"));
        } else {
            // kernel.dmesg_restrict: an unprivileged user may not read the buffer; the result says why
            assertThat(s.get("stderr").asString()).containsIgnoringCase("not permitted");
        }
    }

    @Test
    void dockerPs() {
        if (Files.isExecutable(Path.of("/usr/bin/docker")) || Files.isExecutable(Path.of("/usr/local/bin/docker"))) {
            ToolResult r = call("host_docker_ps", args().put("limit", 5));
            JsonNode s = r.structuredContent();
            assertThat(s.get("argv").toString()).contains("--last=5");
            if (s.get("exit_status").asInt() == 0) {
                assertThat(s.get("stdout").asString()).startsWith("CONTAINER ID");
            } else {
                assertThat(s.get("stderr").asString()).containsPattern("(?i)docker daemon|permission denied");
            }
        } else {
            assertThatThrownBy(() -> call("host_docker_ps", args())).hasMessageContaining("is not installed");
        }
    }

    static final List<String> ATTACKS = List.of(
            "x; id",
            "$(id)",
            "`id`",
            "a\nb",
            "-rf",
            "--help",
            "a|b",
            "a&b",
            "a b'c",
            "../../etc/passwd",
            "",
            "a>b",
            "x\u0000y",
            "--output=/tmp/x",
            "-",
            "1 2");

    /** Every string attack in every typed parameter of every catalog command, and wrong types for numbers. */
    @Test
    void injectionInEveryTypedParameterIsRefusedBeforeConnecting() throws Exception {
        long before = sshd.connectionsAcceptedWhenQuiet();
        int refused = 0;
        for (OpsTool t : toolset.tools()) {
            if (!(t instanceof CatalogTool)) {
                continue;
            }
            ObjectNode properties = (ObjectNode) t.definition().inputSchema().get("properties");
            for (var p : properties.properties()) {
                if (p.getKey().equals("host")) {
                    continue;
                }
                List<JsonNode> attacks = new ArrayList<>();
                ATTACKS.forEach(a -> attacks.add(JsonNodeFactory.instance.stringNode(a)));
                attacks.add(JsonNodeFactory.instance.stringNode("/var/log/../../etc/shadow"));
                attacks.add(JsonNodeFactory.instance.numberNode(-1));
                attacks.add(JsonNodeFactory.instance.numberNode(1.5));
                attacks.add(JsonNodeFactory.instance.numberNode(10_000_000L));
                for (JsonNode attack : attacks) {
                    if (SchemaCheck.accepts(p.getValue(), attack)) {
                        continue; // a legitimate value of this parameter
                    }
                    ObjectNode a = validArgs(t);
                    a.set(p.getKey(), attack);
                    for (boolean describe : new boolean[] {true, false}) {
                        assertThatThrownBy(() -> {
                                    if (describe) {
                                        t.describe(a, ctx());
                                    } else {
                                        t.execute(a, ctx());
                                    }
                                })
                                .as("%s.%s = %s", t.definition().name(), p.getKey(), attack)
                                .isInstanceOf(ToolException.class)
                                .hasMessageStartingWith(p.getKey() + ": ")
                                .extracting(e -> ((ToolException) e).kind())
                                .isIn(ToolException.Kind.INVALID_ARGUMENT, ToolException.Kind.FORBIDDEN);
                    }
                    refused++;
                }
                // the string attacks are all refused by the schema as well
                for (String attack : ATTACKS) {
                    assertThat(SchemaCheck.accepts(p.getValue(), JsonNodeFactory.instance.stringNode(attack)))
                            .as("schema of %s.%s accepts %s", t.definition().name(), p.getKey(), attack)
                            .isFalse();
                }
            }
        }
        assertThat(refused).isGreaterThan(100);
        assertThat(sshd.connectionsAccepted())
                .as("connections made while refusing")
                .isEqualTo(before);
    }

    /** Arguments that pass validation, so that only the attacked parameter is wrong. */
    static ObjectNode validArgs(OpsTool t) {
        ObjectNode a = args();
        Map<String, String> valid = Map.of(
                "path",
                "/var/log/syslog",
                "url",
                "http://127.0.0.1/",
                "server",
                "example.org",
                "name",
                "example.org",
                "seconds",
                "1");
        JsonNode required = t.definition().inputSchema().get("required");
        for (JsonNode r : required) {
            String name = r.asString();
            if (name.equals("host")) {
                continue;
            }
            JsonNode schema = t.definition().inputSchema().get("properties").get(name);
            if (schema.get("type").asString().equals("integer")) {
                a.put(name, schema.get("minimum").asLong());
            } else {
                a.put(name, valid.get(name));
            }
        }
        return a;
    }

    private static void awaitPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (var s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("openssl s_server did not listen on " + port);
    }

    /** The parts of JSON Schema the catalog publishes: type, enum, pattern, not.pattern, lengths, ranges. */
    static final class SchemaCheck {
        static boolean accepts(JsonNode schema, JsonNode value) {
            String type = schema.get("type").asString();
            if (type.equals("integer")) {
                return value.isIntegralNumber()
                        && value.longValue() >= schema.get("minimum").asLong()
                        && value.longValue() <= schema.get("maximum").asLong();
            }
            if (!value.isString()) {
                return false;
            }
            String s = value.asString();
            if (schema.has("enum")) {
                for (JsonNode e : schema.get("enum")) {
                    if (e.asString().equals(s)) {
                        return true;
                    }
                }
                return false;
            }
            if (s.length() < schema.path("minLength").asInt(0)
                    || s.length() > schema.path("maxLength").asInt(1 << 20)) {
                return false;
            }
            if (schema.has("pattern")
                    && !Pattern.compile(schema.get("pattern").asString())
                            .matcher(s)
                            .find()) {
                return false;
            }
            return !(schema.has("not")
                    && Pattern.compile(schema.get("not").get("pattern").asString())
                            .matcher(s)
                            .find());
        }
    }
}
