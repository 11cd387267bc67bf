package io.opsmcp.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Go's encoding/base64 and encoding/pem rules, which OPA's key and token built-ins inherit. */
class GoPemBase64Test {

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void base64ReportsTheOffendingOffsetLikeGo() {
        assertThat(text(GoBase64.decodeStd("aGVsbG8="))).isEqualTo("hello");
        assertThat(text(GoBase64.decodeStd("aGVs\r\nbG8="))).isEqualTo("hello");
        assertThatThrownBy(() -> GoBase64.decodeStd("aGV^bG8=")).hasMessage("illegal base64 data at input byte 3");
        assertThatThrownBy(() -> GoBase64.decodeStd("foobar")).hasMessage("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> GoBase64.decodeStd("aGVsbG8=x")).hasMessage("illegal base64 data at input byte 8");
        assertThatThrownBy(() -> GoBase64.decodeStd("a===")).hasMessage("illegal base64 data at input byte 1");
        assertThat(text(GoBase64.decodeUrlLenient("aGk"))).isEqualTo("hi");
        assertThatThrownBy(() -> GoBase64.decodeUrlLenient("a")).hasMessage("illegal base64url string: a");
        assertThatThrownBy(() -> GoBase64.decodeUrlLenient("a+bc")).hasMessage("illegal base64 data at input byte 1");
    }

    @Test
    void pemSkipsJunkKeepsTheRestAndIgnoresBrokenBlocks() {
        String block = "-----BEGIN THING-----\naGVsbG8=\n-----END THING-----\n";
        GoPem.Decoded d = GoPem.decode("junk before\n" + block + "after");
        assertThat(d.block().type()).isEqualTo("THING");
        assertThat(text(d.block().bytes())).isEqualTo("hello");
        assertThat(d.rest()).isEqualTo("after");
        assertThat(GoPem.decode(block).rest()).isEmpty();
        // Headers are allowed; a mismatched END type or bad base64 is not a block.
        assertThat(GoPem.decode("-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\naGk=\n-----END X-----")
                        .block()
                        .type())
                .isEqualTo("X");
        assertThat(GoPem.decode("-----BEGIN X-----\naGk=\n-----END Y-----\n").block())
                .isNull();
        assertThat(GoPem.decode("-----BEGIN X-----\n!!!!\n-----END X-----\n").block())
                .isNull();
        assertThat(GoPem.decode("{\"kty\":\"oct\"}").block()).isNull();
    }
}
