package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.server.auth.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 9 (transport): a principal with no roles sends a 100 MB invalid {@code tools/call}, once with
 * {@code Content-Length} and once chunked, to a server in its own JVM. Each must be refused with 413 (a JSON-RPC
 * error on {@code /mcp}) while the body is being received, without the server reading the body whole: the
 * refused connection stops accepting bytes long before 100 MB, and the server's peak resident set
 * ({@code VmHWM}) grows by far less than the body. The server then goes on answering.
 */
class OversizedRequestsAreRefusedTest {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"adversary","version":"1"}}}""";
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void hundredMegabyteBodiesGet413WithoutBeingBuffered() throws Exception {
        String yaml = "auth:\n  api_keys:\n    - {principal: nobody, roles: [], sha256: "
                + ApiKeys.sha256Hex("nobody-key") + "}\n";
        try (ServerJvm server = ServerJvm.start(dir, yaml)) {
            HttpClient client = HttpClient.newHttpClient();
            String session = initialize(client, server.port());
            long before = server.procStatus("VmHWM");

            Outcome declared = send(server.port(), session, false);
            Outcome chunked = send(server.port(), session, true);
            long after = server.procStatus("VmHWM");
            System.out.printf(
                    "Content-Length 100 MB: status %d after %d bytes accepted; chunked 100 MB: status %d after"
                            + " %d bytes accepted%n",
                    declared.status, declared.accepted, chunked.status, chunked.accepted);
            System.out.printf(
                    "server peak RSS (VmHWM) before: %d MiB, after two 100 MB bodies: %d MiB (growth %d MiB)%n",
                    before / MIB, after / MIB, (after - before) / MIB);

            assertThat(declared.status).isEqualTo(413);
            assertThat(declared.response).contains("\"jsonrpc\":\"2.0\"").contains("max_request_bytes");
            assertThat(chunked.status).isEqualTo(413);
            assertThat(chunked.response).contains("\"jsonrpc\":\"2.0\"").contains("max_request_bytes");
            assertThat(declared.accepted)
                    .as("bytes the server let in before refusing")
                    .isLessThan(HUNDRED_MB / 2);
            assertThat(chunked.accepted).isLessThan(HUNDRED_MB / 2);
            assertThat(after - before).as("peak RSS growth").isLessThan(64 * MIB);

            // Just under the limit is accepted and answered; the server is unharmed.
            HttpResponse<String> ping = client.send(
                    post(
                            server.port(),
                            session,
                            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\",\"params\":{\"pad\":\""
                                    + "x".repeat(900_000) + "\"}}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body()).contains("\"id\":5");
        }
    }

    private static HttpRequest post(int port, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer nobody-key");
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return b.build();
    }

    private static String initialize(HttpClient client, int port) throws Exception {
        HttpResponse<String> init = client.send(post(port, null, INITIALIZE), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        client.send(
                post(port, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                HttpResponse.BodyHandlers.ofString());
        return session;
    }

    private record Outcome(int status, String response, long accepted) {}

    /**
     * Streams a 100 MB {@code tools/call} whose argument is one huge string; a reader collects the response in
     * parallel. Stops writing when the server closes the connection, or after 90 s.
     */
    private static Outcome send(int port, String session, boolean chunked) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            CompletableFuture<byte[]> response = CompletableFuture.supplyAsync(() -> readAll(socket));
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(90_000);
                    socket.close();
                } catch (InterruptedException | IOException e) {
                    // done in time
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            byte[] prefix =
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"host_exec\",\"arguments\":{\"command\":\""
                            .getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "\"}}}".getBytes(StandardCharsets.UTF_8);
            long total = HUNDRED_MB;
            String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nAuthorization: Bearer nobody-key\r\n"
                    + "Mcp-Session-Id: " + session + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + total + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            long accepted = 0;
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                byte[] filler = new byte[64 * 1024];
                Arrays.fill(filler, (byte) 'A');
                long sent = 0;
                while (sent < total) {
                    byte[] piece = sent == 0 ? prefix : total - sent <= suffix.length ? suffix : filler;
                    int len = (int) Math.min(piece.length, total - sent - (piece == filler ? suffix.length : 0));
                    if (len <= 0) {
                        piece = suffix;
                        len = (int) (total - sent);
                    }
                    if (chunked) {
                        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(piece, 0, len);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    sent += len;
                    accepted = sent;
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException e) {
                // the server closed the connection: the refusal we expect
            }
            byte[] bytes = response.get(95, TimeUnit.SECONDS);
            watchdog.interrupt();
            String text = new String(bytes, StandardCharsets.UTF_8);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Outcome(status, text, accepted);
        }
    }

    private static byte[] readAll(Socket socket) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                buffer.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // reset or closed after the response: keep what arrived
        }
        return buffer.toByteArray();
    }
}
