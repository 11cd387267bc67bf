package io.opsmcp.tools.gitlab.client;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.Paging;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.gitlab.config.GitLabInstance;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small GitLab REST v4 client for one instance: JSON in and out as Jackson trees, pagination, bounded retries
 * and streamed bodies. Thread-safe.
 *
 * <p>Authentication: the {@code PRIVATE-TOKEN} header (GitLab REST API docs, "Personal/project/group access
 * tokens"); the token is read from its source on every request and appears in no message. Redirects are not
 * followed, so the token is never sent to another host.
 *
 * <p>Pagination (GitLab REST API docs, "Pagination"): the {@code Link} header's {@code rel="next"} target is
 * followed when it points at this instance's API (offset and keyset pagination both send it); otherwise the
 * {@code X-Next-Page} header gives the next page number; an empty or missing value ends the list.
 *
 * <p>Retries, at most {@code maxRetries} per request: 429 after {@code Retry-After} (seconds or an HTTP date;
 * 1, 2, 4… s when absent) for every method, since GitLab refused the request before doing anything; 500, 502,
 * 503, 504 and connection failures with backoff 0.5, 1, 2… s for GET only. A wait longer than
 * {@code maxRetryWait} or past the call's deadline fails the call at once with the reason.
 */
public final class GitLabClient {

    /** Waits between retries; tests record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private static final int MAX_PAGES = 100;
    private static final int ERROR_BODY_CHARS = 4096;

    private final GitLabInstance instance;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration maxRetryWait;
    private final Sleeper sleeper;
    private final Clock clock;
    private final JsonMapper json;
    private final String apiRoot;

    public GitLabClient(
            GitLabInstance instance,
            HttpClient http,
            Duration requestTimeout,
            int maxRetries,
            Duration maxRetryWait,
            Sleeper sleeper,
            Clock clock,
            JsonMapper json) {
        this.instance = instance;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.maxRetryWait = maxRetryWait;
        this.sleeper = sleeper;
        this.clock = clock;
        this.json = json;
        this.apiRoot = instance.baseUrl().toString() + "/api/v4/";
    }

    /** An HTTP client suited to this class: no redirects, the given connect timeout. */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public GitLabInstance instance() {
        return instance;
    }

    /** Percent-encodes one path segment (RFC 3986 unreserved characters stay), e.g. a project path or a file path. */
    public static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * GET one JSON document.
     *
     * @param path  path below {@code /api/v4/}, segments already encoded with {@link #segment}
     * @param query query parameters (values encoded here); {@code null} values are left out
     */
    public JsonNode get(String path, Map<String, String> query, Instant deadline) {
        HttpResponse<InputStream> response = send("GET", uri(path, query), null, deadline);
        return readJson(response, "GET", path);
    }

    /**
     * GET a paginated list, following pages until {@code limit} items, the last page or {@value #MAX_PAGES} pages.
     */
    public List<JsonNode> list(String path, Map<String, String> query, int limit, Instant deadline) {
        return collect(path, query, limit, deadline).items();
    }

    /**
     * {@link #list}, saying whether more items exist (or may: a bound was hit, or GitLab sent the same next page
     * twice) than were read.
     */
    public Paging.Collected<JsonNode> collect(String path, Map<String, String> query, int limit, Instant deadline) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put("per_page", Integer.toString(Math.max(1, Math.min(100, limit))));
        URI first = uri(path, q);
        Paging.PageFetcher<JsonNode> fetcher = token -> {
            HttpResponse<InputStream> response = send("GET", token == null ? first : URI.create(token), null, deadline);
            JsonNode body = readJson(response, "GET", path);
            if (!body.isArray()) {
                throw new ToolException(
                        Kind.UNAVAILABLE, name() + ": GET " + readable(path) + " did not return a list");
            }
            List<JsonNode> items = new ArrayList<>();
            body.forEach(items::add);
            return new Paging.Page<>(
                    items, nextPage(response, path, q).map(URI::toString).orElse(null));
        };
        return Paging.collect(fetcher, Math.max(1, limit), MAX_PAGES, null);
    }

    private Optional<URI> nextPage(HttpResponse<?> response, String path, Map<String, String> query) {
        Optional<String> link = LinkHeader.next(response.headers().allValues("Link"));
        if (link.isPresent() && link.get().startsWith(apiRoot)) {
            return Optional.of(URI.create(link.get()));
        }
        Optional<String> page = response.headers().firstValue("X-Next-Page").map(String::strip);
        if (page.isPresent() && page.get().matches("^[1-9]\\d{0,8}$")) {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("page", page.get());
            return Optional.of(uri(path, q));
        }
        return Optional.empty();
    }

    /**
     * GET a body as a stream (job traces) and hand it to {@code reader}, which must consume what it needs with
     * bounded memory; the stream is closed afterwards.
     */
    public <T> T stream(String path, Map<String, String> query, Instant deadline, Function<InputStream, T> reader) {
        HttpResponse<InputStream> response = send("GET", uri(path, query), null, deadline);
        try (InputStream in = response.body()) {
            return reader.apply(in);
        } catch (IOException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    name() + ": reading GET " + readable(path) + " failed: "
                            + e.getClass().getSimpleName());
        }
    }

    /** POST a JSON body (or none when {@code body} is null); retried only on 429. */
    public JsonNode post(String path, JsonNode body, Instant deadline) {
        HttpResponse<InputStream> response = send("POST", uri(path, Map.of()), body, deadline);
        return readJson(response, "POST", path);
    }

    private String name() {
        return "GitLab " + instance.name();
    }

    private URI uri(String path, Map<String, String> query) {
        StringBuilder s = new StringBuilder(apiRoot).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() != null) {
                s.append(sep).append(segment(e.getKey())).append('=').append(segment(e.getValue()));
                sep = '&';
            }
        }
        return URI.create(s.toString());
    }

    private HttpResponse<InputStream> send(String method, URI uri, JsonNode body, Instant deadline) {
        String path = uri.getRawPath()
                .substring(Math.min(
                        uri.getRawPath().length(),
                        URI.create(apiRoot).getRawPath().length()));
        boolean idempotent = method.equals("GET");
        for (int attempt = 0; ; attempt++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw new ToolException(
                        Kind.TIMEOUT,
                        name() + ": " + method + " " + readable(path) + " not done before the call's deadline");
            }
            String token;
            try {
                token = instance.token().read();
            } catch (IllegalStateException e) {
                throw new ToolException(Kind.UNAVAILABLE, name() + ": no access token: " + e.getMessage());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(left.compareTo(requestTimeout) < 0 ? left : requestTimeout)
                    .header("PRIVATE-TOKEN", token)
                    .header("Accept", "application/json")
                    .header("User-Agent", "ops-mcp");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (idempotent && attempt < maxRetries) {
                    pause(backoff(attempt), deadline, method, path, "the connection failed");
                    continue;
                }
                throw new ToolException(
                        Kind.UNAVAILABLE,
                        name() + " (" + instance.baseUrl() + ") cannot be reached: "
                                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException(Kind.TIMEOUT, name() + ": " + method + " " + readable(path) + " was cancelled");
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            String detail = errorDetail(response);
            if (status == 429 && attempt < maxRetries) {
                Duration wait = retryAfter(response).orElse(Duration.ofSeconds(1L << attempt));
                if (wait.compareTo(maxRetryWait) > 0) {
                    throw new GitLabApiException(
                            Kind.UNAVAILABLE,
                            status,
                            name() + " is rate limiting us (429) and "
                                    + "asks to retry after " + wait.toSeconds()
                                    + " s, longer than gitlab.max_retry_wait_seconds ("
                                    + maxRetryWait.toSeconds() + " s); try again later");
                }
                pause(wait, deadline, method, path, "rate limited (429)");
                continue;
            }
            if (idempotent
                    && attempt < maxRetries
                    && (status == 500 || status == 502 || status == 503 || status == 504)) {
                pause(backoff(attempt), deadline, method, path, "answered " + status);
                continue;
            }
            throw failure(status, method, path, detail, attempt);
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(500L << Math.min(attempt, 6));
    }

    private void pause(Duration wait, Instant deadline, String method, String path, String why) {
        if (clock.instant().plus(wait).isAfter(deadline)) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    name() + ": " + method + " " + readable(path) + " " + why + " and waiting " + wait.toMillis()
                            + " ms to retry would pass the call's deadline");
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(Kind.TIMEOUT, name() + ": " + method + " " + readable(path) + " was cancelled");
        }
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().matches("^\\d{1,9}$")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.get())));
        }
        try {
            Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private GitLabApiException failure(int status, String method, String path, String detail, int attempts) {
        String where = name() + ": " + method + " " + readable(path);
        String suffix = detail.isEmpty() ? "" : " (" + detail + ")";
        return switch (status) {
            case 401 ->
                new GitLabApiException(
                        Kind.UNAVAILABLE,
                        status,
                        where + " was refused with 401: the access token" + " from "
                                + instance.token().describe() + " is missing, expired or revoked" + suffix);
            case 403 ->
                new GitLabApiException(
                        Kind.FORBIDDEN,
                        status,
                        where + " was refused with 403: the token's user"
                                + " lacks permission (or the token lacks the api/read_api scope)" + suffix);
            case 404 -> new GitLabApiException(Kind.NOT_FOUND, status, where + " does not exist (404)" + suffix);
            case 400, 409, 422 ->
                new GitLabApiException(Kind.INVALID_ARGUMENT, status, where + " was rejected with " + status + suffix);
            case 429 ->
                new GitLabApiException(
                        Kind.UNAVAILABLE,
                        status,
                        where + " is still rate limited (429) after " + attempts + " retries; try again later"
                                + suffix);
            default ->
                new GitLabApiException(
                        Kind.UNAVAILABLE,
                        status,
                        where + " failed with " + status
                                + (status >= 500 && attempts > 0 ? " after " + attempts + " retries" : "") + suffix);
        };
    }

    /** GitLab's error body is {@code {"message": "..."}} (or a map of field errors) or {@code {"error": "..."}}. */
    private String errorDetail(HttpResponse<InputStream> response) {
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(ERROR_BODY_CHARS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode node = json.readTree(text);
            JsonNode message = node.has("message") ? node.get("message") : node.get("error");
            if (message != null) {
                text = message.isString() ? message.asString() : message.toString();
            }
        } catch (JacksonException e) {
            // not JSON: keep the text
        }
        text = text.replaceAll("\\s+", " ").strip();
        return new Redactor(io.opsmcp.tools.gitlab.GitLabRedaction.RULES).cut(text, 301); // redacted before it is cut
    }

    private JsonNode readJson(HttpResponse<InputStream> response, String method, String path) {
        try (InputStream in = response.body()) {
            return json.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    name() + ": " + method + " " + readable(path) + " returned a body that is not JSON");
        }
    }

    private static String readable(String path) {
        return "/" + URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
