package io.opsmcp.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.OpsMcpRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped sample {@code examples/ops-mcp.yaml} loads as it is (every key it sets is a valid one, with a valid
 * value), a server starts on it, and it mentions every top-level key the server owns, so a new key cannot be left
 * out of it unnoticed.
 */
class SampleConfigTest {

    /** The sample, from the server module's directory (where the build runs its tests). */
    static final Path SAMPLE = Path.of("..", "examples", "ops-mcp.yaml");

    @TempDir
    Path dataDir;

    @Test
    void theSampleLoadsAndAServerStartsOnIt() {
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(SAMPLE, new ConfigLoader.Overrides(null, null, null, null, null, "warn", dataDir));
        ServerSettings s = config.server();
        assertThat(s.transport()).isEqualTo("stdio");
        assertThat(s.toolsets()).containsExactly("hosts");
        assertThat(s.tools().readOnly()).isFalse();
        assertThat(s.principalRoles()).containsExactly("viewer");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config)) {
            assertThat(runtime.warnings()).isEmpty();
            assertThat(runtime.gateway().tools())
                    .anyMatch(t -> t.definition().name().equals("host_list"));
        }
    }

    @Test
    void theSampleMentionsEveryTopLevelKeyOfTheServer() throws Exception {
        String text = Files.readString(SAMPLE);
        for (String key : ServerFile.KEYS) {
            assertThat(Pattern.compile("(?m)^#? ?" + key + ":").matcher(text).find())
                    .as("examples/ops-mcp.yaml documents '%s'", key)
                    .isTrue();
        }
    }
}
