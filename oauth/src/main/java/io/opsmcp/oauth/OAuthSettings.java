package io.opsmcp.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The {@code oauth:} section of {@code ops-mcp.yaml}: ops-mcp as an OAuth 2.1 resource server that accepts bearer
 * JWT access tokens from one authorization server (MCP specification 2025-11-25, "Authorization"; RFC 9068 JWT
 * access tokens; RFC 9728 protected resource metadata).
 *
 * <pre>
 * oauth:
 *   issuer: https://idp.example.com/realms/ops        # exact "iss" of the tokens; https (http only on loopback)
 *   resource: https://ops.example.com/mcp             # this server's canonical URI (RFC 8707); the tokens' "aud"
 *   required_scopes: [ops-mcp]                        # every token must carry all of them (scope / scp claims)
 *   groups_claim: groups
 *   group_roles: {ops-oncall: [sre], ops-leads: [sre-lead]}
 * </pre>
 *
 * Every rule is checked here, so a bad section fails the start with {@code oauth.<key>: <rule>}.
 *
 * @param issuer           the authorization server's issuer identifier, compared exactly with {@code iss}
 * @param jwksUri          where its signing keys are (RFC 7517 JWK set); empty: discovered from the issuer's
 *                         metadata (RFC 8414 {@code /.well-known/oauth-authorization-server}, then OpenID Connect
 *                         Discovery {@code /.well-known/openid-configuration})
 * @param resource         this server's resource identifier, published in the protected resource metadata
 * @param audience         the {@code aud} value a token must carry; the resource unless the authorization server
 *                         names this server differently
 * @param algorithms       accepted JWS algorithms (asymmetric only: no {@code none}, no {@code HS*})
 * @param clockSkew        tolerance on {@code exp} and {@code nbf}
 * @param requiredScopes   scopes every token must carry
 * @param scopesSupported  scopes published in the metadata ({@code scopes_supported}); default the required ones
 * @param principalClaim   claim holding the principal id the policy and the audit see
 * @param rolesClaim       claim whose string values are roles as they are, if any
 * @param groupsClaim      claim whose values {@code groupRoles} maps to roles
 * @param groupRoles       group (claim value) to the roles it grants
 * @param requireAtJwt     accept only {@code typ: at+jwt} tokens (RFC 9068 §2.1); otherwise also {@code JWT} or none
 * @param maxTokenBytes    longer bearer values are refused before any parsing
 * @param jwks             key-set fetching bounds
 */
