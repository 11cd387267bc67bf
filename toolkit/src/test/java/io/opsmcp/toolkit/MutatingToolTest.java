package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class MutatingToolTest {

    static final ArgSpec<Integer> COUNT =
            ArgSpec.integer("desired_count").range(0, 100).required();

    /** Counts applies: the one thing a dry run must never do. */
    static final class Scale extends MutatingTool<Integer> {
        final AtomicInteger applied = new AtomicInteger();

        Scale() {
            super(ToolSpec.tool("svc_scale")
                    .description("Scale.")
                    .args(COUNT)
                    .mutating(true)
                    .build());
        }

        @Override
        protected PlannedChange<Integer> plan(ObjectNode args, ToolContext ctx) {
            int to = COUNT.read(args);
            var json = JsonNodeFactory.instance;
            ChangePreview change =
                    new ChangePreview("desiredCount 4 -> " + to, json.numberNode(4), json.numberNode(to), to == 0);
            return new PlannedChange<>(
                    new ActionDescriptor("aws", "ecs:service", "prod", "checkout", Map.of(), change), to);
        }

        @Override
        protected ToolResult apply(PlannedChange<Integer> plan, ObjectNode args, ToolContext ctx) {
            applied.incrementAndGet();
            return ToolResult.ok("scaled to " + plan.data());
        }
    }

    private static ToolContext ctx(boolean dryRun) {
        return new ToolContext(
                new Principal("t", Set.of(), "local"), "r", Instant.now().plusSeconds(5), null, null, dryRun, null);
    }

    private static ObjectNode args(int n) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("desired_count", n);
        return a;
    }

    @Test
    void aDryRunPreviewsAndNeverApplies() {
        Scale tool = new Scale();
        ToolResult result = tool.execute(args(0), ctx(true));
        assertThat(tool.applied).hasValue(0);
        assertThat(result.text()).startsWith("Dry run (nothing was changed): desiredCount 4 -> 0");
        assertThat(result.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThat(result.structuredContent().get("destructive").asBoolean()).isTrue();
        assertThat(result.structuredContent().get("after").asInt()).isZero();
    }

    @Test
    void withoutDryRunTheSamePlanIsApplied() {
        Scale tool = new Scale();
        assertThat(tool.describe(args(2), ctx(false)).change().summary()).isEqualTo("desiredCount 4 -> 2");
        assertThat(tool.execute(args(2), ctx(false)).text()).isEqualTo("scaled to 2");
        assertThat(tool.applied).hasValue(1);
    }

    @Test
    void theClientIsToldWhatIsAppliedBeforeItHappensAndNothingOnADryRun() {
        java.util.List<String> log = new java.util.ArrayList<>();
        Scale tool = new Scale();
        for (boolean dryRun : new boolean[] {true, false}) {
            ToolContext ctx = new ToolContext(
                    new Principal("t", Set.of(), "local"),
                    "r",
                    Instant.now().plusSeconds(5),
                    null,
                    (level, message) -> log.add(level + " " + message),
                    dryRun,
                    null);
            tool.execute(args(3), ctx);
        }
        assertThat(log).containsExactly("NOTICE svc_scale: applying desiredCount 4 -> 3 on ecs:service checkout");
    }

    @Test
    void theDefinitionAdvertisesDryRunAndMustBeMutating() {
        ToolDefinition def = new Scale().definition();
        assertThat(def.inputSchema().at("/properties/dry_run/type").asString()).isEqualTo("boolean");
        assertThat(def.readOnly()).isFalse();
        ToolDefinition readOnly = ToolSpec.tool("svc_get").description("Get.").build();
        assertThat(readOnly.inputSchema().at("/properties/dry_run").isMissingNode())
                .isTrue();
        assertThatThrownBy(() -> new MutatingTool<Void>(readOnly) {
                    @Override
                    protected PlannedChange<Void> plan(ObjectNode args, ToolContext ctx) {
                        return null;
                    }

                    @Override
                    protected ToolResult apply(PlannedChange<Void> plan, ObjectNode args, ToolContext ctx) {
                        return null;
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
    }

    @Test
    void aPlanWithoutAChangePreviewIsRefused() {
        assertThatThrownBy(() ->
                        new PlannedChange<>(ActionDescriptor.read("aws", "ecs:service", "prod", "x", Map.of()), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
