package io.opsmcp.server.config;

import io.opsmcp.oauth.OAuthSettings;
import io.opsmcp.server.auth.ApiKeys;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The loaded configuration.
 *
 * @param server the server's own settings
 * @param apiKeys HTTP API keys ({@code auth.api_keys}); empty when HTTP is loopback-only and unauthenticated
 * @param tree   the whole configuration document (with environment overrides applied), handed to toolset
 *               providers, which read their own sections
 * @param source where it came from, for messages: a file path or {@code built-in defaults}
 * @param oauth  OAuth 2.1 bearer tokens ({@code oauth}); empty when not configured
 */
public record OpsMcpConfig(
        ServerSettings server, ApiKeys apiKeys, JsonNode tree, String source, Optional<OAuthSettings> oauth) {

    /** Whether HTTP clients must authenticate (API keys or OAuth): only then may HTTP bind beyond loopback. */
    public boolean authenticated() {
        return !apiKeys.isEmpty() || oauth.isPresent();
    }
}
