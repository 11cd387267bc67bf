package io.opsmcp.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.opsmcp.core.tool.Principal;
import java.io.Closeable;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates bearer JWT access tokens (RFC 9068) for this resource server with nimbus-jose-jwt, as the MCP
 * specification requires (2025-11-25, "Token Handling": OAuth 2.1 §5.2 validation, audience bound to this server,
 * no other tokens accepted), and maps a valid one to the {@link Principal} the policy and the audit see.
 *
 * <p>In order, each failing closed: the length ({@link OAuthSettings#maxTokenBytes()}, before any parsing); the
 * JWS compact form (unsigned {@code alg: none} and encrypted tokens are refused); the header {@code alg} against
 * the allow-list (so an {@code HS256} token "signed" with the public key is refused before any key is looked up);
 * {@code typ}; the signature with the issuer's key named by {@code kid} from its JWK set (an unknown {@code kid}
 * refreshes the cached set once, rate-limited: key rotation; keys embedded in the token, {@code jwk}/{@code jku}/
 * {@code x5u}, are never used); {@code iss} exactly, {@code aud} containing the audience, {@code exp} and
 * {@code nbf} within the clock skew; the principal claim; the required scopes.
 *
 * <p>Descriptions of refusals are fixed texts: nothing from the token (which an attacker wrote, and which may be
 * a live credential) reaches a response or a log line.
 */
public final class BearerTokenValidator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenValidator.class);
    private static final Pattern JWS_COMPACT = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");
    private static final int MAX_PRINCIPAL_LENGTH = 256;

    private final OAuthSettings settings;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Set<String> requiredClaims;

    /** A validator using the system clock. */
    public BearerTokenValidator(OAuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param clock the time {@code exp} and {@code nbf} are compared with
     */
    public BearerTokenValidator(OAuthSettings settings, Clock clock) {
        this.settings = settings;
        OAuthSettings.Jwks bounds = settings.jwks();
        int timeout = (int) bounds.timeout().toMillis();
        DefaultResourceRetriever retriever = new NoRedirects(timeout, bounds.maxBytes());
        this.keys = JWKSourceBuilder.create(new IssuerKeySource(settings, retriever))
                .cache(bounds.cacheTtl().toMillis(), bounds.timeout().toMillis())
                .rateLimited(bounds.refreshMinInterval().toMillis())
                .refreshAheadCache(false)
                .retrying(false)
                .outageTolerant(false)
                .build();
        this.requiredClaims = Set.of("iss", "aud", "exp", settings.principalClaim());
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(
                        Set.of(settings.audience()),
                        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                        requiredClaims,
                        Set.of()) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        JOSEObjectType atJwt = new JOSEObjectType("at+jwt");
        JOSEObjectType applicationAtJwt = new JOSEObjectType("application/at+jwt");
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(
                settings.requireAtJwt()
                        ? new DefaultJOSEObjectTypeVerifier<>(atJwt, applicationAtJwt)
                        : new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, atJwt, applicationAtJwt, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.algorithms(), keys));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The settings this validator enforces. */
    public OAuthSettings settings() {
        return settings;
    }

    /**
     * Whether a bearer value has the JWS compact form (three base64url parts, the last possibly empty as in an
     * unsigned token): such values are access tokens for this validator, others are API keys.
     */
    public static boolean looksLikeJwt(String bearer) {
        return JWS_COMPACT.matcher(bearer).matches();
    }

    /**
     * Validates one bearer token.
     *
     * @param token the value after {@code Bearer } in the {@code Authorization} header
     * @return {@link TokenResult.Accepted} or {@link TokenResult.Rejected} with a fixed description; never throws
     *         for a bad token
     */
    public TokenResult validate(String token) {
        if (token.length() > settings.maxTokenBytes()) {
            return reject(BearerError.INVALID_TOKEN, "the token is larger than this server accepts");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return reject(BearerError.INVALID_TOKEN, "the token is not a well-formed JWT");
        }
        if (jwt instanceof PlainJWT) {
            return reject(BearerError.INVALID_TOKEN, "unsigned tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return reject(BearerError.INVALID_TOKEN, "encrypted tokens are not accepted");
        }
        if (!settings.algorithms().contains(signed.getHeader().getAlgorithm())) {
            return reject(BearerError.INVALID_TOKEN, "the token's signature algorithm is not accepted");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJWTException e) {
            return reject(BearerError.INVALID_TOKEN, claimsProblem(e, signed));
        } catch (BadJOSEException e) {
            return reject(BearerError.INVALID_TOKEN, joseProblem(e));
        } catch (RateLimitReachedException e) {
            // an unknown kid while the key set was refreshed moments ago: not one of the issuer's keys
            return reject(BearerError.INVALID_TOKEN, "the token's signing key is not one of the issuer's");
        } catch (KeySourceException e) {
            log.warn("oauth: the signing keys of {} are unavailable: {}", settings.issuer(), e.getMessage());
            return reject(BearerError.KEYS_UNAVAILABLE, "the authorization server's signing keys are unavailable");
        } catch (JOSEException e) {
            return reject(BearerError.INVALID_TOKEN, "the token could not be verified");
        }
        return accept(claims);
    }

    private TokenResult accept(JWTClaimsSet claims) {
        Object id = claims.getClaim(settings.principalClaim());
        if (!(id instanceof String principalId)
                || principalId.isBlank()
                || principalId.length() > MAX_PRINCIPAL_LENGTH
                || principalId.chars().anyMatch(Character::isISOControl)) {
            return reject(BearerError.INVALID_TOKEN, "the token's principal claim is not a usable identity");
        }
        Set<String> scopes = scopes(claims);
        if (!scopes.containsAll(settings.requiredScopes())) {
            return reject(BearerError.INSUFFICIENT_SCOPE, "the token lacks a scope this server requires");
        }
        Set<String> roles = new LinkedHashSet<>();
        settings.rolesClaim().ifPresent(claim -> roles.addAll(strings(claim(claims, claim))));
        if (!settings.groupRoles().isEmpty()) {
            for (String group : strings(claim(claims, settings.groupsClaim()))) {
                roles.addAll(settings.groupRoles().getOrDefault(group, Set.of()));
            }
        }
        roles.removeIf(r -> r.isBlank() || r.chars().anyMatch(Character::isISOControl));
        return new TokenResult.Accepted(new Principal(principalId, roles, "oauth"), scopes);
    }

    /** {@code scope} (RFC 9068 §2.2.3: space-separated) and {@code scp} (a list or a string, as some IdPs send). */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : List.of("scope", "scp")) {
            for (String value : strings(claims.getClaim(name))) {
                for (String part : value.split(" ")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A claim by name, or by a dotted path into nested objects ({@code realm_access.roles}) when no top-level claim
     * has the whole name (names such as {@code https://example.com/roles} contain dots themselves).
     */
    static Object claim(JWTClaimsSet claims, String name) {
        Object direct = claims.getClaim(name);
        if (direct != null || !name.contains(".")) {
            return direct;
        }
        Object node = claims.getClaims();
        for (String part : name.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> {
                if (v instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    private String claimsProblem(BadJWTException e, SignedJWT jwt) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Expired JWT")) {
            return "the token has expired";
        }
        if (message.startsWith("JWT before use time")) {
            return "the token is not valid yet (nbf)";
        }
        if (message.contains(" aud ")) {
            return "the token was not issued for this server (aud)";
        }
        if (message.contains(" iss ")) {
            return "the token was not issued by the trusted authorization server (iss)";
        }
        if (message.startsWith("JWT missing required claims")) {
            List<String> missing = new ArrayList<>();
            try {
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                requiredClaims.stream()
                        .sorted()
                        .filter(c -> claims.getClaim(c) == null)
                        .forEach(missing::add);
            } catch (ParseException ignored) {
                // the processor parsed the claims already
            }
            // claim names are this server's configuration, not the token's
            return "the token lacks a required claim (" + String.join(" ", missing) + ")";
        }
        return "the token's claims are not acceptable";
    }

    private static String joseProblem(BadJOSEException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Invalid signature")) {
            return "the token signature does not verify";
        }
        if (message.contains("no matching key")) {
            return "the token's signing key is not one of the issuer's";
        }
        if (message.contains("typ")) {
            return "the token type (typ) is not accepted";
        }
        return "the token could not be verified";
    }

    /**
     * Fetches key sets and metadata without following redirects: the configured (or discovered) URL is the trust
     * anchor for the keys, and a redirect is answered as the failure it is for this purpose.
     */
    private static final class NoRedirects extends DefaultResourceRetriever {
        NoRedirects(int timeoutMs, int maxBytes) {
            super(timeoutMs, timeoutMs, maxBytes);
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            HttpURLConnection connection = super.openHTTPConnection(url);
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }

    private static TokenResult.Rejected reject(BearerError error, String description) {
        log.debug("oauth: bearer token refused: {}", description);
        return new TokenResult.Rejected(error, description);
    }

    @Override
    public void close() {
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                log.debug("oauth: closing the key source: {}", e.getMessage());
            }
        }
    }
}
