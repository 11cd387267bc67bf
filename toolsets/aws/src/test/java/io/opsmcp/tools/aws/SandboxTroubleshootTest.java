package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** ecs_troubleshoot and the read-only tools against the sandbox account, through the real SDK clients. */
class SandboxTroubleshootTest {

    static AwsSandbox sandbox;
    static AwsToolset toolset;

    @BeforeAll
    static void start() {
        sandbox = AwsSandbox.start(20_000);
        toolset = Fixtures.toolset(sandbox.configure(JsonNodeFactory.instance.objectNode()), List.of());
    }

    @AfterAll
    static void stop() {
        toolset.close();
        sandbox.close();
    }

    private static JsonNode troubleshoot(String service) {
        ToolResult r =
                Fixtures.call(toolset, "ecs_troubleshoot", "{\"cluster\":\"shop\",\"service\":\"" + service + "\"}");
        System.out.println(r.text());
        assertThat(r.error()).isFalse();
        return r.structuredContent();
    }

    @Test
    void checkoutRanksOutOfMemoryFirstWithEvidenceAndTheMemoryRemediation() {
        JsonNode out = troubleshoot("checkout");
        JsonNode first = out.get("findings").get(0);
        assertThat(first.get("severity").asString()).isEqualTo("critical");
        assertThat(first.get("category").asString()).isEqualTo("out_of_memory");
        assertThat(first.get("evidence").toString())
                .contains("OutOfMemoryError")
                .contains("memory limit 512 MiB")
                .contains("MemoryUtilization max");
        assertThat(first.get("remediation").get("tool").asString()).isEqualTo("ecs_update_task_resources");
        assertThat(first.get("remediation").get("arguments").get("memory").asInt())
                .isEqualTo(1024);
        assertThat(first.get("remediation").get("arguments").get("container").asString())
                .isEqualTo("checkout");
        assertThat(out.get("checks").toString()).doesNotContain("failed");
    }

    @Test
    void paymentsRanksImagePullFirst() {
        JsonNode out = troubleshoot("payments");
        JsonNode first = out.get("findings").get(0);
        assertThat(first.get("severity").asString()).isEqualTo("critical");
        assertThat(first.get("category").asString()).isEqualTo("image_pull");
        assertThat(first.get("evidence").toString())
                .contains("payments:2.0.0-rc1")
                .contains("not found");
        assertThat(first.get("remediation").get("tool").asString()).isEqualTo("ecs_rollback_service");
        assertThat(out.get("verdict").asString()).isEqualTo("failing");
    }

    @Test
    void catalogHasNoCriticalFinding() {
        JsonNode out = troubleshoot("catalog");
        assertThat(Fixtures.names(out.get("findings"), "severity")).doesNotContain("critical", "high");
        assertThat(out.get("verdict").asString()).isEqualTo("healthy");
    }
}
