package io.opsmcp.conformance;

import io.opsmcp.server.mcp.McpFeatureContributor;
import io.opsmcp.server.mcp.McpFeatures;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code conformance} toolset: the tools, resources, resource templates, prompts and completions that
 * the official MCP conformance suite ({@code @modelcontextprotocol/conformance}, server scenarios) expects
 * under the names {@code test_*} and {@code test://...}. Off by default; enable it with
 * {@code --toolsets conformance} only to run the suite, since its tools exist to exercise the protocol.
 *
 * <p>Test fixture, not part of the shipped jar: the server finds it through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.opsmcp.server.mcp.McpFeatureContributor}) when this module is on the class path,
 * e.g. {@code java -Dloader.path=ops-mcp-conformance-fixtures.jar -cp ops-mcp.jar
 * org.springframework.boot.loader.launch.PropertiesLauncher serve ...}.
 */
public final class ConformanceToolset implements McpFeatureContributor {

    private final JsonMapper json;

    /** The instance {@link java.util.ServiceLoader} creates. */
    public ConformanceToolset() {
        this(JsonMapper.builder().build());
    }

    public ConformanceToolset(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public String description() {
        return "MCP conformance-suite fixtures (test_* tools, test:// resources, prompts)";
    }

    @Override
    public McpFeatures features() {
        ConformanceResources resources = new ConformanceResources(json);
        ConformancePrompts prompts = new ConformancePrompts();
        return new McpFeatures(
                new ConformanceTools().specifications(),
                resources.resources(),
                resources.templates(),
                prompts.prompts(),
                prompts.completions());
    }
}
