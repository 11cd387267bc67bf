package io.opsmcp.tools.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** ops_deployment_origin over both sandboxes started through their providers (see {@link Sandboxes}). */
class SandboxOriginTest {

    @TempDir
    static Path dir;

    static Sandboxes sandboxes;
    static OpsToolset deployments;

    @BeforeAll
    static void start() {
        sandboxes = new Sandboxes(dir);
        deployments = sandboxes.toolset("deployments");
    }

    @AfterAll
    static void stop() {
        sandboxes.close();
    }

    @Test
    void sandboxCheckoutNamesItsCommitPipelineAndMergeRequest() {
        ToolResult r =
                Calls.call(deployments, "ops_deployment_origin", "{\"cluster\":\"shop\",\"service\":\"checkout\"}");
        System.out.println(r.text());
        System.out.println(r.structuredContent().toPrettyString());
        assertThat(r.error()).isFalse();
        assertThat(r.text())
                .startsWith("checkout (task definition shop-checkout:2, image ")
                .contains("was deployed from commit 9f2c1e4a 'Add retry to inventory client'")
                .contains("built by pipeline 1001 (success")
                .contains("from MR !6 'Add retry to inventory client' by Dana Smith (merged)");
        JsonNode out = r.structuredContent();
        assertThat(out.get("found").asBoolean()).isTrue();
        assertThat(out.get("task_definition").asString()).isEqualTo("shop-checkout:2");
        assertThat(out.get("image_tag").asString()).isEqualTo("9f2c1e4a");
        assertThat(out.at("/gitlab/project").asString()).isEqualTo("shop/checkout");
        assertThat(out.at("/commit/id").asString()).isEqualTo("9f2c1e4ab0d3c6e7f8a9b0c1d2e3f4a5b6c7d8e9");
        assertThat(out.at("/pipeline/id").asLong()).isEqualTo(1001);
        assertThat(out.at("/pipeline/chosen_by").asString()).isEqualTo("task definition tag gitlab.pipeline");
        assertThat(out.at("/merge_request/iid").asLong()).isEqualTo(6);
        assertThat(out.at("/sources/commit/from").asString()).isEqualTo("task definition tag gitlab.commit");
        assertThat(out.at("/sources/project/from").asString()).isEqualTo("task definition tag gitlab.project");
        assertThat(out.get("notes")).isEmpty();
    }

    @Test
    void descriptorIsTheEcsServiceInTheSandboxAccount() {
        ObjectNode args = (ObjectNode) Calls.JSON.readTree("{\"cluster\":\"shop\",\"service\":\"checkout\"}");
        ActionDescriptor d = Calls.tool(deployments, "ops_deployment_origin").describe(args, Calls.context());
        assertThat(d.provider()).isEqualTo("aws");
        assertThat(d.kind()).isEqualTo("ecs:service");
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.name()).isEqualTo("checkout");
        assertThat(d.ids()).containsEntry("account_id", "111122223333").containsEntry("cluster", "shop");
        assertThat(d.change()).isNull();
        assertThat(Calls.tool(deployments, "ops_deployment_origin").definition().readOnly())
                .isTrue();
    }

    @Test
    void serviceWithoutTagsOrShaImageTagSaysWhatWasLookedUp() {
        ToolResult r = Calls.call(
                deployments,
                "ops_deployment_origin",
                "{\"cluster\":\"shop\",\"service\":\"catalog\",\"project\":\"shop/checkout\"}");
        assertThat(r.error()).isFalse();
        assertThat(r.structuredContent().get("found").asBoolean()).isFalse();
        assertThat(r.text())
                .startsWith("Origin of catalog (task definition shop-catalog:1")
                .contains("image tag 3.2.0: not a commit sha")
                .contains("Set the tags gitlab.project and gitlab.commit");
    }

    @Test
    void createNamesTheMissingSection() {
        ObjectNode onlyAws = (ObjectNode) sandboxes.settings.deepCopy();
        onlyAws.remove("gitlab");
        assertThatThrownBy(() -> sandboxes.providers.get("deployments").create(onlyAws, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing: gitlab");
        assertThatThrownBy(() -> sandboxes.providers.get("deployments").create(Calls.JSON.readTree("{}"), dir))
                .hasMessageContaining("missing: aws, gitlab");
    }
}
