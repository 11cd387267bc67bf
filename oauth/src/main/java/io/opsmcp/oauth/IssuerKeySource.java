package io.opsmcp.oauth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization server's JWK set, fetched from {@code oauth.jwks_uri} or, when that is not configured, from the
 * {@code jwks_uri} of the issuer's metadata. Discovery happens at the first fetch, not at start, so ops-mcp starts
 * while the authorization server is down (tokens are refused until it answers), and is retried at the next
 * (rate-limited) fetch until it succeeds.
 *
 * <p>Metadata locations, in the order the MCP specification (2025-11-25, "Authorization Server Metadata
 * Discovery") gives clients: RFC 8414 {@code /.well-known/oauth-authorization-server} inserted before the issuer's
 * path, OpenID Connect Discovery {@code /.well-known/openid-configuration} inserted, then appended. A document
 * counts only if its {@code issuer} is exactly the configured one (RFC 8414 §3.3) and its {@code jwks_uri} is https
 * (http only on loopback). Caching and rate limiting are nimbus's, layered on top by {@link BearerTokenValidator}.
 */
final class IssuerKeySource implements JWKSetSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(IssuerKeySource.class);

    private final OAuthSettings settings;
    private final ResourceRetriever retriever;
    private volatile URLBasedJWKSetSource<SecurityContext> keys;

    IssuerKeySource(OAuthSettings settings, ResourceRetriever retriever) {
        this.settings = settings;
        this.retriever = retriever;
        settings.jwksUri().ifPresent(uri -> keys = new URLBasedJWKSetSource<>(url(uri), retriever));
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        return keys().getJWKSet(refreshEvaluator, currentTime, context);
    }

    private synchronized URLBasedJWKSetSource<SecurityContext> keys() throws KeySourceException {
        if (keys == null) {
            URI jwksUri = discover();
            keys = new URLBasedJWKSetSource<>(url(jwksUri), retriever);
        }
        return keys;
    }

    /** Candidate metadata URLs for the issuer, in the MCP specification's order. */
    static List<URI> metadataUrls(String issuer) {
        URI uri = URI.create(issuer);
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = OAuthSettings.path(uri);
        List<URI> out = new ArrayList<>();
        out.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
        if (!path.isEmpty()) {
            out.add(URI.create(origin + "/.well-known/openid-configuration" + path));
        }
        out.add(URI.create(origin + path + "/.well-known/openid-configuration"));
        return out;
    }

    private URI discover() throws KeySourceException {
        List<String> tried = new ArrayList<>();
        for (URI candidate : metadataUrls(settings.issuer())) {
            try {
                String body = retriever.retrieveResource(url(candidate)).getContent();
                Map<String, Object> doc = JSONObjectUtils.parse(body);
                Optional<URI> jwksUri = jwksUri(doc);
                if (jwksUri.isPresent()) {
                    log.info("oauth: signing keys of {} at {} (from {})", settings.issuer(), jwksUri.get(), candidate);
                    return jwksUri.get();
                }
                tried.add(candidate + ": issuer differs from oauth.issuer or no usable jwks_uri");
            } catch (IOException | ParseException e) {
                tried.add(candidate + ": " + e.getMessage());
            }
        }
        log.warn("oauth: no authorization server metadata for {}: {}", settings.issuer(), tried);
        throw new KeySourceException("no authorization server metadata found for the issuer");
    }

    private Optional<URI> jwksUri(Map<String, Object> doc) {
        if (!settings.issuer().equals(doc.get("issuer")) || !(doc.get("jwks_uri") instanceof String jwks)) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(jwks);
            if (OAuthSettings.secureOrLoopback(uri)) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // not a URI: the document does not count
        }
        return Optional.empty();
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (keys != null) {
            keys.close();
        }
    }
}
