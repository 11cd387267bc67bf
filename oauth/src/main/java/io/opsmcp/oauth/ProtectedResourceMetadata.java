package io.opsmcp.oauth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This server's OAuth 2.0 Protected Resource Metadata (RFC 9728), which MCP clients fetch to find the authorization
 * server (MCP specification 2025-11-25, "Authorization Server Discovery").
 *
 * <p>Served without authentication at {@value #WELL_KNOWN} and at the path-suffixed forms clients construct from
 * the resource's path (RFC 9728 §3.1; {@code /.well-known/oauth-protected-resource/mcp} for {@code …/mcp}).
 */
public final class ProtectedResourceMetadata {

    /** The well-known path prefix (RFC 9728 §3). */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final OAuthSettings settings;

    public ProtectedResourceMetadata(OAuthSettings settings) {
        this.settings = settings;
    }

    /**
     * The document (RFC 9728 §2): {@code resource}, {@code authorization_servers} (the one trusted issuer),
     * {@code scopes_supported} (when any), {@code bearer_methods_supported: ["header"]} (never the query string or
     * a form body), {@code resource_signing_alg_values_supported} is not published (this server signs nothing).
     */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", settings.resource());
        doc.put("authorization_servers", List.of(settings.issuer()));
        if (!settings.scopesSupported().isEmpty()) {
            doc.put("scopes_supported", settings.scopesSupported());
        }
        doc.put("bearer_methods_supported", List.of("header"));
        doc.put("resource_name", "ops-mcp");
        return doc;
    }

    /**
     * The request paths the document is served at: the root form, the form suffixed with the resource's own path
     * and the form for this server's MCP endpoint {@code mcpEndpoint} (clients probe it when they only know the
     * endpoint URL).
     */
    public Set<String> paths(String mcpEndpoint) {
        Set<String> paths = new LinkedHashSet<>();
        paths.add(WELL_KNOWN);
        String resourcePath = OAuthSettings.path(URI.create(settings.resource()));
        if (!resourcePath.isEmpty()) {
            paths.add(WELL_KNOWN + resourcePath);
        }
        paths.add(WELL_KNOWN + mcpEndpoint);
        return paths;
    }

    /** The URL of the document, for {@code resource_metadata} in challenges. */
    public String url() {
        return settings.resourceMetadataUrl();
    }
}
