package io.opsmcp.guard.policy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides by asking an OPA server over its Data API: {@code POST {url}/v1/data/opsmcp/authz/decision} with
 * {@code {"input": …}}; the answer's {@code result} is the decision document (OPA REST API, "Get a Document (with
 * Input)"). Fails closed: no complete answer within the timeout (connect, headers and the whole body: one
 * deadline), a connection error or a non-200 status is {@link Decision#UNAVAILABLE}; a body over 1 MiB, a body
 * that is not JSON or repeats a member name, has no {@code result} (undefined decision) or does not match the
 * decision schema is {@link Decision#INVALID}.
 */
public final class OpaPolicyEngine implements PolicyEngine {

    /** Path of the decision document under the OPA base URL. */
    public static final String DECISION_PATH = "/v1/data/opsmcp/authz/decision";
    /** Answers larger than this are not a decision document. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private static final Logger log = LoggerFactory.getLogger(OpaPolicyEngine.class);
    /** Rejects a member name given twice in one object, at any depth. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

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
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "must be an http(s) URL such as http://127.0.0.1:8181 (got '" + baseUrl + "')");
        }
        this.endpoint = uri;
        // Shown in logs and descriptions: without any user-info (credentials) the URL may carry.
        this.baseUrl = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + base.substring(base.indexOf(uri.getRawAuthority())
                        + uri.getRawAuthority().length());
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Decision decide(JsonNode input) {
        // One deadline for the whole exchange: connecting, the headers and every byte of the body. The JDK
        // client's request timeout covers only the wait for the headers, so a body trickled a byte at a time (or
        // never finished) would hold the call for as long as the server liked.
        long deadline = System.nanoTime() + timeout.toNanos();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("input", input);
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        CappedBody capped = new CappedBody(MAX_RESPONSE_BYTES);
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request, info -> capped.subscriber(info.statusCode()));
        } catch (RuntimeException e) {
            log.warn("OPA request to {} failed ({}), denying", baseUrl, e.toString());
            return Decision.deny(Decision.UNAVAILABLE);
        }
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            capped.cancel();
            exchange.cancel(true);
            log.warn("OPA at {} did not answer completely within {} ms, denying", baseUrl, timeout.toMillis());
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (InterruptedException e) {
            capped.cancel();
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                log.warn("OPA at {} did not answer within {} ms, denying", baseUrl, timeout.toMillis());
            } else {
                log.warn(
                        "OPA at {} unreachable ({}), denying",
                        baseUrl,
                        cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            }
            return Decision.deny(Decision.UNAVAILABLE);
        } catch (RuntimeException e) {
            capped.cancel();
            exchange.cancel(true);
            log.warn("OPA request to {} failed ({}), denying", baseUrl, e.toString());
            return Decision.deny(Decision.UNAVAILABLE);
        }
        if (response.statusCode() != 200) {
            log.warn("OPA at {} answered HTTP {}, denying", baseUrl, response.statusCode());
            return Decision.deny(Decision.UNAVAILABLE);
        }
        byte[] answer = response.body();
        if (answer == null) {
            log.warn("OPA at {} answered more than {} bytes, denying", baseUrl, MAX_RESPONSE_BYTES);
            return Decision.deny(Decision.INVALID);
        }
        JsonNode document;
        try {
            document = JSON.readTree(answer);
        } catch (JacksonException e) {
            // also a member name given twice at any depth (STRICT_DUPLICATE_DETECTION): which one OPA meant is
            // unknowable, and last-wins would let a smuggled second "allow" decide
            log.warn(
                    "OPA at {} answered something that is not a well-formed JSON document ({}), denying",
                    baseUrl,
                    e.getClass().getSimpleName());
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
    public void close() {}

    /**
     * Collects a response body up to a byte cap. Past the cap it stops reading (cancels the subscription) and the
     * body is {@code null}. {@link #cancel} stops a body still arriving when the deadline passes.
     */
    private static final class CappedBody {
        private final int cap;
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        CappedBody(int cap) {
            this.cap = cap;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        HttpResponse.BodySubscriber<byte[]> subscriber(int status) {
            if (status != 200) {
                // the status alone decides; the body is not read
                return HttpResponse.BodySubscribers.replacing(new byte[0]);
            }
            return new HttpResponse.BodySubscriber<>() {
                private final CompletableFuture<byte[]> body = new CompletableFuture<>();
                private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

                @Override
                public CompletionStage<byte[]> getBody() {
                    return body;
                }

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    if (cancelled) {
                        s.cancel();
                        body.completeExceptionally(new TimeoutException("cancelled"));
                        return;
                    }
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(List<ByteBuffer> buffers) {
                    if (body.isDone()) {
                        return;
                    }
                    for (ByteBuffer b : buffers) {
                        int n = b.remaining();
                        if (bytes.size() + n > cap) {
                            subscription.cancel();
                            body.complete(null);
                            return;
                        }
                        byte[] chunk = new byte[n];
                        b.get(chunk);
                        bytes.write(chunk, 0, n);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    body.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    body.complete(bytes.toByteArray());
                }
            };
        }
    }
}
