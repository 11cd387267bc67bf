package io.opsmcp.server.adversarial;

import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real ops-mcp HTTP server (the runtime and {@link HttpTransport} that {@code ops-mcp serve --transport http}
 * starts) on a random 127.0.0.1 port, with helpers that speak to it the way an attacker would: plain
 * {@link HttpClient} requests, and raw sockets for headers {@link HttpClient} refuses to forge ({@code Host}).
 */
final class HttpTarget implements AutoCloseable {

    static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"adversary","version":"1"}}}""";

    final OpsMcpRuntime runtime;
    final HttpTransport http;
    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpTarget(OpsMcpRuntime runtime, HttpTransport http) {
        this.runtime = runtime;
        this.http = http;
    }

    /** Starts the server with {@code yaml} as its configuration file, data under {@code dir}, no toolsets. */
    static HttpTarget start(Path dir, String yaml) throws IOException {
        return start(dir, yaml, List.of());
    }

    /**
     * As {@link #start(Path, String)} with {@code toolsets} ({@code --toolsets}; {@code null}: the file's
     * {@code toolsets:}).
     */
    static HttpTarget start(Path dir, String yaml, List<String> toolsets) throws IOException {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, yaml);
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("http", null, 0, toolsets, false, "warn", dir.resolve("data")));
        OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
        try {
            return new HttpTarget(runtime, HttpTransport.start(runtime));
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** One {@code auth.api_keys} entry, e.g. {@code key("bob", "sre-lead", "bob-key")}; roles comma-separated. */
    static String key(String principal, String roles, String key) {
        return "    - {principal: " + principal + ", roles: [" + roles + "], sha256: " + ApiKeys.sha256Hex(key) + "}\n";
    }

    int port() {
        return http.port();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** A request with the given headers (name, value, name, value, …) and body ({@code null}: none). */
    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An MCP {@code initialize} by the holder of {@code key}; returns the new session id. */
    String initialize(String key) throws Exception {
        HttpResponse<String> init = send("POST", "/mcp", INITIALIZE, mcpHeaders(key, null));
        if (init.statusCode() != 200) {
            throw new IllegalStateException("initialize failed: " + init.statusCode() + " " + init.body());
        }
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        send(
                "POST",
                "/mcp",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                mcpHeaders(key, session));
        return session;
    }

    /** Headers of a streamable-HTTP POST; {@code key} and {@code session} may be {@code null}. */
    static String[] mcpHeaders(String key, String session) {
        List<String> h = new java.util.ArrayList<>(
                List.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));
        if (key != null) {
            h.addAll(List.of("Authorization", "Bearer " + key));
        }
        if (session != null) {
            h.addAll(List.of("Mcp-Session-Id", session));
        }
        return h.toArray(String[]::new);
    }

    /** A raw HTTP/1.1 exchange: {@code head} without the final blank line; reads until the server closes. */
    Raw raw(String head, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            String fullHead = head.strip() + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
            out.write(fullHead.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return Raw.parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                buffer.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer; a reset after it does not matter here
        }
        return buffer.toByteArray();
    }

    @Override
    public void close() {
        http.close();
        runtime.close();
    }

    /** Status and body of a raw exchange (body still chunk-encoded if the server chunked it). */
    record Raw(int status, String text) {
        static Raw parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Raw(-1, text);
            }
            return new Raw(Integer.parseInt(text.substring(9, 12)), text);
        }
    }
}
