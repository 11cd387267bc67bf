package io.opsmcp.server.ui;

import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ui:} section of {@code ops-mcp.yaml}: the approval page at {@code /ui/approvals} on the HTTP transport.
 *
 * <pre>
 * ui:
 *   public_url: https://ops.example.com   # how browsers reach this server: links in notifications, OIDC redirect
 *   session_ttl: 8h                      # a sign-in lasts this long (then sign in again)
 *   api_key_sign_in: true                # sign in with an API key (default: only on a loopback bind)
 *   oidc:                                # sign in at the oauth.issuer (authorization code + PKCE)
 *     client_id: ops-mcp-ui
 *     client_secret_env: OPS_MCP_UI_CLIENT_SECRET   # a confidential client; omit for a public one
 *     scopes: [openid, ops-mcp]
 * </pre>
 *
 * @param publicUrl     the server's origin as browsers see it (no path), or empty: {@code http://127.0.0.1:<port>}
 *                      on a loopback bind
 * @param sessionTtl    how long a sign-in lasts
 * @param apiKeySignIn  whether an API key signs in (empty: only when bound to loopback)
 * @param oidc          the OIDC client, when signing in at the issuer is configured
 */
public record UiSettings(
        Optional<URI> publicUrl, Duration sessionTtl, Optional<Boolean> apiKeySignIn, Optional<Oidc> oidc) {

    /**
     * The OIDC client of the approval page (OpenID Connect Core 1.0 §3.1, authorization code flow; RFC 7636 PKCE).
     *
     * @param clientId     the client id registered at the issuer
     * @param clientSecret its secret for a confidential client (sent as client_secret_basic), or empty
     * @param scopes       requested scopes
     */
    public record Oidc(String clientId, Optional<String> clientSecret, List<String> scopes) {
        @Override
        public String toString() {
            return "Oidc[" + clientId + ", " + scopes + "]"; // never the secret
        }
    }

    /** As written. */
    public record File(String publicUrl, String sessionTtl, Boolean apiKeySignIn, OidcFile oidc) {}

    /** {@code ui.oidc} as written; the secret only from the environment. */
    public record OidcFile(String clientId, String clientSecretEnv, List<String> scopes) {}

    /** Defaults: no public URL, 8 h sessions, API-key sign-in on loopback only, no OIDC. */
    public static final UiSettings DEFAULTS =
            new UiSettings(Optional.empty(), Duration.ofHours(8), Optional.empty(), Optional.empty());

    /**
     * Reads {@code ui} from the configuration tree.
     *
     * @throws IllegalArgumentException naming the field and the rule
     */
    public static UiSettings fromConfig(JsonNode tree, Map<String, String> env) {
        JsonNode section = tree == null ? null : tree.path("ui");
        if (section == null || section.isMissingNode() || section.isNull()) {
            return DEFAULTS;
        }
        File file = ConfigBinding.bind(section, "ui", File.class);
        Optional<URI> publicUrl = Optional.empty();
        if (file.publicUrl() != null) {
            try {
                URI uri = new URI(file.publicUrl().replaceAll("/+$", ""));
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                        || uri.getHost() == null
                        || uri.getUserInfo() != null
                        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                        || uri.getQuery() != null
                        || uri.getFragment() != null) {
                    throw new URISyntaxException(file.publicUrl(), "not an origin");
                }
                publicUrl = Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "ui.public_url: must be an http(s) origin without path, e.g. https://ops.example.com");
            }
        }
        Duration ttl = Durations.parse("ui.session_ttl", file.sessionTtl() == null ? "8h" : file.sessionTtl());
        if (ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("ui.session_ttl: must be at most 1d (a sign-in is not a remember-me)");
        }
        Optional<Oidc> oidc = Optional.empty();
        if (file.oidc() != null) {
            OidcFile o = file.oidc();
            if (o.clientId() == null || o.clientId().isBlank()) {
                throw new IllegalArgumentException("ui.oidc.client_id: required");
            }
            Optional<String> secret = Optional.empty();
            if (o.clientSecretEnv() != null) {
                String value = env.get(o.clientSecretEnv());
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(
                            "ui.oidc.client_secret_env: environment variable " + o.clientSecretEnv() + " is not set");
                }
                secret = Optional.of(value);
            }
            List<String> scopes = o.scopes() == null ? List.of("openid") : List.copyOf(o.scopes());
            oidc = Optional.of(new Oidc(o.clientId(), secret, scopes));
        }
        return new UiSettings(publicUrl, ttl, Optional.ofNullable(file.apiKeySignIn()), oidc);
    }
}
