package io.opsmcp.server.guard;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides by asking an OPA server over its Data API: {@code POST {url}/v1/data/opsmcp/authz/decision} with
 * {@code {"input": …}}; the answer's {@code result} is the decision document (OPA REST API, "Get a Document (with
 * Input)"). Fails closed: no answer within the timeout, a connection error or a non-200 status is
 * {@link Decision#UNAVAILABLE}; a body that is not JSON, has no {@code result} (undefined decision) or does not
 * match the decision schema is {@link Decision#INVALID}.
 */
public final class OpaPolicyEngine implements PolicyEngine {

    /** Path of the decision document under the OPA base URL. */
    public static final String DECISION_PATH = "/v1/data/opsmcp/authz/decision";
    /** Answers larger than this are not a decision document. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(OpaPolicyEngine.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI endpoint;
    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl OPA's base URL, e.g. {@code http://127.0.0.1:8181} (a trailing slash is ignored)
     * @param timeout bound on connecting plus the whole exchange
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public OpaPolicyEngine(String baseUrl, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri = URI.create(base + DECISION_PATH);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an http(s) URL such as http://127.0.0.1:8181 (got '"
                    + baseUrl + "')");
        }
        this.endpoint = uri;
        // Shown in logs and descriptions: without any user-info (credentials) the URL may carry.
        this.baseUrl = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + base.substring(base.indexOf(uri.getRawAuthority()) + uri.getRawAuthority().length());
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Decision decide(JsonNode input) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("input", input);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        byte[] answer;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    log.warn("OPA at {} answered HTTP {}, denying", baseUrl, response.statusCode());
                    return Decision.deny(Decision.UNAVAILABLE);
                }
                answer = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (HttpTimeoutException e) {
            log.warn("OPA at {} did not answer within {} ms, denying", baseUrl, timeout.toMillis());
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (IOException e) {
            log.warn("OPA at {} unreachable ({}), denying", baseUrl, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (RuntimeException e) {
            log.warn("OPA request to {} failed ({}), denying", baseUrl, e.toString());
            return Decision.deny(Decision.UNAVAILABLE);
        }
        if (answer.length > MAX_RESPONSE_BYTES) {
            log.warn("OPA at {} answered more than {} bytes, denying", baseUrl, MAX_RESPONSE_BYTES);
            return Decision.deny(Decision.INVALID);
        }
        JsonNode document;
        try {
            document = JSON.readTree(answer);
        } catch (JacksonException e) {
            log.warn("OPA at {} answered something that is not JSON, denying", baseUrl);
            return Decision.deny(Decision.INVALID);
        }
        JsonNode result = document == null ? null : document.get("result");
        if (result == null) {
            log.warn("OPA at {} has no decision at data.opsmcp.authz.decision (undefined), denying", baseUrl);
        }
        return Decision.fromDocument(result);
    }

    @Override
    public String description() {
        return "opa " + baseUrl + " (timeout " + timeout.toMillis() + " ms)";
    }

    /** The JDK client holds no resources that need closing on Java 17. */
    @Override
    public void close() {
    }
}
