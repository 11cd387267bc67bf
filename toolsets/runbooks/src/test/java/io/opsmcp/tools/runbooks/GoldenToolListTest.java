package io.opsmcp.tools.runbooks;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.JsonNodeFactory;

/** The {@code runbooks} toolset's tools/list equals the golden file: a change must be intended. */
class GoldenToolListTest {

    @Test
    void toolsListMatchesTheGoldenFile() throws Exception {
        try (RunbookToolset toolset = (RunbookToolset) new RunbookToolsetProvider()
                .create(JsonNodeFactory.instance.objectNode(), Path.of("."))) {
            GoldenToolList.assertMatches(toolset.tools(), "golden/tools-list.json");
        }
    }
}
