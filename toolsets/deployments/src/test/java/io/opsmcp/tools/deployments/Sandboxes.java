package io.opsmcp.tools.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import tools.jackson.databind.JsonNode;

/**
 * The aws and gitlab sandboxes and the toolsets over them, built as the server's ToolsetCatalog does for
 * {@code toolsets: [aws, gitlab, deployments]} with {@code --sandbox}: providers found through ServiceLoader, each
 * toolset's sandbox (its ToolsetSandboxProvider) started and allowed to add its configuration, then every toolset
 * created from the result.
 */
final class Sandboxes implements AutoCloseable {

    static final List<String> ENABLED = List.of("aws", "gitlab", "deployments");

    final Map<String, OpsToolsetProvider> providers = new LinkedHashMap<>();
    final Map<String, OpsToolset> toolsets = new LinkedHashMap<>();
    private final List<ToolsetSandbox> sandboxes = new ArrayList<>();
    final JsonNode settings;

    Sandboxes(Path dir) {
        ServiceLoader.load(OpsToolsetProvider.class).forEach(p -> providers.put(p.name(), p));
        Map<String, ToolsetSandboxProvider> simulated = new LinkedHashMap<>();
        ServiceLoader.load(ToolsetSandboxProvider.class).forEach(p -> simulated.put(p.toolset(), p));
        assertThat(providers).containsKeys(ENABLED.toArray(String[]::new));
        JsonNode effective = Calls.JSON.readTree("{\"toolsets\":[\"aws\",\"gitlab\",\"deployments\"]}");
        for (String name : ENABLED) {
            if (simulated.containsKey(name)) {
                ToolsetSandbox started =
                        simulated.get(name).start(dir.resolve("sandbox").resolve(name));
                sandboxes.add(started);
                effective = started.configure(effective);
            }
        }
        settings = effective;
        for (String name : ENABLED) {
            toolsets.put(name, providers.get(name).create(effective, dir));
        }
    }

    OpsToolset toolset(String name) {
        return toolsets.get(name);
    }

    @Override
    public void close() {
        toolsets.values().forEach(OpsToolset::close);
        sandboxes.forEach(ToolsetSandbox::close);
    }
}
