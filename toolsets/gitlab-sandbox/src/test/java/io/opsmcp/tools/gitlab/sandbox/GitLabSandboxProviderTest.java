package io.opsmcp.tools.gitlab.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sandbox as the server finds it (ServiceLoader), the configuration it emits, and its token check. */
class GitLabSandboxProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void foundThroughServiceLoaderAndAddsItsInstance(@TempDir Path dir) throws Exception {
        ToolsetSandboxProvider provider = ServiceLoader.load(ToolsetSandboxProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.toolset().equals("gitlab"))
                .findFirst()
                .orElseThrow();
        try (ToolsetSandbox sandbox = provider.start(dir)) {
            JsonNode settings = sandbox.configure(JSON.readTree("{\"toolsets\":[\"gitlab\"]}"));
            JsonNode instance = settings.at("/gitlab/instances/0");
            assertThat(instance.get("name").asString()).isEqualTo(GitLabSandbox.INSTANCE);
            assertThat(instance.at("/projects/0/pattern").asString()).isEqualTo("shop/*");
            String baseUrl = instance.get("base_url").asString();
            assertThat(baseUrl).startsWith("http://127.0.0.1:");
            String token = Files.readString(Path.of(instance.get("token_file").asString()))
                    .strip();

            HttpClient http = HttpClient.newHttpClient();
            URI project = URI.create(baseUrl + "/api/v4/projects/shop%2Fcheckout");
            HttpResponse<String> anonymous =
                    http.send(HttpRequest.newBuilder(project).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<String> authed = http.send(
                    HttpRequest.newBuilder(project)
                            .header("PRIVATE-TOKEN", token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(authed.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(authed.body()).get("id").asLong()).isEqualTo(GitLabSandbox.PROJECT_ID);

            assertThatThrownBy(() -> sandbox.configure(settings))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved for --sandbox");
        }
    }
}
