package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request id the audit record and the logs carry: {@code req_} and the 64 random bits in lowercase hex. */
class RequestIdTest {

    @Test
    void sixteenLowercaseHexDigitsOfAllSixtyFourBits() {
        assertThat(GatewayToolAdapter.requestId(0L)).isEqualTo("req_0000000000000000");
        assertThat(GatewayToolAdapter.requestId(-1L)).isEqualTo("req_ffffffffffffffff");
        assertThat(GatewayToolAdapter.requestId(0x0123456789abcdefL)).isEqualTo("req_0123456789abcdef");
        assertThat(GatewayToolAdapter.requestId(Long.MIN_VALUE)).isEqualTo("req_8000000000000000");
    }
}
