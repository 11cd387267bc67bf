package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Mutating tools against the stateful sandbox: describe, dry runs, and real changes followed by the wait. */
class SandboxRemediationTest {

    AwsSandbox sandbox;
    AwsToolset toolset;

    @BeforeEach
    void start() {
        sandbox = AwsSandbox.start(1_000);
        toolset = Fixtures.toolset(sandbox.configure(JsonNodeFactory.instance.objectNode()), List.of());
    }

    @AfterEach
    void stop() {
        toolset.close();
        sandbox.close();
    }

    @Test
    void mutatingToolsAreAnnotatedAndScaleToZeroIsDestructive() {
        assertThat(Fixtures.tool(toolset, "ecs_scale_service").definition().destructive())
                .isTrue();
        for (String name : List.of(
                "ecs_force_new_deployment",
                "ecs_rollback_service",
                "ecs_update_task_resources",
                "ecs_update_health_check_grace_period")) {
            assertThat(Fixtures.tool(toolset, name).definition().readOnly())
                    .as(name)
                    .isFalse();
            // they replace running tasks: destructiveHint for clients, yet not destructive to the policy
            assertThat(Fixtures.tool(toolset, name).definition().annotations().destructiveHint())
                    .as(name)
                    .isTrue();
            assertThat(Fixtures.tool(toolset, name).definition().destructive())
                    .as(name)
                    .isFalse();
            assertThat(Fixtures.tool(toolset, name)
                            .definition()
                            .inputSchema()
                            .get("properties")
                            .has("dry_run"))
                    .isTrue();
            assertThat(Fixtures.tool(toolset, name)
                            .definition()
                            .inputSchema()
                            .get("properties")
                            .has("approval_id"))
                    .isFalse();
        }
    }

