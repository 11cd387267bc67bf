package io.opsmcp.tools.system.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The account tools against the sandbox host, whose local accounts are simulated ({@code SandboxAccounts}): the
 * locked-out {@code jdoe} is read, unlocked and read again; {@code mlee} is expired; the system account
 * {@code backup} is refused. The machine's own users are never touched.
 */
class HostAccountsSandboxTest {

    @TempDir
    static Path dir;

    static SandboxSshServer sandbox;
    static HostToolset toolset;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxSshServer.start(dir.resolve("sandbox"));
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putArray("hosts").add(sandbox.hostConfig());
        settings.putObject("host_changes").putObject("accounts").put("enabled", true);
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (toolset != null) {
            toolset.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static ToolContext ctx() {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-sbx",
                Instant.now().plusSeconds(60),
                null,
                null);
    }

    static OpsTool tool(String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Runs a tool and checks its result against the published output schema. */
    static ToolResult call(String name, ObjectNode args) {
        ToolResult r = tool(name).execute(args, ctx());
        assertThat(ToolDefinitionChecks.resultProblems(tool(name).definition(), r))
                .isEmpty();
        return r;
    }

    static ObjectNode args(String user) {
        return JsonNodeFactory.instance.objectNode().put("host", "sandbox").put("user", user);
    }

    @Test
    void theLockedOutUserIsReadUnlockedAndReadAgain() throws Exception {
        String realShadow = Files.isReadable(Path.of("/etc/shadow")) ? Files.readString(Path.of("/etc/shadow")) : "";
        ToolResult before = call("host_account_status", args("jdoe"));
        ObjectNode s = (ObjectNode) before.structuredContent();
        assertThat(s.get("uid").asInt()).isEqualTo(1001);
        assertThat(s.get("locked_by").toString()).contains("password").contains("login_failures");
        assertThat(s.at("/failures/count").asInt()).isEqualTo(5);
        assertThat(s.at("/failures/records/0/source").asString()).isEqualTo("203.0.113.50");
        assertThat(s.at("/last_logins/entries/0/from").asString()).isEqualTo("198.51.100.7");
        assertThat(s.at("/aging/account_expires").asString()).isEqualTo("never");
        assertThat(before.text()).contains("LOCKED");

        ToolResult unlock = call("host_account_unlock", args("jdoe"));
        assertThat(unlock.error()).as(unlock.text()).isFalse();
        assertThat(unlock.structuredContent().get("locked_by")).isEmpty();
        ToolResult after = call("host_account_status", args("jdoe"));
        assertThat(after.structuredContent().get("locked").asBoolean()).isFalse();
        assertThat(after.structuredContent().at("/failures/count").asInt()).isZero();

        ToolResult expire = call("host_account_expire", args("mlee"));
        assertThat(expire.error()).as(expire.text()).isFalse();
        assertThat(tool("host_account_status")
                        .execute(args("mlee"), ctx())
                        .structuredContent()
                        .get("locked_by")
                        .toString())
                .contains("account_expiry")
                .contains("password");

        assertThatThrownBy(() -> call("host_account_unlock", args("backup")))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("uid 34, a system account");
        assertThatThrownBy(() -> tool("host_account_status").execute(args("nobody-here"), ctx()))
                .hasMessageContaining("no user 'nobody-here' on sandbox");
        // the real account database is not what changed
        if (!realShadow.isEmpty()) {
            assertThat(Files.readString(Path.of("/etc/shadow"))).isEqualTo(realShadow);
        }
    }

    @Test
    void otherGetentDatabasesStillAnswerFromTheMachine() {
        ToolResult r = tool("host_dns_lookup")
                .execute(
                        JsonNodeFactory.instance
                                .objectNode()
                                .put("host", "sandbox")
                                .put("name", "localhost"),
                        ctx());
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.structuredContent().get("stdout").asString()).contains("127.0.0.1");
    }
}
