package io.opsmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.cli.ControlSocket;
import io.opsmcp.server.cli.Main;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import io.opsmcp.tools.aws.sandbox.SandboxIam;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 18's acceptance, end to end in one JVM: the server (default policy bundle, H2 audit, streamable HTTP on
 * loopback, log level debug) with the aws toolset on the simulated account (prod), an MCP Java SDK client as the
 * assistant (alice, sre), and two sre-leads (bob, carol) voting out of band through the CLI.
 *
 * <ul>
 *   <li>A leaked key id → {@code iam_access_key_lookup} names deploy-bot → {@code iam_deactivate_access_key} is held
 *       for two approvals (an access change in prod) → one vote is not enough → the second approves → the call runs
 *       → {@code iam_user_access} shows the key Inactive.
 *   <li>A console password reset, approved the same way: the password reaches only the user's secret; no MCP result
 *       the client saw, no log line, no audit record and no file of the data directory contains it, nor the whole
 *       leaked key id.
 * </ul>
 */
class IamAccessAcceptanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path tmp;

    static AwsSandbox sandbox;
    static OpsMcpRuntime runtime;
    static HttpTransport http;
    static Path configFile;
    static Path dataDir;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final ByteArrayOutputStream transcript = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        sandbox = AwsSandbox.start(1_000);
        dataDir = Files.createDirectories(tmp.resolve("data"));
        configFile = tmp.resolve("ops-mcp.yaml");
        String osUser = ControlSocket.localOsUser();
        Files.writeString(configFile, """
                identity: {id: alice, roles: [sre]}
                principals:
                  - {id: bob, roles: [sre-lead], os_user: "%s"}
                  - {id: carol, roles: [sre-lead], os_user: "%s"}
                aws:
                  iam_tools: true
                  accounts: [%s]
                """.formatted(osUser, osUser, JSON.writeValueAsString(sandbox.accountConfig())));
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        configFile,
                        new ConfigLoader.Overrides("http", "127.0.0.1", 0, List.of("aws"), false, "debug", dataDir));
        Main.applyLogging(config);
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        runtime = OpsMcpRuntime.start(config);
        http = HttpTransport.start(runtime);
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(logs);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static HostInvestigation.Session connect() {
        return new HostInvestigation(
                        "http://127.0.0.1:" + http.port(), new PrintStream(transcript, true, StandardCharsets.UTF_8))
                .connect();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static JsonNode structured(McpSchema.CallToolResult r) {
        return JSON.valueToTree(r.structuredContent());
    }

    private static String text(McpSchema.CallToolResult r) {
        StringBuilder sb = new StringBuilder();
        r.content().forEach(c -> {
            if (c instanceof McpSchema.TextContent t) {
                sb.append(t.text());
            }
        });
        return sb.toString();
    }

    private static int vote(String as, String approvalId) {
        return Main.run(
                "approvals",
                "approve",
                approvalId,
                "--as",
                as,
                "--reason",
                "leaked key / locked out, INC-4712",
                "--config",
                configFile.toString(),
                "--data-dir",
                dataDir.toString(),
                "--log-level",
                "warn");
    }

    /** Calls the change, has bob and carol approve it out of band, and runs it with the approval. */
    private static McpSchema.CallToolResult approvedByTwo(
            HostInvestigation.Session s, String tool, Map<String, Object> arguments, List<String> seen) {
        McpSchema.CallToolResult held = s.call(new HostInvestigation.Step(tool, arguments, "held for approval"));
        seen.add(text(held) + structured(held));
        String approvalId = structured(held).path("approval_id").asString(null);
        assertThat(approvalId).as(text(held)).isNotNull();
        assertThat(text(held)).contains("access change").contains("needs 2 approvals");

        assertThat(vote("bob", approvalId)).isZero();
        Map<String, Object> withApproval = new LinkedHashMap<>(arguments);
        withApproval.put("approval_id", approvalId);
        McpSchema.CallToolResult oneVote = s.call(new HostInvestigation.Step(tool, withApproval, "one vote"));
        seen.add(text(oneVote) + structured(oneVote));
        assertThat(structured(oneVote).path("status").asString()).isEqualTo("approval_required");
        assertThat(text(oneVote)).contains("1 of 2 approvals");

        assertThat(vote("carol", approvalId)).isZero();
        McpSchema.CallToolResult ran = s.call(new HostInvestigation.Step(tool, withApproval, "approved by two"));
        seen.add(text(ran) + structured(ran));
        assertThat(ran.isError()).as(text(ran)).isNotEqualTo(Boolean.TRUE);
        return ran;
    }

    @Test
    void aLeakedKeyIsLookedUpAndDeactivatedAfterTwoApprovals() {
        List<String> seen = new ArrayList<>();
        try (HostInvestigation.Session s = connect()) {
            McpSchema.CallToolResult lookup = s.call(new HostInvestigation.Step(
                    "iam_access_key_lookup",
                    args("account", "sandbox", "access_key_id", SandboxIam.LEAKED_KEY),
                    "whose key is in the leak report?"));
            seen.add(text(lookup) + structured(lookup));
            assertThat(structured(lookup).path("user_name").asString()).isEqualTo("deploy-bot");
            assertThat(structured(lookup).path("status").asString()).isEqualTo("Active");

            Map<String, Object> deactivate =
                    args("account", "sandbox", "user_name", "deploy-bot", "access_key_id", SandboxIam.LEAKED_KEY);
            approvedByTwo(s, "iam_deactivate_access_key", deactivate, seen);
            assertThat(sandbox.iam().keyStatus(SandboxIam.LEAKED_KEY)).contains("Inactive");

            McpSchema.CallToolResult review = s.call(new HostInvestigation.Step(
                    "iam_user_access", args("account", "sandbox", "user_name", "deploy-bot"), "is it off?"));
            seen.add(text(review) + structured(review));
            JsonNode key = structured(review).path("access_keys").get(0);
            assertThat(key.path("key").asString()).isEqualTo("AKIA…K3D7");
            assertThat(key.path("status").asString()).isEqualTo("Inactive");
        }
        assertThat(String.join("\n", seen)).doesNotContain(SandboxIam.LEAKED_KEY);
    }

    @Test
    void aPasswordResetLeavesThePasswordOnlyInTheUsersSecret() throws IOException {
        List<String> seen = new ArrayList<>();
        try (HostInvestigation.Session s = connect()) {
            McpSchema.CallToolResult ran = approvedByTwo(
                    s, "iam_reset_console_password", args("account", "sandbox", "user_name", "maria"), seen);
            assertThat(structured(ran)
                            .path("applied")
                            .path("delivered_to")
                            .path("name")
                            .asString())
                    .isEqualTo("ops-mcp/console-password/maria");
        }
        List<SandboxIam.SecretVersion> versions = sandbox.iam().secretVersions("maria");
        assertThat(versions).hasSize(1);
        String password =
                JSON.readTree(versions.get(0).value()).path("password").asString();
        assertThat(password).hasSizeGreaterThanOrEqualTo(16);
        assertThat(sandbox.iam().passwordResetRequired("maria")).isTrue();

        Path audit = tmp.resolve("audit.jsonl");
        assertThat(Main.run(
                        "audit",
                        "export",
                        "--output",
                        audit.toString(),
                        "--config",
                        configFile.toString(),
                        "--data-dir",
                        dataDir.toString(),
                        "--log-level",
                        "warn"))
                .isZero();
        String auditText = Files.readString(audit);
        // the audit holds the call: held, pending, then allowed by bob and carol
        assertThat(auditText)
                .contains("\"tool\":\"iam_reset_console_password\"")
                .contains("approved by bob, carol");

        List<String> logLines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            logLines.add(e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        // the capture works: the change is logged (at debug, every logger the server has)
        assertThat(String.join("\n", logLines)).contains("iam_reset_console_password");

        assertThat(String.join("\n", seen)).doesNotContain(password);
        assertThat(transcript.toString(StandardCharsets.UTF_8)).doesNotContain(password);
        assertThat(auditText).doesNotContain(password);
        assertThat(logLines).noneMatch(line -> line.contains(password));
        // nor anything the server stored: audit, approvals, sessions (the H2 files, read as bytes)
        List<Path> stored;
        try (Stream<Path> files = Files.walk(dataDir)) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        assertThat(stored).isNotEmpty();
        byte[] needle = password.getBytes(StandardCharsets.UTF_8);
        for (Path f : stored) {
            assertThat(indexOf(Files.readAllBytes(f), needle)).as(f.toString()).isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
