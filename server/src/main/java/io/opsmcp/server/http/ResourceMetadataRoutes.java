package io.opsmcp.server.http;

import io.opsmcp.oauth.ProtectedResourceMetadata;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /.well-known/oauth-protected-resource} and its path-suffixed forms (RFC 9728 §3): the document MCP
 * clients read to find the authorization server. {@link io.opsmcp.server.auth.HttpAuthFilter} lets these through
 * without credentials.
 */
final class ResourceMetadataRoutes {

    private ResourceMetadataRoutes() {}

    static RouterFunction<ServerResponse> routes(ProtectedResourceMetadata metadata) {
        String body = JsonMapper.builder().build().writeValueAsString(metadata.document());
        var builder = RouterFunctions.route();
        for (String path : metadata.paths(HttpTransport.MCP_ENDPOINT)) {
            builder.GET(
                    path,
                    request -> ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
                            .body(body));
        }
        return builder.build();
    }
}
