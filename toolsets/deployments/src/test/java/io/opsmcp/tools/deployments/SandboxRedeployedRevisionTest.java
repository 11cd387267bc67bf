package io.opsmcp.tools.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ToolResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A revision registered outside the pipeline carries no gitlab.commit tag: after ecs_update_task_resources copies
 * shop-checkout:2 into shop-checkout:3 (image kept, tags not copied), the origin is still found from the image tag
 * (a short sha) and the service's gitlab.project tag.
 */
class SandboxRedeployedRevisionTest {

    @TempDir
    Path dir;

    @Test
    void imageTagIsTriedAsCommitWhenTheRevisionHasNoTags() {
        try (Sandboxes s = new Sandboxes(dir)) {
            ToolResult fix = Calls.call(
                    s.toolset("aws"),
                    "ecs_update_task_resources",
                    "{\"cluster\":\"shop\","
                            + "\"service\":\"checkout\",\"container\":\"checkout\",\"memory\":1024,\"wait_seconds\":0}");
            assertThat(fix.error()).isFalse();

            ToolResult r = Calls.call(
                    s.toolset("deployments"),
                    "ops_deployment_origin",
                    "{\"cluster\":\"shop\",\"service\":\"checkout\"}");
            JsonNode out = r.structuredContent();
            assertThat(out.get("task_definition").asString()).isEqualTo("shop-checkout:3");
            assertThat(out.get("found").asBoolean()).isTrue();
            assertThat(out.at("/sources/commit/from").asString()).isEqualTo("image tag 9f2c1e4a");
            assertThat(out.at("/sources/project/from").asString()).isEqualTo("service tag gitlab.project");
            assertThat(out.at("/commit/id").asString()).startsWith("9f2c1e4a");
            assertThat(out.at("/pipeline/id").asLong()).isEqualTo(1001);
            assertThat(out.at("/pipeline/chosen_by").asString()).isEqualTo("newest successful pipeline of the commit");
            assertThat(out.at("/merge_request/iid").asLong()).isEqualTo(6);
            assertThat(r.text())
                    .contains("task definition shop-checkout:3")
                    .contains("pipeline 1001")
                    .contains("MR !6");
        }
    }
}
