package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.toolkit.testing.GoldenToolList;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code hosts} toolset's tools/list (with {@code host_exec} and the account tools enabled, so that every tool is
 * listed) equals
 * {@code golden/tools-list.json}: a change to a name, schema, description or annotation must be intended.
 */
class GoldenToolListTest {

    @TempDir
    Path dir;

    @Test
    void toolsListMatchesTheGoldenFile() throws Exception {
        try (SandboxSshServer sandbox = SandboxSshServer.start(dir.resolve("sandbox"))) {
            ObjectNode settings = JsonNodeFactory.instance.objectNode();
            settings.putArray("hosts").add(sandbox.hostConfig());
            ObjectNode changes = settings.putObject("host_changes");
            changes.putObject("exec").put("enabled", true);
            changes.putObject("accounts").put("enabled", true);
            try (HostToolset toolset = (HostToolset) new HostToolsetProvider().create(settings, dir)) {
                GoldenToolList.assertMatches(
                        toolset.tools().stream().map(OpsTool::definition).toList(),
                        Path.of("src/test/resources/golden/tools-list.json"));
            }
        }
    }
}
