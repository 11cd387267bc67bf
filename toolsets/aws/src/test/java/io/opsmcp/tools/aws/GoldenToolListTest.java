package io.opsmcp.tools.aws;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.toolkit.testing.GoldenToolList;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The toolset's {@code tools/list} as a golden file: a change to any tool's public face shows as a diff. Regenerate
 * an intended change with {@code -Dgolden.update=true}.
 */
class GoldenToolListTest {

    @Test
    void toolsListMatchesTheGoldenFile() {
        try (AwsToolset toolset = Fixtures.toolset(Fixtures.args("""
                {"aws": {"iam_tools": true, "accounts": [{"name": "golden", "account_id": "123456789012", "environment": "prod",
                  "default_region": "eu-west-1"}]}}"""), List.of())) {
            GoldenToolList.assertMatches(
                    toolset.tools().stream().map(OpsTool::definition).toList(),
                    Path.of("src/test/resources/golden/tools-list.json"));
        }
    }
}