public record OAuthSettings(
        String issuer,
        Optional<URI> jwksUri,
        String resource,
        String audience,
        Set<JWSAlgorithm> algorithms,
        Duration clockSkew,
        List<String> requiredScopes,
        List<String> scopesSupported,
        String principalClaim,
        Optional<String> rolesClaim,
        String groupsClaim,
        Map<String, Set<String>> groupRoles,
        boolean requireAtJwt,
        int maxTokenBytes,
        Jwks jwks) {

    /** Asymmetric algorithms nimbus verifies without extra libraries; HS* needs a secret this server never holds. */
    public static final List<JWSAlgorithm> ASYMMETRIC = List.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    static final int MIN_TOKEN_BYTES = 512;
    static final int MAX_TOKEN_BYTES = 64 * 1024;
    private static final Pattern SCOPE = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("^127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$");
    private static final Pattern CLAIM = Pattern.compile("^[\\x21-\\x7E]{1,256}$");

    public OAuthSettings {
        requireServerUrl("issuer", issuer);
        jwksUri.ifPresent(u -> requireServerUrl("jwks_uri", u.toString()));
        requireServerUrl("resource", resource);
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("audience: must not be empty");
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: must name at least one of " + names(ASYMMETRIC));
        }
        for (JWSAlgorithm alg : algorithms) {
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException(
                        "algorithms: " + alg + " is not accepted; valid: " + names(ASYMMETRIC));
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock_skew: must be at most 5m");
        }
        for (String scope : requiredScopes) {
            requireScope("required_scopes", scope);
        }
        for (String scope : scopesSupported) {
            requireScope("scopes_supported", scope);
        }
        requireClaim("principal_claim", principalClaim);
        rolesClaim.ifPresent(c -> requireClaim("roles_claim", c));
        requireClaim("groups_claim", groupsClaim);
        groupRoles.forEach((group, roles) -> {
            if (group.isBlank() || roles.isEmpty() || roles.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(
                        "group_roles." + group + ": must map the group to one or more non-empty role names");
            }
        });
        if (maxTokenBytes < MIN_TOKEN_BYTES || maxTokenBytes > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException("max_token_bytes: must be " + MIN_TOKEN_BYTES + ".." + MAX_TOKEN_BYTES
                    + " (got " + maxTokenBytes + ")");
        }
        algorithms = Set.copyOf(algorithms);
        requiredScopes = List.copyOf(requiredScopes);
        scopesSupported = List.copyOf(scopesSupported);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        groupRoles.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        groupRoles = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Bounds of the JWK set fetch (nimbus {@code JWKSourceBuilder}).
     *
     * @param cacheTtl           how long a fetched key set is used before it is fetched again
     * @param refreshMinInterval at most two fetches per interval, also when tokens name unknown keys ({@code kid}):
     *                           a key rotation is picked up at once, a flood of made-up {@code kid}s costs nothing
     * @param timeout            connect and read timeout of each fetch (also of the metadata discovery)
     * @param maxBytes           largest key set or metadata document read
     */
    public record Jwks(Duration cacheTtl, Duration refreshMinInterval, Duration timeout, int maxBytes) {

        public static final Jwks DEFAULTS =
                new Jwks(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5), 64 * 1024);

        public Jwks {
            if (cacheTtl.compareTo(Duration.ofMinutes(1)) < 0 || cacheTtl.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("jwks.cache_ttl: must be 1m..24h");
            }
            if (refreshMinInterval.compareTo(Duration.ofSeconds(1)) < 0 || refreshMinInterval.compareTo(cacheTtl) > 0) {
                throw new IllegalArgumentException("jwks.refresh_min_interval: must be 1s..jwks.cache_ttl");
            }
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("jwks.timeout: must be 1s..30s");
            }
            if (maxBytes < 1024 || maxBytes > 1024 * 1024) {
                throw new IllegalArgumentException("jwks.max_bytes: must be 1024..1048576 (got " + maxBytes + ")");
            }
        }
    }

    /**
     * Reads the {@code oauth} section.
     *
     * @param tree the whole configuration document
     * @return empty when the section is absent (OAuth off: API keys or loopback only, as before)
     * @throws IllegalArgumentException {@code oauth.<key>: <rule>}, e.g.
     *                                  {@code oauth.issuer: must be an https URL (http only for a loopback host)}
     */
    public static Optional<OAuthSettings> fromConfig(JsonNode tree) {
        JsonNode section = tree.path("oauth");
        if (section.isMissingNode() || section.isNull()) {
            return Optional.empty();
        }
        File file = ConfigBinding.bind(section, "oauth", File.class);
        try {
            return Optional.of(file.settings());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("oauth." + e.getMessage(), e);
        }
    }

    /**
     * The section as written ({@code null}: not set), bound by {@link ConfigBinding} so that a misspelt key is an
     * error naming the valid ones.
     */
    public record File(
            String issuer,
            String jwksUri,
            String resource,
            String audience,
            List<String> algorithms,
            String clockSkew,
            List<String> requiredScopes,
            List<String> scopesSupported,
            String principalClaim,
            String rolesClaim,
            String groupsClaim,
            Map<String, JsonNode> groupRoles,
            Boolean requireAtJwt,
            Integer maxTokenBytes,
            JwksFile jwks) {

        OAuthSettings settings() {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("issuer: is required (the authorization server's issuer URL)");
            }
            if (resource == null || resource.isBlank()) {
                throw new IllegalArgumentException(
                        "resource: is required (this server's canonical URI, e.g. https://ops.example.com/mcp)");
            }
            Set<JWSAlgorithm> algs = new LinkedHashSet<>();
            for (String name : algorithms == null ? nameList(ASYMMETRIC) : algorithms) {
                algs.add(algorithm(name));
            }
            Map<String, Set<String>> groups = new LinkedHashMap<>();
            if (groupRoles != null) {
                groupRoles.forEach((group, roles) -> groups.put(group, roleList(group, roles)));
            }
            List<String> required = requiredScopes == null ? List.of() : requiredScopes;
            return new OAuthSettings(
                    issuer,
                    Optional.ofNullable(jwksUri).map(u -> uri("jwks_uri", u)),
                    resource,
                    audience == null ? resource : audience,
                    algs,
                    clockSkew == null ? Duration.ofSeconds(60) : Durations.parse("clock_skew", clockSkew),
                    required,
                    scopesSupported == null ? required : scopesSupported,
                    principalClaim == null ? "sub" : principalClaim,
                    Optional.ofNullable(rolesClaim),
                    groupsClaim == null ? "groups" : groupsClaim,
                    groups,
                    requireAtJwt != null && requireAtJwt,
                    maxTokenBytes == null ? 8192 : maxTokenBytes,
                    jwks == null ? Jwks.DEFAULTS : jwks.jwks());
        }
    }

    /**
     * {@code oauth.jwks} as written.
     *
     * @param cacheTtl           duration, default 5m
     * @param refreshMinInterval duration, default 30s
     * @param timeout            duration, default 5s
     * @param maxBytes           bytes, default 65536
     */
    public record JwksFile(String cacheTtl, String refreshMinInterval, String timeout, Integer maxBytes) {
        Jwks jwks() {
            Jwks d = Jwks.DEFAULTS;
            return new Jwks(
                    cacheTtl == null ? d.cacheTtl() : Durations.parse("jwks.cache_ttl", cacheTtl),
                    refreshMinInterval == null
                            ? d.refreshMinInterval()
                            : Durations.parse("jwks.refresh_min_interval", refreshMinInterval),
                    timeout == null ? d.timeout() : Durations.parse("jwks.timeout", timeout),
                    maxBytes == null ? d.maxBytes() : maxBytes);
        }
    }

    /**
     * The URL of this server's protected resource metadata, as {@code resource_metadata} in {@code WWW-Authenticate}:
     * {@code /.well-known/oauth-protected-resource} inserted between the resource's authority and its path
     * (RFC 9728 §3.1), e.g. {@code https://ops.example.com/.well-known/oauth-protected-resource/mcp}.
     */
    public String resourceMetadataUrl() {
        URI uri = URI.create(resource);
        return uri.getScheme() + "://" + uri.getRawAuthority() + ProtectedResourceMetadata.WELL_KNOWN + path(uri);
    }

    /** The resource's path without a trailing slash ({@code ""} for a bare origin). */
    static String path(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Set<String> roleList(String group, JsonNode roles) {
        Set<String> out = new LinkedHashSet<>();
        if (roles.isString()) {
            out.add(roles.asString());
        } else if (roles.isArray()) {
            for (JsonNode role : roles) {
                if (!role.isString()) {
                    throw new IllegalArgumentException("group_roles." + group + ": roles must be strings");
                }
                out.add(role.asString());
            }
        } else {
            throw new IllegalArgumentException("group_roles." + group + ": must be a role or a list of roles");
        }
        return out;
    }

    private static JWSAlgorithm algorithm(String name) {
        String upper = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("NONE")) {
            throw new IllegalArgumentException("algorithms: none is never accepted (an unsigned token proves nothing)");
        }
        if (upper.startsWith("HS")) {
            throw new IllegalArgumentException("algorithms: " + name + " needs a secret shared with the authorization"
                    + " server; ops-mcp verifies with its public keys only (" + names(ASYMMETRIC) + ")");
        }
        for (JWSAlgorithm alg : ASYMMETRIC) {
            if (alg.getName().equals(upper)) {
                return alg;
            }
        }
        throw new IllegalArgumentException("algorithms: unknown algorithm '" + name + "'; valid: " + names(ASYMMETRIC));
    }

    private static List<String> nameList(List<JWSAlgorithm> algs) {
        List<String> out = new ArrayList<>();
        algs.forEach(a -> out.add(a.getName()));
        return out;
    }

    private static String names(List<JWSAlgorithm> algs) {
        return String.join(", ", nameList(algs));
    }

    private static URI uri(String field, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + ": is not a URL (" + e.getReason() + ")");
        }
    }

    /** https, or http to a loopback host (a test or a sidecar): tokens and keys must not cross a network in clear. */
    private static void requireServerUrl(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        URI uri = uri(field, value);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + ": must be an absolute https URL such as https://host/path");
        }
        if (!secureOrLoopback(uri)) {
            throw new IllegalArgumentException(field + ": must be an https URL (http only for a loopback host)");
        }
        if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(field + ": must not have a query or a fragment");
        }
    }

    /** https, or http to a loopback host. */
    static boolean secureOrLoopback(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return uri.getHost() != null && (scheme.equals("https") || (scheme.equals("http") && loopback(uri.getHost())));
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.equals("[::1]")
                || h.equals("::1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }

    private static void requireScope(String field, String scope) {
        // RFC 6749 §3.3 scope-token characters; they also go into WWW-Authenticate quoted strings unescaped
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException(
                    field + ": '" + scope + "' is not a scope token (printable ASCII without spaces, quotes or \\)");
        }
    }

    private static void requireClaim(String field, String claim) {
        if (claim == null || !CLAIM.matcher(claim).matches()) {
            throw new IllegalArgumentException(field + ": must be a claim name (printable ASCII, no spaces)");
        }
    }
}
