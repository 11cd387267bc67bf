package io.opsmcp.server.config;

import io.opsmcp.server.auth.ApiKeys;
import tools.jackson.databind.JsonNode;

/**
 * The loaded configuration.
 *
 * @param server the server's own settings
 * @param apiKeys HTTP API keys ({@code auth.api_keys}); empty when HTTP is loopback-only and unauthenticated
 * @param tree   the whole configuration document (with environment overrides applied), handed to toolset
 *               providers, which read their own sections
 * @param source where it came from, for messages: a file path or {@code built-in defaults}
 */
public record OpsMcpConfig(ServerSettings server, ApiKeys apiKeys, JsonNode tree, String source) {}
