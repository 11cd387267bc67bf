package io.opsmcp.server.http;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.auth.HttpAuthFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds what one request body may cost, after {@link HttpAuthFilter} (so only authenticated callers get here
 * with a body) and before any handler sees the request. The body is read here, into memory, under three rules:
 * <ul>
 *   <li>at most {@link HttpLimits#maxRequestBytes()} bytes: a larger {@code Content-Length} gets 413 before a
 *       byte is read; a chunked body gets 413 the moment it passes the limit, so an oversized body is never
 *       buffered whole;</li>
 *   <li>the whole body within {@link HttpLimits#readTimeout()} (408 otherwise): Tomcat's timeout bounds each
 *       read, this bounds a body trickled a byte at a time;</li>
 *   <li>at most {@link HttpLimits#maxPendingBodiesPerClient()} bodies of one principal being read at once; a further
 *       one waits up to a second for a slot, then gets 429 with {@code Retry-After}. A client trickling bodies
 *       ties up that many worker threads at most, and slows only itself.</li>
 * </ul>
 * Handlers then read the cached body. Refused requests get a JSON-RPC error on the MCP endpoints ({@link Refusal}).
 */
final class RequestLimitsFilter implements Filter {

    private final HttpLimits limits;
    /** One semaphore per principal; principals come from the configuration, so the map stays small. */
    private final Map<String, Semaphore> readers = new ConcurrentHashMap<>();

    RequestLimitsFilter(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long declared = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(req, res);
            return;
        }
        if (declared > limits.maxRequestBytes()) {
            tooLarge(request, response);
            return;
        }
        Semaphore slots =
                readers.computeIfAbsent(clientKey(request), k -> new Semaphore(limits.maxPendingBodiesPerClient()));
        byte[] body;
        try {
            if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                Refusal.send(
                        request,
                        response,
                        429,
                        "too_many_requests",
                        "more than " + limits.maxPendingBodiesPerClient()
                                + " request bodies of this client being received at once (http.max_pending_bodies_per_client);"
                                + " retry later",
                        Map.of("Retry-After", "1"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a request slot", e);
        }
        try {
            body = chunked ? read(request, response) : read(request, response, (int) declared);
        } catch (IOException e) {
            // A read timed out (Tomcat's read timeout) or the client went away: answer 408 if still possible.
            if (!response.isCommitted()) {
                try {
                    timedOut(request, response);
                } catch (IOException | IllegalStateException ignored) {
                    // the connection is gone; nothing to answer
                }
            }
            return;
        } finally {
            slots.release();
        }
        if (body != null) {
            chain.doFilter(new CachedBody(request, body), res);
        }
    }

    /**
     * The whole body of a request that declared its {@code Content-Length} (at most the limit, checked before), or
     * {@code null} when it was refused (408): read into an array of that length, with no buffer to grow and copy.
     * A body that ends early is returned as far as it came (Tomcat reads no byte past the declared length).
     */
    private byte[] read(HttpServletRequest request, HttpServletResponse response, int declared) throws IOException {
        long deadline = System.nanoTime() + limits.readTimeout().toNanos();
        byte[] body = new byte[declared];
        InputStream in = request.getInputStream();
        int length = 0;
        while (length < declared) {
            int n = in.read(body, length, declared - length);
            if (n < 0) {
                return Arrays.copyOf(body, length);
            }
            length += n;
            if (System.nanoTime() - deadline > 0) {
                timedOut(request, response);
                return null;
            }
        }
        return body;
    }

    /**
     * The body of {@code request} as this filter read it (the same array, not a copy: callers must not change it),
     * or, for a request it did not read (no body declared), what its stream holds.
     */
    static byte[] body(HttpServletRequest request) throws IOException {
        return request instanceof CachedBody cached
                ? cached.body
                : request.getInputStream().readAllBytes();
    }

    /** The whole chunked body, or {@code null} when the request was refused (413, 408). */
    private byte[] read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long deadline = System.nanoTime() + limits.readTimeout().toNanos();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = request.getInputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (body.size() + (long) n > limits.maxRequestBytes()) {
                tooLarge(request, response);
                return null;
            }
            body.write(buffer, 0, n);
            if (System.nanoTime() - deadline > 0) {
                timedOut(request, response);
                return null;
            }
        }
        return body.toByteArray();
    }

    private void timedOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Refusal.send(
                request,
                response,
                HttpServletResponse.SC_REQUEST_TIMEOUT,
                "request_timeout",
                "the request body did not arrive within http.read_timeout_seconds ("
                        + limits.readTimeout().toSeconds() + " s)",
                Map.of());
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Refusal.send(
                request,
                response,
                HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                "payload_too_large",
                "request body exceeds http.max_request_bytes (" + limits.maxRequestBytes() + " bytes)",
                Map.of());
    }

    private static String clientKey(HttpServletRequest request) {
        return request.getAttribute(HttpAuthFilter.PRINCIPAL) instanceof Principal p
                ? p.auth() + ":" + p.id()
                : "anonymous";
    }

    /** A request whose body (within the limit) was read by the filter. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was already read; non-blocking reads do not apply");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
