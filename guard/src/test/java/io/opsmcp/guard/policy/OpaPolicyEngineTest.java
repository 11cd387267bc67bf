package io.opsmcp.guard.policy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OPA REST adapter against a stub OPA: the request it sends and how it fails closed. */
class OpaPolicyEngineTest {

    private static final String PATH = "/v1/data/opsmcp/authz/decision";

    private WireMockServer opa;
    private OpaPolicyEngine engine;

    @BeforeEach
    void start() {
        opa = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        opa.start();
        // Generous: the first request to a fresh stub can be slow on a busy machine.
        engine = new OpaPolicyEngine("http://127.0.0.1:" + opa.port() + "/", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        engine.close();
        opa.stop();
    }

    private static JsonNode input() {
        return PolicyInputs.changeCheckoutMemory().build();
    }

    @Test
    void postsTheInputAndMapsTheResult() {
        opa.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("""
                {"decision_id": "d1", "result": {"allow": false,
                  "reasons": ["prod changes need approval by an sre-lead"],
                  "approval": {"required": true, "min_approvals": 1, "approver_roles": ["sre-lead"],
                               "allow_self_approval": false, "ttl_seconds": 900}}}
                """)));

        Decision d = engine.decide(input());

        assertThat(d)
                .isEqualTo(new Decision.NeedsApproval(
                        List.of("prod changes need approval by an sre-lead"),
                        new ApprovalRequirement(1, List.of("sre-lead"), false, Duration.ofSeconds(900))));
        opa.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson(JsonMapper.builder()
                        .build()
                        .writeValueAsString(
                                JsonMapper.builder().build().createObjectNode().set("input", input())))));
    }

    @Test
    void anAllowIsAnAllow() {
        opa.stubFor(
                post(urlEqualTo(PATH))
                        .willReturn(
                                okJson(
                                        "{\"result\": {\"allow\": true, \"reasons\": [\"ok\"], \"approval\": {\"required\": false}}}")));

        assertThat(engine.decide(input())).isEqualTo(new Decision.Allow(List.of("ok")));
    }

    @Test
    void garbageIsAnInvalidDecision() {
        opa.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("<html>hello</html>")));

        assertThat(engine.decide(input())).isEqualTo(Decision.deny(Decision.INVALID));
    }

    @Test
    void aResultNotMatchingTheSchemaIsAnInvalidDecision() {
        opa.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{\"result\": {\"allow\": \"yes\"}}")));

        assertThat(engine.decide(input())).isEqualTo(Decision.deny(Decision.INVALID));
    }

    @Test
    void anUndefinedDecisionIsAnInvalidDecision() {
        opa.stubFor(post(urlEqualTo(PATH)).willReturn(okJson("{}")));

        assertThat(engine.decide(input())).isEqualTo(Decision.deny(Decision.INVALID));
    }

    @Test
    void aServerErrorMeansUnavailable() {
        opa.stubFor(post(urlEqualTo(PATH))
                .willReturn(
                        aResponse().withStatus(500).withBody("{\"code\": \"internal_error\", \"message\": \"boom\"}")));

        assertThat(engine.decide(input())).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
    }

    @Test
    void noAnswerWithinTheTimeoutMeansUnavailable() {
        opa.stubFor(post(urlEqualTo(PATH))
                .willReturn(okJson("{\"result\": {\"allow\": true, \"reasons\": []}}")
                        .withFixedDelay(5_000)));

        try (OpaPolicyEngine impatient = new OpaPolicyEngine(opa.baseUrl(), Duration.ofMillis(200))) {
            assertThat(impatient.decide(input())).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void connectionRefusedMeansUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (OpaPolicyEngine down = new OpaPolicyEngine("http://127.0.0.1:" + closedPort, Duration.ofMillis(500))) {
            assertThat(down.decide(input())).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void descriptionShowsTheUrlWithoutCredentials() {
        try (OpaPolicyEngine withUser =
                new OpaPolicyEngine("http://user:s3cret@127.0.0.1:8181/", Duration.ofMillis(500))) {
            assertThat(withUser.description()).isEqualTo("opa http://127.0.0.1:8181 (timeout 500 ms)");
        }
    }
}
