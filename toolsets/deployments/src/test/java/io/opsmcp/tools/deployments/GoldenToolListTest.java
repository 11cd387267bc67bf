package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.toolkit.testing.GoldenToolList;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolset's tools/list as clients see it (created over the aws and gitlab sandboxes), compared with
 * {@code golden/tools-list.json}: a change to a name, description or schema must be intended. Regenerate with
 * {@code -Dgolden.update=true}.
 */
class GoldenToolListTest {

    @Test
    void toolsListMatchesTheGoldenFile(@TempDir Path dir) {
        try (Sandboxes sandboxes = new Sandboxes(dir)) {
            GoldenToolList.assertMatches(
                    sandboxes.toolset("deployments").tools().stream()
                            .map(OpsTool::definition)
                            .toList(),
                    Path.of("src/test/resources/golden/tools-list.json"));
        }
    }
}
