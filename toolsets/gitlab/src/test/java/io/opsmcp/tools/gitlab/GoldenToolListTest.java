package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.toolkit.testing.GoldenToolList;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandbox;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The toolset's tools/list as clients see it (created from the sandbox configuration), compared with
 * {@code golden/tools-list.json}: a change to a name, description or schema must be intended. Regenerate with
 * {@code -Dgolden.update=true}.
 */
class GoldenToolListTest {

    @Test
    void toolsListMatchesTheGoldenFile(@TempDir Path dir) {
        try (ToolsetSandbox sandbox = GitLabSandbox.start(dir.resolve("sandbox"))) {
            JsonNode settings = sandbox.configure(Calls.args("{\"toolsets\":[\"gitlab\"]}"));
            OpsToolset toolset = new GitLabToolsetProvider().create(settings, dir);
            GoldenToolList.assertMatches(
                    toolset.tools().stream().map(OpsTool::definition).toList(),
                    Path.of("src/test/resources/golden/tools-list.json"));
            toolset.close();
        }
    }
}
