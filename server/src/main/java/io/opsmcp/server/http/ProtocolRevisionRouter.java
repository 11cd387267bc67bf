package io.opsmcp.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves two protocol revisions at one endpoint: a {@code POST} {@value HttpTransport#MCP_ENDPOINT} that is a
 * 2026-07-28 message goes to the modern transport (the MCP Java SDK's {@code HttpServletMcpTransport}); everything
 * else ({@code initialize}, session traffic, {@code GET}/{@code DELETE}) continues to the 2025-11-25 transport.
 *
 * <p>A message is 2026-07-28 when it claims the revision the way that revision requires of every request:
 * {@code params._meta["io.modelcontextprotocol/protocolVersion"]} is a non-blank string — or when its method is
 * {@code server/discover}, which only that revision has (so a probe without the claim gets the modern server's
 * "params._meta is required" rather than "method not found"). A 2025-11-25 client never sends either: its
 * {@code initialize} carries {@code params.protocolVersion}, not the {@code _meta} claim. The body is read once
 * (after {@link RequestLimitsFilter}, which bounds it) and replayed to whichever transport takes it; a body that is
 * not JSON goes to the legacy transport, which answers the parse error as before. A 2025-11-25 request in an
 * established session is first offered to the streamable transport's direct path ({@link
 * PrincipalBoundStreamableTransport#answerDirectly}), which answers it without Spring MVC or passes.
 */
final class ProtocolRevisionRouter implements Filter {

    static final String VERSION_CLAIM = "io.modelcontextprotocol/protocolVersion";
    private static final byte[] CLAIM_BYTES = VERSION_CLAIM.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISCOVER_BYTES = "server/discover".getBytes(StandardCharsets.US_ASCII);

    /** Answers a legacy-revision {@code POST} directly, or returns {@code false} having written nothing. */
    @FunctionalInterface
    interface DirectAnswer {
        boolean answer(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException;
    }

    private final HttpServlet modern;
    private final JsonMapper json;
    private final DirectAnswer direct;

    ProtocolRevisionRouter(HttpServlet modern, JsonMapper json) {
        this(modern, json, (request, response, body) -> false);
    }

    ProtocolRevisionRouter(HttpServlet modern, JsonMapper json, DirectAnswer direct) {
        this.modern = modern;
        this.json = json;
        this.direct = direct;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest http)
                || !"POST".equals(http.getMethod())
                || !HttpTransport.MCP_ENDPOINT.equals(http.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        byte[] body = RequestLimitsFilter.body(http);
        HttpServletRequest replay = new Replay(http, body);
        if (isModern(body)) {
            modern.service(replay, res);
        } else if (!direct.answer(http, (HttpServletResponse) res, body)) {
            chain.doFilter(replay, res);
        }
    }

    /** Whether {@code body} is a 2026-07-28 message (see the class comment). */
    boolean isModern(byte[] body) {
        // Without an escape sequence JSON spells a name or string only literally: a body that holds neither the
        // claim's key nor "server/discover" makes no claim and needs no parse (every legacy message on the way).
        if (indexOf(body, (byte) '\\') < 0 && !contains(body, CLAIM_BYTES) && !contains(body, DISCOVER_BYTES)) {
            return false;
        }
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (JacksonException e) {
            return false;
        }
        if (message == null || !message.isObject()) {
            return false;
        }
        if ("server/discover".equals(message.path("method").asString(""))) {
            return true;
        }
        JsonNode claim = message.path("params").path("_meta").path(VERSION_CLAIM);
        return claim.isString() && !claim.asString().isBlank();
    }

    private static int indexOf(byte[] body, byte b) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(byte[] body, byte[] part) {
        outer:
        for (int i = 0, last = body.length - part.length; i <= last; i++) {
            for (int j = 0; j < part.length; j++) {
                if (body[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The request with its body, already read, offered again. */
    private static final class Replay extends HttpServletRequestWrapper {

        private final byte[] body;

        Replay(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
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
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
