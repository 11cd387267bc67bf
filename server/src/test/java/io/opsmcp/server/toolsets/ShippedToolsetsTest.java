package io.opsmcp.server.toolsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every toolset this build ships starts in the sandbox and publishes tools whose input schemas the gateway's
 * validator accepts (a schema the validator cannot compile would stop the server at start) and that conform to the JSON
 * Schema metaschema, as the MCP SDK checks them.
 */
class ShippedToolsetsTest {

    @TempDir
    Path dataDir;

    @Test
    void everyShippedToolsetStartsWithValidSchemas() {
        List<String> all = ToolsetCatalog.discover().stream().map(p -> p.name()).toList();
        assertThat(all).contains("hosts", "aws", "gitlab", "runbooks", "prompts");
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(null, new ConfigLoader.Overrides("stdio", null, null, all, true, "warn", dataDir));
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config)) {
            List<String> tools = runtime.gateway().tools().stream()
                    .map(t -> t.definition().name())
                    .toList();
            assertThat(tools)
                    .contains(
                            "host_disk_usage",
                            "ecs_troubleshoot",
                            "gitlab_pipeline_failure_analysis",
                            "runbook_search",
                            "approval_status",
                            "host_service_restart",
                            "ecs_update_task_resources");
            assertThat(runtime.gateway().tools())
                    .filteredOn(t -> !t.definition().name().equals("approval_status"))
                    .allSatisfy(t -> {
                        boolean hasApprovalId =
                                t.published().inputSchema().path("properties").has(ToolGateway.APPROVAL_ID);
                        assertThat(hasApprovalId)
                                .as(t.definition().name())
                                .isEqualTo(!t.definition().readOnly());
                    });
            // the check the MCP SDK's builder would make, left to this test (LazyJsonSchemaValidator): every tool's
            // input and output schema conforms to the JSON Schema 2020-12 metaschema
            JsonSchemaValidator sdk = McpJsonDefaults.getSchemaValidator();
            assertThat(runtime.features().tools()).isNotEmpty().allSatisfy(spec -> {
                McpSchema.Tool tool = spec.tool();
                assertThat(sdk.validateSchema(tool.inputSchema()).valid())
                        .as(tool.name() + " input schema")
                        .isTrue();
                if (tool.outputSchema() != null) {
                    assertThat(sdk.validateSchema(tool.outputSchema()).valid())
                            .as(tool.name() + " output schema")
                            .isTrue();
                }
            });
            assertThat(runtime.features().prompts())
                    .extracting(p -> p.prompt().name())
                    .contains(
                            "troubleshoot_ecs_service",
                            "triage_failed_pipeline",
                            "investigate_host",
                            "incident_summary",
                            "remediation_plan");
            assertThat(runtime.features().resourceTemplates())
                    .extracting(t -> t.resourceTemplate().uriTemplate())
                    .contains("runbook://{id}", "ops://approvals/{id}");
        }
    }
}