    @Test
    void describeGivesThePolicyTheResourceAndTheChange() {
        OpsTool scale = Fixtures.tool(toolset, "ecs_scale_service");
        ActionDescriptor d = scale.describe(
                Fixtures.args("{\"cluster\":\"shop\",\"service\":\"checkout\",\"desired_count\":0}"),
                new Fixtures.Recorder().ctx);
        assertThat(d.provider()).isEqualTo("aws");
        assertThat(d.kind()).isEqualTo("ecs:service");
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.name()).isEqualTo("checkout");
        assertThat(d.ids())
                .containsEntry("account", "sandbox")
                .containsEntry("account_id", "111122223333")
                .containsEntry("region", "eu-west-1")
                .containsEntry("cluster", "shop")
                .containsEntry("service", "checkout");
        assertThat(d.change().summary()).startsWith("desiredCount 4 -> 0");
        assertThat(d.change().before().get("desiredCount").asInt()).isEqualTo(4);
        assertThat(d.change().after().get("desiredCount").asInt()).isEqualTo(0);
    }

    @Test
    void dryRunShowsTheExactRequestsAndChangesNothing() {
        ToolResult dry = Fixtures.call(
                toolset,
                "ecs_update_task_resources",
                "{\"cluster\":\"shop\",\"service\":\"checkout\",\"container\":\"checkout\",\"memory\":1024,\"dry_run\":true}");
        JsonNode out = dry.structuredContent();
        assertThat(out.get("dry_run").asBoolean()).isTrue();
        assertThat(out.get("change").get("summary").asString())
                .startsWith("checkout memory 512 -> 1024 MiB, task memory 512 -> 1024");
        JsonNode register = out.get("requests").get(0);
        assertThat(register.get("operation").asString()).isEqualTo("ecs:RegisterTaskDefinition");
        JsonNode container =
                register.get("parameters").get("containerDefinitions").get(0);
        assertThat(container.get("memory").asInt()).isEqualTo(1024);
        assertThat(container.get("image").asString()).endsWith("checkout:9f2c1e4a");
        assertThat(container.get("environment").toString())
                .contains("DB_PASSWORD")
                .doesNotContain("sandbox-not-a-secret");
        assertThat(register.get("parameters").get("memory").asString()).isEqualTo("1024");
        assertThat(out.get("requests").get(1).get("operation").asString()).isEqualTo("ecs:UpdateService");
        assertThat(out.has("applied")).isFalse();
        ToolResult td = Fixtures.call(toolset, "ecs_task_definition", "{\"task_definition\":\"shop-checkout\"}");
        assertThat(td.structuredContent().get("revision").asInt()).isEqualTo(2);

        ToolResult scale = Fixtures.call(
                toolset,
                "ecs_scale_service",
                "{\"cluster\":\"shop\",\"service\":\"catalog\",\"desired_count\":0,\"dry_run\":true}");
        assertThat(scale.structuredContent()
                        .get("requests")
                        .get(0)
                        .get("parameters")
                        .toString())
                .isEqualTo("{\"cluster\":\"shop\",\"service\":\"catalog\",\"desiredCount\":0}");
        ToolResult health =
                Fixtures.call(toolset, "ecs_service_health", "{\"cluster\":\"shop\",\"service\":\"catalog\"}");
        assertThat(health.structuredContent().get("desired").asInt()).isEqualTo(3);
    }

    @Test
    void memoryFixMakesCheckoutSteadyAndTroubleshootSeesIt() {
        Fixtures.Recorder rec = new Fixtures.Recorder();
        OpsTool update = Fixtures.tool(toolset, "ecs_update_task_resources");
        ObjectNode args = Fixtures.args(
                "{\"cluster\":\"shop\",\"service\":\"checkout\",\"container\":\"checkout\"," + "\"memory\":1024}");
        update.describe(args, rec.ctx);
        ToolResult r = update.execute(args, rec.ctx);
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.structuredContent().get("applied").get("task_definition").asString())
                .isEqualTo("shop-checkout:3");
        assertThat(r.structuredContent().get("wait").get("outcome").asString()).isEqualTo("steady");
        assertThat(rec.progress).anyMatch(p -> p.contains("IN_PROGRESS"));

        JsonNode health = Fixtures.call(
                        toolset, "ecs_service_health", "{\"cluster\":\"shop\",\"service\":\"checkout\"}")
                .structuredContent();
        assertThat(health.get("task_definition").asString()).isEqualTo("shop-checkout:3");
        assertThat(health.get("deployments")).hasSize(1);
        assertThat(health.get("deployments").get(0).get("rollout_state").asString())
                .isEqualTo("COMPLETED");
        assertThat(health.get("verdict").asString()).isEqualTo("healthy");
        JsonNode td = Fixtures.call(toolset, "ecs_task_definition", "{\"task_definition\":\"shop-checkout:3\"}")
                .structuredContent();
        assertThat(td.get("containers").get(0).get("memory").asInt()).isEqualTo(1024);

        JsonNode after = Fixtures.call(toolset, "ecs_troubleshoot", "{\"cluster\":\"shop\",\"service\":\"checkout\"}")
                .structuredContent();
        assertThat(Fixtures.names(after.get("findings"), "severity")).doesNotContain("critical", "high");
        assertThat(after.get("findings").toString()).contains("only on an earlier task definition");
    }

    @Test
    void tooLittleMemoryEndsInAFailedDeploymentReportedAsAnError() {
        ToolResult r = Fixtures.call(
                toolset,
                "ecs_update_task_resources",
                "{\"cluster\":\"shop\",\"service\":\"checkout\",\"container\":\"checkout\",\"memory\":768}");
        assertThat(r.error()).isTrue();
        assertThat(r.structuredContent().get("wait").get("outcome").asString()).isEqualTo("failed");
        assertThat(r.text()).contains("circuit breaker");
    }

    @Test
    void rollbackGoesToThePreviousRevisionAndPaymentsRecovers() {
        ToolResult r =
                Fixtures.call(toolset, "ecs_rollback_service", "{\"cluster\":\"shop\",\"service\":\"payments\"}");
        assertThat(r.structuredContent().get("change").get("summary").asString())
                .isEqualTo("taskDefinition shop-payments:2 -> shop-payments:1");
        assertThat(r.structuredContent().get("wait").get("outcome").asString()).isEqualTo("steady");
        JsonNode after = Fixtures.call(toolset, "ecs_troubleshoot", "{\"cluster\":\"shop\",\"service\":\"payments\"}")
                .structuredContent();
        assertThat(Fixtures.names(after.get("findings"), "severity")).doesNotContain("critical");
    }

    @Test
    void scaleForceAndGracePeriodApply() {
        ToolResult scale = Fixtures.call(
                toolset, "ecs_scale_service", "{\"cluster\":\"shop\",\"service\":\"catalog\",\"desired_count\":5}");
        assertThat(scale.structuredContent().get("wait").get("outcome").asString())
                .isEqualTo("steady");
        assertThat(scale.structuredContent().get("wait").get("running").asInt()).isEqualTo(5);

        ToolResult force =
                Fixtures.call(toolset, "ecs_force_new_deployment", "{\"cluster\":\"shop\",\"service\":\"catalog\"}");
        assertThat(force.structuredContent().get("wait").get("outcome").asString())
                .isEqualTo("steady");

        ToolResult grace = Fixtures.call(
                toolset,
                "ecs_update_health_check_grace_period",
                "{\"cluster\":\"shop\",\"service\":\"catalog\",\"seconds\":180}");
        assertThat(grace.structuredContent().get("change").get("summary").asString())
                .isEqualTo("healthCheckGracePeriodSeconds 60 -> 180");
        assertThat(grace.structuredContent().get("wait").get("outcome").asString())
                .isEqualTo("not_waited");
        JsonNode health = Fixtures.call(toolset, "ecs_service_health", "{\"cluster\":\"shop\",\"service\":\"catalog\"}")
                .structuredContent();
        assertThat(health.get("health_check_grace_period_seconds").asInt()).isEqualTo(180);
    }
}
