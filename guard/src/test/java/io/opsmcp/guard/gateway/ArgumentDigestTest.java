package io.opsmcp.guard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.toolkit.redact.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@link ArgumentDigest#of} answers an empty argument object without serialising it: the answer must be the one the
 * serialising path gives (the audit's digest of "no arguments" must not change), at every limit.
 */
class ArgumentDigestTest {

    private final Redactor redactor = new Redactor();

    @Test
    void emptyArgumentsDigestAsTheirSerialisation() throws Exception {
        JsonNode[] empties = {null, JsonNodeFactory.instance.objectNode()};
        for (JsonNode args : empties) {
            for (long limit : new long[] {0, 1, 2, 3, 200, 1 << 20}) {
                assertThat(ArgumentDigest.of(args, limit, redactor))
                        .as("args %s, limit %d", args, limit)
                        .isEqualTo(ArgumentDigest.serialised(args, limit, redactor));
            }
        }
        String sha = HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(ArgumentDigest.of(null, 1000, redactor)).isEqualTo(new ArgumentDigest(2, false, sha, "{}"));
        assertThat(ArgumentDigest.of(JsonNodeFactory.instance.objectNode(), 1, redactor)
                        .oversized())
                .isTrue();
    }

    @Test
    void nonEmptyArgumentsAreNotTakenForEmpty() {
        JsonNode[] others = {
            JsonNodeFactory.instance.arrayNode(),
            JsonNodeFactory.instance.objectNode().putNull("a"),
            JsonNodeFactory.instance.objectNode().put("password", "hunter2-secret"),
            JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.stringNode("{}")
        };
        ArgumentDigest empty = ArgumentDigest.of(null, 1000, redactor);
        for (JsonNode args : others) {
            ArgumentDigest d = ArgumentDigest.of(args, 1000, redactor);
            assertThat(d).as("%s", args).isEqualTo(ArgumentDigest.serialised(args, 1000, redactor));
            assertThat(d.sha256()).as("%s", args).isNotEqualTo(empty.sha256());
        }
    }
}
