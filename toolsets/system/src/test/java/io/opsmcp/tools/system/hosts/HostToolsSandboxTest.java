package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Every host tool against the embedded sandbox SSH server, configured the way the server's --sandbox does. */
class HostToolsSandboxTest extends HostToolsContract {

    @TempDir
    static Path dir;

    static SandboxSshServer sandbox;
    static HostToolset toolset;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxSshServer.start(dir);
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh")
                .put("known_hosts", dir.resolve("no-such-known-hosts").toString());
        settings.putArray("hosts").add(sandbox.hostConfig());
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        toolset.close();
        sandbox.close();
    }

    @Override
    HostToolset toolset() {
        return toolset;
    }

    @Override
    String hostName() {
        return "sandbox";
    }

    @Test
    void sandboxIsInDevAndTheSandboxGroup() {
        var d = tool("host_uptime_load").describe(args(), ctx());
        assertThat(d.environment()).isEqualTo("dev");
        assertThat(d.ids()).containsEntry("host_group", "sandbox");
    }
}
