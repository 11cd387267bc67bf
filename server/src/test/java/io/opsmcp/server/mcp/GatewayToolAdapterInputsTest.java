package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the adapter hands the gateway besides the call: the request id the audit record and the logs carry
 * ({@code req_} and the 64 random bits in lowercase hex), and the arguments as a tree.
 */
class GatewayToolAdapterInputsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void sixteenLowercaseHexDigitsOfAllSixtyFourBits() {
        assertThat(GatewayToolAdapter.requestId(0L)).isEqualTo("req_0000000000000000");
        assertThat(GatewayToolAdapter.requestId(-1L)).isEqualTo("req_ffffffffffffffff");
        assertThat(GatewayToolAdapter.requestId(0x0123456789abcdefL)).isEqualTo("req_0123456789abcdef");
        assertThat(GatewayToolAdapter.requestId(Long.MIN_VALUE)).isEqualTo("req_8000000000000000");
    }

    @Test
    void argumentsAreTheMappersTreeAndEmptyOnesAFreshEmptyObject() {
        GatewayToolAdapter adapter = new GatewayToolAdapter(null, JSON, exchange -> null);
        assertThat(adapter.arguments(null)).isNull();
        var empty = adapter.arguments(Map.of());
        assertThat(empty).isEqualTo(JSON.valueToTree(Map.of())).isEqualTo(JSON.createObjectNode());
        assertThat(empty.isObject()).isTrue();
        assertThat(adapter.arguments(new HashMap<>())).isNotSameAs(empty); // a tree of its own for each call
        Map<String, Object> some = Map.of("host_group", "web", "n", 3, "tags", List.of("a", "b"));
        assertThat(adapter.arguments(some)).isEqualTo(JSON.valueToTree(some));
    }

    @Test
    void theStructuredTextBlockIsTheMappersTextOfTheTreeWhicheverWritesIt() {
        GatewayToolAdapter adapter = new GatewayToolAdapter(null, JSON, exchange -> null);
        var plain = JSON.createObjectNode();
        plain.putArray("hosts")
                .addObject()
                .put("name", "web-1 \"a\"\n")
                .put("port", 22)
                .putNull("group")
                .put("up", true);
        assertThat(adapter.structuredText(plain)).isEqualTo(JSON.writeValueAsString(plain));
        // a double is the mapper's to write (the compact writer leaves it), and the text is the same either way
        var withDouble = plain.deepCopy().put("load", 0.75);
        assertThat(adapter.structuredText(withDouble))
                .isEqualTo(JSON.writeValueAsString(withDouble))
                .contains("\"load\":0.75");
    }
}
