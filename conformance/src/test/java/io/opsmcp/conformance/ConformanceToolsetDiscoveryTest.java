package io.opsmcp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.mcp.McpFeatureContributor;
import io.opsmcp.server.mcp.McpFeatures;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The server finds the fixtures only through ServiceLoader, so the registration is what makes them exist. */
class ConformanceToolsetDiscoveryTest {

    @Test
    void serviceLoaderFindsTheConformanceToolsetOffByDefault() {
        List<McpFeatureContributor> found = ServiceLoader.load(McpFeatureContributor.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();

        assertThat(found).extracting(McpFeatureContributor::name).containsExactly("conformance");
        assertThat(found.get(0).offByDefault()).isTrue();
        McpFeatures features = found.get(0).features();
        assertThat(features.tools()).extracting(t -> t.tool().name()).contains("test_simple_text", "test_sampling");
        assertThat(features.prompts()).extracting(p -> p.prompt().name()).contains("test_simple_prompt");
    }
}
