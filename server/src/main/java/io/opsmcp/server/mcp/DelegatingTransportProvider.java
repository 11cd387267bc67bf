package io.opsmcp.server.mcp;

import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Base of the server's wrappers around an MCP SDK transport provider (principal-bound HTTP sessions, serialized stdio
 * sends): everything except the session factory, which each wrapper decorates, passes through to the wrapped
 * provider.
 *
 * @param <P> the wrapped provider's type
 */
public abstract class DelegatingTransportProvider<P extends McpServerTransportProviderBase>
        implements McpServerTransportProviderBase {

    /** The wrapped provider. */
    protected final P delegate;

    protected DelegatingTransportProvider(P delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return delegate.notifyClients(method, params);
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        return delegate.notifyClient(sessionId, method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
