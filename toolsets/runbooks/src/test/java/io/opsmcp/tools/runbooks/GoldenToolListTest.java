package io.opsmcp.tools.runbooks;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.toolkit.testing.GoldenToolList;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** The {@code runbooks} toolset's tools/list equals the golden file: a change must be intended. */
class GoldenToolListTest {

    @Test
    void toolsListMatchesTheGoldenFile() throws Exception {
        try (RunbookToolset toolset = (RunbookToolset)
                new RunbookToolsetProvider().create(JsonNodeFactory.instance.objectNode(), Path.of("."))) {
            GoldenToolList.assertMatches(
                    toolset.tools().stream().map(OpsTool::definition).toList(),
                    Path.of("src/test/resources/golden/tools-list.json"));
        }
    }
}
