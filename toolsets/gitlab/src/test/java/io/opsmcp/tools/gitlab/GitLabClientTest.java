package io.opsmcp.tools.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.gitlab.client.GitLabApiException;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.config.GitLabInstance;
import io.opsmcp.tools.gitlab.config.ProjectScope;
import io.opsmcp.tools.gitlab.config.TokenSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The REST client against WireMock speaking GitLab REST v4: pagination, errors, retries. */
class GitLabClientTest {

    static final String TOKEN = "glpat-abcdefghijklmnopqrst";
    WireMockServer gitlab;
    List<Duration> waits;
    GitLabClient client;
    Instant deadline = Instant.now().plusSeconds(120);

    @BeforeEach
    void start() {
        gitlab = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        gitlab.start();
        waits = new ArrayList<>();
        GitLabInstance instance = new GitLabInstance(
                "main",
                URI.create("http://127.0.0.1:" + gitlab.port()),
                new TokenSource.Env("GITLAB_TOKEN", n -> TOKEN),
                List.of(new ProjectScope("shop/*", "prod")));
        client = new GitLabClient(
                instance,
                GitLabClient.httpClient(Duration.ofSeconds(5)),
                Duration.ofSeconds(10),
                3,
                Duration.ofSeconds(60),
                waits::add,
                Clock.systemUTC(),
                JsonMapper.builder().build());
    }

    @AfterEach
    void stop() {
        gitlab.stop();
    }

    @Test
    void followsXNextPageAndSendsTheToken() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects/shop%2Fcheckout/pipelines"))
                .withQueryParam("page", equalTo("2"))
                .willReturn(okJson("[{\"id\":3}]").withHeader("X-Next-Page", "")));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects/shop%2Fcheckout/pipelines"))
                .atPriority(6)
                .willReturn(okJson("[{\"id\":1},{\"id\":2}]").withHeader("X-Next-Page", "2")));
        List<JsonNode> items = client.list("projects/shop%2Fcheckout/pipelines", Map.of(), 10, deadline);
        assertThat(items).extracting(n -> n.get("id").asInt()).containsExactly(1, 2, 3);
        gitlab.verify(
                2,
                getRequestedFor(urlPathEqualTo("/api/v4/projects/shop%2Fcheckout/pipelines"))
                        .withHeader("PRIVATE-TOKEN", equalTo(TOKEN)));
    }

    @Test
    void followsKeysetLinkHeaderAndStopsAtTheLimit() {
        String next = "http://127.0.0.1:" + gitlab.port() + "/api/v4/projects?pagination=keyset&per_page=2&order_by=id"
                + "&sort=asc&id_after=2";
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects"))
                .withQueryParam("id_after", equalTo("2"))
                .willReturn(okJson("[{\"id\":3},{\"id\":4}]")
                        .withHeader("Link", "<" + next.replace("=2", "=4") + ">; rel=\"next\"")));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects"))
                .atPriority(6)
                .willReturn(okJson("[{\"id\":1},{\"id\":2}]")
                        .withHeader("Link", "<" + next + ">; rel=\"next\", <" + next + ">; rel=\"first\"")));
        List<JsonNode> items = client.list("projects", Map.of("pagination", "keyset"), 3, deadline);
        assertThat(items).extracting(n -> n.get("id").asInt()).containsExactly(1, 2, 3);
    }

    @Test
    void ignoresALinkToAnotherHost() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects"))
                .willReturn(okJson("[{\"id\":1}]")
                        .withHeader("Link", "<https://evil.example/api/v4/projects?page=2>; rel=\"next\"")));
        assertThat(client.list("projects", Map.of(), 10, deadline)).hasSize(1);
        gitlab.verify(1, getRequestedFor(urlPathEqualTo("/api/v4/projects")));
    }

    @Test
    void mapsErrorStatusesToClearErrorsWithoutTheToken() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/a"))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"401 Unauthorized\"}")));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/b"))
                .willReturn(aResponse().withStatus(403).withBody("{\"message\":\"403 Forbidden\"}")));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/c"))
                .willReturn(aResponse().withStatus(404).withBody("{\"message\":\"404 Project Not Found\"}")));
        assertThatThrownBy(() -> client.get("a", Map.of(), deadline))
                .isInstanceOf(GitLabApiException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("environment variable GITLAB_TOKEN")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> client.get("b", Map.of(), deadline))
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.FORBIDDEN);
        assertThatThrownBy(() -> client.get("c", Map.of(), deadline))
                .hasMessageContaining("404 Project Not Found")
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.NOT_FOUND);
        assertThat(waits).isEmpty();
    }

    @Test
    void waitsRetryAfterOn429ThenSucceeds() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .inScenario("rl")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7"))
                .willSetStateTo("ok"));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .inScenario("rl")
                .whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":1}")));
        assertThat(client.get("p", Map.of(), deadline).get("id").asInt()).isEqualTo(1);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void refusesARetryAfterLongerThanTheLimit() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));
        assertThatThrownBy(() -> client.get("p", Map.of(), deadline)).hasMessageContaining("retry after 3600 s");
        assertThat(waits).isEmpty();
    }

    @Test
    void retries5xxWithBackoffThenSucceeds() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .inScenario("5xx")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502))
                .willSetStateTo("second"));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .inScenario("5xx")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("ok"));
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p"))
                .inScenario("5xx")
                .whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":1}")));
        assertThat(client.get("p", Map.of(), deadline).get("id").asInt()).isEqualTo(1);
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void givesUpAfterMaxRetries() {
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/p")).willReturn(aResponse().withStatus(500)));
        assertThatThrownBy(() -> client.get("p", Map.of(), deadline))
                .hasMessageContaining("failed with 500 after 3 retries");
        gitlab.verify(4, getRequestedFor(urlPathEqualTo("/api/v4/p")));
    }

    @Test
    void doesNotRetryAPostOn5xx() {
        gitlab.stubFor(post(urlPathEqualTo("/api/v4/jobs/1/retry"))
                .willReturn(aResponse().withStatus(502)));
        assertThatThrownBy(() -> client.post("jobs/1/retry", null, deadline)).hasMessageContaining("502");
        gitlab.verify(1, postRequestedFor(urlPathEqualTo("/api/v4/jobs/1/retry")));
    }

    @Test
    void anInterruptedCallAbortsItsRequestInFlight() throws Exception {
        // The gateway interrupts a tool's thread when its call is cancelled (MCP notifications/cancelled) or passes
        // its deadline; java.net.http's send then cancels the exchange (JDK 16+, JDK-8245462). GitLab answers only
        // after 20 s.
        gitlab.stubFor(get(urlPathEqualTo("/api/v4/projects/shop%2Fcheckout"))
                .willReturn(okJson("{\"id\":1}").withFixedDelay(20_000)));
        java.util.concurrent.atomic.AtomicReference<Thread> caller =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<Object> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                return client.get("projects/shop%2Fcheckout", Map.of(), deadline);
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (int i = 0; i < 100 && gitlab.getAllServeEvents().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(gitlab.getAllServeEvents()).as("the request reached GitLab").hasSize(1);
        caller.get().interrupt();

        // without the abort the call would receive the (valid) answer after 20 s
        Object outcome = call.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(outcome)
                .isInstanceOf(ToolException.class)
                .extracting(e -> ((ToolException) e).getMessage())
                .asString()
                .contains("was cancelled");
        assertThat(waits).as("an interrupted GET is not retried").isEmpty();
    }
}
