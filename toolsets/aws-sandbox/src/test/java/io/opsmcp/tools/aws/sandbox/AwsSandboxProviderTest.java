package io.opsmcp.tools.aws.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AwsSandboxProviderTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void isFoundThroughServiceLoaderAndAddsTheSandboxAccount(@TempDir Path dir) {
        ToolsetSandboxProvider provider = ServiceLoader.load(ToolsetSandboxProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> "aws".equals(p.toolset()))
                .findFirst()
                .orElseThrow();
        try (ToolsetSandbox sandbox = provider.start(dir)) {
            JsonNode out = sandbox.configure(JSON.readTree("{\"aws\":{\"accounts\":[{\"name\":\"prod\"}]}}"));
            JsonNode accounts = out.get("aws").get("accounts");
            assertThat(accounts).hasSize(2);
            assertThat(accounts.get(1).get("name").asString()).isEqualTo(AwsSandbox.ACCOUNT);
            assertThat(accounts.get(1).get("endpoint_url").asString()).startsWith("http://127.0.0.1:");
            assertThatThrownBy(() -> sandbox.configure(out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved");
        }
    }

    @Test
    void queryErrorsAreTheProtocolsErrorDocument() {
        AwsWire.Reply r = AwsWire.queryError(400, "TargetGroupNotFound", "a <b> & c");
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(r.contentType()).isEqualTo("text/xml");
        assertThat(body).contains("<Code>TargetGroupNotFound</Code>").contains("a &lt;b&gt; &amp; c");
    }
}
