package io.opsmcp.server.http;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.LogSetup;
import io.opsmcp.server.auth.HttpAuthFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the id of the principal {@link HttpAuthFilter} established into the SLF4J MDC ({@value LogSetup#PRINCIPAL})
 * for as long as the request is handled on this thread, so the HTTP layer's log lines (body limits, the approvals
 * API) name the caller too; the thread's previous MDC comes back afterwards. The id only: never the credential.
 * Tool calls add their request id in {@code GatewayToolAdapter}.
 */
public final class LogContextFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request.getAttribute(HttpAuthFilter.PRINCIPAL) instanceof Principal principal)) {
            chain.doFilter(request, response);
            return;
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(LogSetup.PRINCIPAL, principal.id());
        try {
            chain.doFilter(request, response);
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
