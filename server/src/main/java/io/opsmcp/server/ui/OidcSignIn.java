package io.opsmcp.server.ui;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.oauth.BearerTokenValidator;
import io.opsmcp.oauth.OAuthSettings;
import io.opsmcp.oauth.TokenResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signing in to the approval page at the {@code oauth.issuer}: the authorization code flow (OpenID Connect Core
 * 1.0 §3.1; OAuth 2.1 §4.1) with PKCE S256 (RFC 7636) and the {@code resource} parameter (RFC 8707), so the
 * access token that comes back is one for this server. That access token is then checked by the same
 * {@link BearerTokenValidator} as every bearer token on {@code /mcp} and {@code /approvals} (signature, issuer,
 * audience, expiry, scopes) and mapped to the same principal and roles: an approver has the same rights in the
 * browser as with the API. The endpoints come from the issuer's OpenID Connect Discovery document (or RFC 8414
 * metadata), fetched once.
 */
final class OidcSignIn implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final OAuthSettings oauth;
    private final UiSettings.Oidc client;
    private final BearerTokenValidator validator;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile JsonNode metadata;

    OidcSignIn(OAuthSettings oauth, UiSettings.Oidc client) {
        this.oauth = oauth;
        this.client = client;
        this.validator = new BearerTokenValidator(oauth);
    }

    /** The issuer, for the sign-in button. */
    String issuer() {
        return oauth.issuer();
    }

    /** The authorization request URL (OIDC Core §3.1.2.1) for this state and PKCE verifier. */
    URI authorizationUrl(String state, String verifier, URI redirectUri) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", client.clientId());
        q.put("redirect_uri", redirectUri.toString());
        q.put("scope", String.join(" ", client.scopes()));
        q.put("state", state);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        q.put("resource", oauth.resource());
        String endpoint = endpoint("authorization_endpoint");
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(q));
    }

    /**
     * Redeems {@code code} at the token endpoint with the PKCE verifier and validates the access token.
     *
     * @return the principal, or empty with the reason in {@code problem} (never a token)
     */
    Optional<Principal> redeem(String code, String verifier, URI redirectUri, StringBuilder problem) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirectUri.toString());
        body.put("code_verifier", verifier);
        body.put("client_id", client.clientId());
        body.put("resource", oauth.resource());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint("token_endpoint")))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(body)));
        client.clientSecret()
                .ifPresent(secret -> request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((urlEncode(client.clientId()) + ":" + urlEncode(secret))
                                                .getBytes(StandardCharsets.UTF_8))));
        JsonNode answer;
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_RESPONSE_BYTES) {
                problem.append("the authorization server refused the code (HTTP ")
                        .append(response.statusCode())
                        .append(')');
                return Optional.empty();
            }
            answer = json.readTree(response.body());
        } catch (IOException | JacksonException e) {
            problem.append("the authorization server's token endpoint cannot be reached");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem.append("interrupted");
            return Optional.empty();
        }
        String token = answer.path("access_token").asString(null);
        if (token == null) {
            problem.append("the token response has no access_token");
            return Optional.empty();
        }
        TokenResult result = validator.validate(token);
        if (result instanceof TokenResult.Accepted accepted) {
            return Optional.of(accepted.principal());
        }
        problem.append("the access token was refused: ").append(((TokenResult.Rejected) result).description());
        return Optional.empty();
    }

    private String endpoint(String name) {
        JsonNode m = metadata;
        if (m == null) {
            m = discover();
            metadata = m;
        }
        String value = m.path(name).asString(null);
        if (value == null || !(value.startsWith("https://") || value.startsWith("http://"))) {
            throw new IllegalStateException("the issuer's metadata has no " + name);
        }
        return value;
    }

    private JsonNode discover() {
        String base = oauth.issuer().replaceAll("/+$", "");
        for (String path :
                new String[] {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"}) {
            try {
                HttpResponse<byte[]> r = http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(TIMEOUT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && r.body().length <= MAX_RESPONSE_BYTES) {
                    JsonNode node = json.readTree(r.body());
                    if (oauth.issuer().equals(node.path("issuer").asString(null))) {
                        return node;
                    }
                }
            } catch (IOException | JacksonException e) {
                // try the next document
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("cannot read the metadata of issuer " + oauth.issuer());
    }

    /** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        validator.close();
    }
}
