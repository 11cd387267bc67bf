package io.opsmcp.server.http;

import io.opsmcp.alerts.hooks.WebhookResponse;
import io.opsmcp.alerts.hooks.Webhooks;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code POST /hooks/{receiver}}: hands the request to the alert receivers ({@link Webhooks}), which authenticate
 * it themselves (the API-key and OAuth filter lets {@code /hooks/} through without a principal; Host and body
 * limits still apply), and sends back their status and JSON answer.
 */
final class WebhookRoutes {

    private WebhookRoutes() {}

    static RouterFunction<ServerResponse> routes(Webhooks webhooks) {
        return RouterFunctions.route()
                .route(request -> request.path().startsWith(Webhooks.PREFIX), request -> {
                    HttpServletRequest servlet = request.servletRequest();
                    WebhookResponse answer;
                    try {
                        answer = webhooks.handle(
                                Refusal.pathOf(servlet),
                                servlet.getMethod(),
                                servlet::getHeader,
                                servlet.getContentLengthLong(),
                                servlet.getInputStream(),
                                servlet.getRemoteAddr());
                    } catch (IOException e) {
                        return ServerResponse.badRequest().build();
                    }
                    return ServerResponse.status(answer.status())
                            .contentType(MediaType.APPLICATION_JSON)
                            .header("Cache-Control", "no-store")
                            .body(answer.body().toString());
                })
                .build();
    }
}
