package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.system.ssh.OpenSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store that fails after the server started (here: its data disk, a real 8 MiB tmpfs, filled to the last byte while
 * it runs) takes the same path over stdio and streamable HTTP: a change whose intent record cannot be written is
 * answered as a tool error ({@code isError}, saying the audit log cannot be written and what to do), not as a
 * JSON-RPC error, and its command does not run (a real OpenSSH server runs {@code touch} for each change that does:
 * the refused change's file is not there, the earlier ones' are). Once the disk has room again, changes run again
 * without a restart. Needs root, {@code mount} and sshd (skipped without them unless {@code OPS_MCP_REQUIRE_SSHD=1}).
 */
class AuditFailingMidRunRefusesChangesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static OpenSshd sshd;

    @TempDir
    Path scratch;

    private Path disk;
    private Path markers;
    private SmallDisk smallDisk;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshd.startOrSkip(Files.createDirectories(dir.resolve("sshd")));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void mountSmallDisk() throws Exception {
        smallDisk = SmallDisk.mountOrSkip(scratch.resolve("disk"));
        disk = smallDisk.path();
        markers = Files.createDirectories(scratch.resolve("markers"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (smallDisk != null) {
            smallDisk.close();
        }
    }

    /** The sshd as host {@code ci} (dev), a mutating catalog command {@code mark} that touches a marker file. */
    private String yaml() {
        return """
                identity: {roles: [sre]}
                auth:
                  api_keys:
                %s
                toolsets: [hosts]
                ssh:
                  known_hosts: %s
                hosts:
                  - name: ci
                    address: 127.0.0.1
                    port: %d
                    user: %s
                    auth: {type: key_file, key_file: %s}
                    host_group: dev-ci
                    environment: dev
                host_catalog:
                  commands:
                    - name: mark
                      description: Creates a marker file (a test command with a side effect).
                      read_only: false
                      argv: [touch, "%s/marker-${n}"]
                      parameters:
                        n: {type: integer, min: 1, max: 9999, required: true, description: which marker}
                """.formatted(
                        HttpTarget.key("alice", "sre", "alice-key"),
                        sshd.knownHosts(),
                        sshd.port(),
                        System.getProperty("user.name"),
                        sshd.clientKey(),
                        markers);
    }

    private static String mark(int id, int n) {
        return """
                {"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"host_mark","arguments":{"host":"ci",\
                "n":%d}}}""".formatted(id, n);
    }

    /** How the server answers one request: the JSON-RPC response. */
    @FunctionalInterface
    private interface Server {
        JsonNode answer(int id, String request) throws Exception;
    }

    /**
     * Marks once with room on the disk, fills the disk, marks until a change is refused (H2 may still fit the first
     * few records in free pages), then frees the disk and marks again.
     */
    private void changesAreRefusedWhileTheAuditCannotBeWritten(Server server) throws Exception {
        JsonNode first = server.answer(10, mark(10, 1));
        assertThat(first.path("result").path("isError").asBoolean())
                .as("the change runs while the disk has room: %s", first)
                .isFalse();
        assertThat(markers.resolve("marker-1")).as("the command ran").exists();

        smallDisk.fill();
        JsonNode refused = null;
        int n = 2;
        for (; n <= 40 && refused == null; n++) { // bounded
            JsonNode answer = server.answer(10 + n, mark(10 + n, n));
            assertThat(answer.has("error"))
                    .as("a tool result, not a JSON-RPC error: %s", answer)
                    .isFalse();
            if (answer.path("result").path("isError").asBoolean()) {
                refused = answer;
                break;
            }
        }
        assertThat(refused).as("a change is refused while the disk is full").isNotNull();
        assertThat(refused.path("result").path("content").path(0).path("text").asString())
                .contains("The audit log cannot be written, so changes are refused")
                .contains("Ask the operator to check the audit store");
        assertThat(markers.resolve("marker-" + n))
                .as("the refused change's command did not run")
                .doesNotExist();

        smallDisk.free();
        JsonNode again = null;
        for (int i = 0; i < 20; i++) { // bounded: the store writes again within a few tries
            again = server.answer(100 + i, mark(100 + i, 100 + i));
            if (!again.path("result").path("isError").asBoolean()) {
                assertThat(markers.resolve("marker-" + (100 + i))).exists();
                break;
            }
            Thread.sleep(200);
        }
        assertThat(again.path("result").path("isError").asBoolean())
                .as("changes run again once the disk has room: %s", again)
                .isFalse();
    }

    @Test
    void overStdio() throws Exception {
        Path config = Files.writeString(scratch.resolve("stdio.yaml"), yaml());
        try (StdioServer server = new StdioServer(scratch, disk.resolve("data"), "--config", config.toString())) {
            server.sendLine("""
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                    "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            assertThat(server.awaitId(1, new ArrayList<>(), 90))
                    .as("initialize; stderr: %s", server.stderr())
                    .isNotNull();
            server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            changesAreRefusedWhileTheAuditCannotBeWritten((id, request) -> {
                server.sendLine(request);
                JsonNode answer = server.awaitId(id, new ArrayList<>(), 90);
                assertThat(answer)
                        .as("answer to %s; stderr: %s", id, server.stderr())
                        .isNotNull();
                return answer;
            });
        }
    }

    @Test
    void overStreamableHttp() throws Exception {
        try (HttpTarget target = HttpTarget.start(disk, yaml(), null)) {
            String session = target.initialize("alice-key");
            changesAreRefusedWhileTheAuditCannotBeWritten((id, request) -> {
                String body = target.send("POST", "/mcp", request, HttpTarget.mcpHeaders("alice-key", session))
                        .body();
                // a JSON body, or an SSE stream whose data line is the response
                String json = body.strip().startsWith("{")
                        ? body
                        : body.lines()
                                .filter(l -> l.startsWith("data:"))
                                .map(l -> l.substring(5).strip())
                                .filter(l -> l.contains("\"id\":" + id))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError("no response to " + id + " in " + body));
                return JSON.readTree(json);
            });
        }
    }
}
