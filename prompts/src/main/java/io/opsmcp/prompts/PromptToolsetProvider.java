package io.opsmcp.prompts;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * ServiceLoader entry point of the always-on {@code prompts} toolset: the shipped MCP prompts
 * ({@code troubleshoot_ecs_service}, {@code triage_failed_pipeline}, {@code investigate_host},
 * {@code incident_summary}, {@code remediation_plan}), loaded once at start. It has no tools and no settings.
 */
public final class PromptToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "prompts";
    static final String DESCRIPTION =
            "Guided workflows as MCP prompts (troubleshoot an ECS service, triage a pipeline, "
                    + "investigate a host, incident summary, remediation plan)";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public boolean alwaysEnabled() {
        return true;
    }

    /** Reads the shipped prompts ({@link PromptLoader#shipped()}); its failure fails {@link #create}. */
    @Override
    public void prepare() {
        try {
            PromptLoader.shipped();
        } catch (RuntimeException e) {
            // thrown again, the same exception, by create: the start fails there, with it
        }
    }

    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        List<OpsPrompt> prompts = List.copyOf(PromptLoader.shipped());
        return new OpsToolset() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public String description() {
                return DESCRIPTION;
            }

            @Override
            public List<OpsTool> tools() {
                return List.of();
            }

            @Override
            public List<OpsPrompt> prompts() {
                return prompts;
            }
        };
    }
}
