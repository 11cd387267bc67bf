package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.toolkit.Deferred;
import org.junit.jupiter.api.Test;

/**
 * The stdio transport's mapper made ahead ({@link ProtocolJson}): the sample exchange runs through the SDK's own
 * reading of a request (so an SDK change that breaks it is seen here, not only as a slower start), and the mapper
 * it leaves reads and writes protocol messages as a fresh one does.
 */
class ProtocolJsonTest {

    @Test
    void theSampleInitializeExchangeRunsAsTheSdkReadsIt() throws Exception {
        String answer = ProtocolJson.exchange(ProtocolJson.warmed());
        assertThat(answer)
                .contains("\"jsonrpc\":\"2.0\"", "\"id\":0", "\"protocolVersion\":\"2025-06-18\"")
                .contains("\"serverInfo\":{\"name\":\"warm-up\"");
    }

    @Test
    void thePreparedMapperReadsARealRequest() throws Exception {
        Deferred<McpJsonMapper> prepared = ProtocolJson.prepare();
        McpJsonMapper json = prepared.get();
        McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(
                json,
                "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\"}}");
        assertThat(message).isInstanceOfSatisfying(McpSchema.JSONRPCRequest.class, r -> {
            assertThat(r.id()).isEqualTo("a-1");
            assertThat(r.method()).isEqualTo("tools/call");
        });
        assertThat(prepared.get()).as("one mapper, made once").isSameAs(json);
        prepared.close();
    }
}
