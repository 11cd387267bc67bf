package io.opsmcp.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox through a real MCP client (MCP Java SDK, streamable HTTP), as an AI client would use it:
 * ECS troubleshooting on the three simulated services, GitLab failure analysis and its proposed fix, the
 * deployment's origin, prompts with completions and a runbook resource.
 */
class SandboxOverMcpTest {

    @TempDir
    static Path dataDir;

    private static OpsMcpRuntime runtime;
    private static HttpTransport http;
    private static McpSyncClient client;

    @BeforeAll
    static void start() throws Exception {
        Path config = dataDir.resolve("ops-mcp.yaml");
        Files.writeString(config, "identity: {id: alice, roles: [sre]}\n");
        OpsMcpConfig c = new ConfigLoader(Map.of())
                .load(
                        config,
                        new ConfigLoader.Overrides(
                                "http",
                                "127.0.0.1",
                                0,
                                List.of("hosts", "aws", "gitlab", "deployments"),
                                true,
                                "warn",
                                dataDir));
        runtime = OpsMcpRuntime.start(c);
        http = HttpTransport.start(runtime);
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                        .endpoint("/mcp")
                        .build())
                .requestTimeout(Duration.ofSeconds(120))
                .build();
        client.initialize();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (http != null) {
            http.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private static McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertThat(result.isError()).as(tool + ": " + text(result)).isNotEqualTo(Boolean.TRUE);
        if (result.structuredContent() != null) {
            // MCP: structured content also comes as its serialized JSON in a text block, after the readable text.
            McpSchema.Content last = result.content().get(result.content().size() - 1);
            assertThat(last).as(tool + ": the last content block").isInstanceOf(McpSchema.TextContent.class);
            assertThat(JsonMapper.builder().build().readValue(((McpSchema.TextContent) last).text(), Map.class))
                    .as(tool + ": the text block is the structured content")
                    .isEqualTo(result.structuredContent());
        }
        return result;
    }

    private static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        result.content().forEach(c -> out.append(c instanceof McpSchema.TextContent t ? t.text() : ""));
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(McpSchema.CallToolResult result) {
        return (List<Map<String, Object>>) ((Map<String, Object>) result.structuredContent()).get("findings");
    }

    private static Map<String, Object> service(String name) {
        return Map.of("account", "sandbox", "cluster", "shop", "service", name);
    }

    @Test
    void troubleshootRanksTheRightFindingFirstOnEachService() {
        List<Map<String, Object>> checkout = findings(call("ecs_troubleshoot", service("checkout")));
        assertThat(checkout.get(0)).containsEntry("category", "out_of_memory").containsEntry("severity", "critical");
        assertThat(String.valueOf(checkout.get(0).get("evidence"))).contains("137");

        List<Map<String, Object>> payments = findings(call("ecs_troubleshoot", service("payments")));
        assertThat(payments.get(0)).containsEntry("category", "image_pull").containsEntry("severity", "critical");

        List<Map<String, Object>> catalog = findings(call("ecs_troubleshoot", service("catalog")));
        assertThat(catalog).noneMatch(f -> "critical".equals(f.get("severity")));
    }

    @Test
    void failedPipelineIsAnalysedAndTheFixPreviewed() {
        String analysis =
                text(call("gitlab_pipeline_failure_analysis", Map.of("project", "shop/checkout", "pipeline_id", 1003)));
        assertThat(analysis)
                .contains("missing-python-package")
                .contains("ModuleNotFoundError: No module named 'requests'")
                .contains("gitlab_propose_fix");
        String diff = text(
                call("gitlab_propose_fix", Map.of("project", "shop/checkout", "pipeline_id", 1003, "dry_run", true)));
        assertThat(diff).contains("requirements.txt").contains("+requests");
    }

    @Test
    void deploymentOriginNamesPipelineAndMergeRequest() {
        String origin = text(call("ops_deployment_origin", service("checkout")));
        assertThat(origin).contains("pipeline 1001").contains("MR !6");
    }

    @Test
    void stagingChangeIsApprovedInBandThroughElicitation() {
        java.util.concurrent.atomic.AtomicReference<String> asked = new java.util.concurrent.atomic.AtomicReference<>();
        try (McpSyncClient asking = McpClient.sync(
                        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.port())
                                .endpoint("/mcp")
                                .build())
                .requestTimeout(Duration.ofSeconds(120))
                .capabilities(
                        McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    asked.set(request.message());
                    return new McpSchema.ElicitResult(
                            McpSchema.ElicitResult.Action.ACCEPT, Map.of("approve", true), null);
                })
                .build()) {
            asking.initialize();
            McpSchema.CallToolResult result = asking.callTool(new McpSchema.CallToolRequest(
                    "host_service_restart", Map.of("host", "sandbox-staging", "unit", "procps")));
            assertThat(asked.get())
                    .contains("Approve host_service_restart")
                    .contains("restart procps.service on sandbox-staging");
            assertThat(result.isError()).as(text(result)).isNotEqualTo(Boolean.TRUE);
            assertThat(text(result)).contains("ran `");
        }
    }

    @Test
    void promptsCompleteAndRunbooksRead() {
        assertThat(client.listPrompts().prompts())
                .extracting(McpSchema.Prompt::name)
                .contains(
                        "troubleshoot_ecs_service",
                        "triage_failed_pipeline",
                        "investigate_host",
                        "incident_summary",
                        "remediation_plan");
        McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest(
                "troubleshoot_ecs_service", Map.of("cluster", "shop", "service", "checkout")));
        String body = prompt.messages().stream()
                .map(m -> ((McpSchema.TextContent) m.content()).text())
                .reduce("", String::concat);
        assertThat(body).contains("ecs_troubleshoot").contains("checkout").contains("approval_id");
        McpSchema.CompleteResult clusters = client.completeCompletion(new McpSchema.CompleteRequest(
                new McpSchema.PromptReference("troubleshoot_ecs_service"),
                new McpSchema.CompleteRequest.CompleteArgument("cluster", "sh")));
        assertThat(clusters.completion().values()).contains("shop");
        McpSchema.CompleteResult hosts = client.completeCompletion(new McpSchema.CompleteRequest(
                new McpSchema.PromptReference("investigate_host"),
                new McpSchema.CompleteRequest.CompleteArgument("host", "sandbox")));
        assertThat(hosts.completion().values()).contains("sandbox", "sandbox-staging", "sandbox-prod");
        String environments = ((McpSchema.TextResourceContents)
                        client.readResource(new McpSchema.ReadResourceRequest("ops://environments"))
                                .contents()
                                .get(0))
                .text();
        assertThat(environments)
                .contains("\"principal\":\"alice\"")
                .contains("\"prod\":{\"read\":true,\"change\":true}");
        String catalog = ((McpSchema.TextResourceContents)
                        client.readResource(new McpSchema.ReadResourceRequest("ops://tools/catalog"))
                                .contents()
                                .get(0))
                .text();
        assertThat(catalog).contains("\"name\":\"ecs_scale_service\"").contains("\"risk\":\"destructive\"");
        String bundle = ((McpSchema.TextResourceContents)
                        client.readResource(new McpSchema.ReadResourceRequest("ops://policy/bundle"))
                                .contents()
                                .get(0))
                .text();
        assertThat(bundle).contains("package opsmcp.authz");
        McpSchema.ReadResourceResult runbook =
                client.readResource(new McpSchema.ReadResourceRequest("runbook://ecs-out-of-memory"));
        assertThat(((McpSchema.TextResourceContents) runbook.contents().get(0)).text())
                .containsIgnoringCase("memory");
    }
}
