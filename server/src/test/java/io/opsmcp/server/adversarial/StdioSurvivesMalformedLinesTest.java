package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 10 item 12: one bad line on stdin must not wedge the stdio session. The real server runs in a child JVM
 * over its real stdio transport; every malformed message gets its own JSON-RPC error (-32700 for what is not JSON,
 * -32600 for JSON that is not a request), and afterwards {@code initialize}, {@code tools/list} and {@code ping}
 * are answered as usual.
 */
class StdioSurvivesMalformedLinesTest {

    /** A bad line and the error code and id it must be answered with ({@code null}: id null). */
    private record Bad(byte[] line, int code, Integer id) {
        Bad(String line, int code, Integer id) {
            this(line.getBytes(StandardCharsets.UTF_8), code, id);
        }
    }

    @TempDir
    Path dir;

    @Test
    void everyBadLineIsAnsweredAndTheSessionGoesOn() throws Exception {
        List<Bad> bad = List.of(
                new Bad("garbage {{{", -32700, null),
                new Bad("[]", -32600, null),
                new Bad("[{\"jsonrpc\":\"2.0\",\"id\":90,\"method\":\"ping\"}]", -32600, null),
                new Bad("42", -32600, null),
                new Bad("\"initialize\"", -32600, null),
                new Bad("null", -32600, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing", -32700, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":", -32700, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":7,\"id\":8,\"method\":\"ping\"}", -32700, null),
                new Bad(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, -32700, null),
                new Bad("{}", -32600, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":91}", -32600, 91),
                new Bad("{\"jsonrpc\":\"1.0\",\"id\":92,\"method\":\"ping\"}", -32600, 92),
                new Bad("{\"id\":93,\"method\":\"ping\"}", -32600, 93),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}", -32600, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", -32600, null),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":94,\"method\":7}", -32600, 94),
                new Bad("{\"jsonrpc\":\"2.0\",\"id\":95,\"method\":\"ping\",\"params\":\"x\"}", -32600, 95));

        try (StdioServer server = new StdioServer(dir)) {
            for (Bad b : bad) {
                server.sendLine(b.line());
            }
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"adversary\",\"version\":\"1\"}}}");
            List<JsonNode> before = new ArrayList<>();
            JsonNode init = server.awaitId(1, before, 120);
            assertThat(init)
                    .as("initialize answered after %d bad lines; stderr:%n%s", bad.size(), server.stderr())
                    .isNotNull();
            assertThat(init.path("result").path("serverInfo").path("name").asString())
                    .isNotEmpty();

            server.sendLine("garbage again {{{");
            server.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            server.sendLine("[]");
            server.sendLine("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
            List<JsonNode> after = new ArrayList<>();
            JsonNode tools = server.awaitId(2, after, 60);
            assertThat(tools).as("tools/list answered").isNotNull();
            assertThat(tools.path("result").path("tools").isArray()).isTrue();
            JsonNode ping = server.awaitId(3, after, 60);
            assertThat(ping).as("ping answered").isNotNull();
            assertThat(ping.has("result")).isTrue();

            List<JsonNode> errors = new ArrayList<>(before);
            assertThat(errors).as("one answer per bad line, in order").hasSize(bad.size());
            for (int i = 0; i < bad.size(); i++) {
                JsonNode e = errors.get(i);
                Bad b = bad.get(i);
                String what = new String(b.line(), StandardCharsets.UTF_8);
                assertThat(e.path("jsonrpc").asString()).as(what).isEqualTo("2.0");
                assertThat(e.path("error").path("code").asInt()).as(what).isEqualTo(b.code());
                assertThat(e.path("error").path("message").asString()).as(what).isNotBlank();
                assertThat(e.has("id")).as("%s: id present", what).isTrue();
                if (b.id() == null) {
                    assertThat(e.get("id").isNull()).as("%s: id null", what).isTrue();
                } else {
                    assertThat(e.get("id").asInt()).as(what).isEqualTo(b.id());
                }
            }
            assertThat(after)
                    .as("the two bad lines after initialize")
                    .hasSize(2)
                    .extracting(m -> m.path("error").path("code").asInt())
                    .containsExactly(-32700, -32600);
        }
    }
}
