package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolDefinition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two meanings of "destructive" stay apart: the MCP hint is conservative for clients that auto-approve by it,
 * while the policy's {@code input.tool.destructive} ({@link ToolDefinition#destructive()}) means "stops or removes
 * something", so a conservative hint never changes who must approve.
 */
class ToolSpecTest {

    @Test
    void anInterruptingToolIsHintedDestructiveButNotDestructiveToThePolicy() {
        ToolDefinition restart = ToolSpec.tool("svc_restart")
                .description("Restarts a service.")
                .interrupting()
                .build();
        assertThat(restart.annotations().destructiveHint()).isTrue();
        assertThat(restart.annotations().idempotentHint()).isFalse();
        assertThat(restart.destructive()).isFalse();
    }

    @Test
    void aDestructiveToolIsDestructiveToBoth() {
        ToolDefinition scaleToZero = ToolSpec.tool("svc_stop")
                .description("Stops a service.")
                .interrupting()
                .destructive()
                .build();
        assertThat(scaleToZero.annotations().destructiveHint()).isTrue();
        assertThat(scaleToZero.destructive()).isTrue();
        assertThat(ToolSpec.tool("svc_retry")
                        .description("Retries.")
                        .mutating(false)
                        .build()
                        .destructive())
                .isFalse();
    }

    @Test
    void aToolTheBundleTreatsAsDestructiveMustCarryTheHint() {
        assertThatThrownBy(() -> new ToolDefinition(
                        "svc_delete",
                        "t",
                        "d",
                        JsonMapper.builder().build().createObjectNode(),
                        null,
                        ToolAnnotations.mutating(false),
                        true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must carry destructiveHint");
    }
}
