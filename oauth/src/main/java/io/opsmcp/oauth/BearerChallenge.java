package io.opsmcp.oauth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code WWW-Authenticate: Bearer …} challenge values (RFC 6750 §3, RFC 9728 §5.1, MCP specification 2025-11-25
 * "Protected Resource Metadata Discovery Requirements" and "Scope Challenge Handling").
 */
public final class BearerChallenge {

    // RFC 6750 §3: error_description and scope are quoted strings of %x20-21 / %x23-5B / %x5D-7E
    private static final Pattern QUOTABLE = Pattern.compile("^[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*$");

    private BearerChallenge() {}

    /**
     * The challenge for a request without credentials: only {@code resource_metadata} and, when this server
     * requires scopes, {@code scope} (no {@code error}: RFC 6750 §3.1 says a request that carried no token gets
     * none).
     */
    public static String missing(String resourceMetadataUrl, List<String> requiredScopes) {
        StringBuilder sb = new StringBuilder("Bearer resource_metadata=\"")
                .append(quoted(resourceMetadataUrl))
                .append('"');
        if (!requiredScopes.isEmpty()) {
            sb.append(", scope=\"")
                    .append(quoted(String.join(" ", requiredScopes)))
                    .append('"');
        }
        return sb.toString();
    }

    /**
     * The challenge for a refused token: {@code error}, {@code error_description}, {@code resource_metadata}, and
     * for {@link BearerError#INSUFFICIENT_SCOPE} the {@code scope} the request needs.
     */
    public static String refused(
            String resourceMetadataUrl, TokenResult.Rejected rejected, List<String> requiredScopes) {
        StringBuilder sb = new StringBuilder("Bearer error=\"")
                .append(rejected.error().code())
                .append('"');
        sb.append(", error_description=\"")
                .append(quoted(rejected.description()))
                .append('"');
        if (rejected.error() == BearerError.INSUFFICIENT_SCOPE && !requiredScopes.isEmpty()) {
            sb.append(", scope=\"")
                    .append(quoted(String.join(" ", requiredScopes)))
                    .append('"');
        }
        sb.append(", resource_metadata=\"").append(quoted(resourceMetadataUrl)).append('"');
        return sb.toString();
    }

    private static String quoted(String value) {
        if (!QUOTABLE.matcher(value).matches()) {
            // the values are this server's own (fixed descriptions, configured URLs and scopes): never reached
            throw new IllegalArgumentException("not a quotable challenge parameter");
        }
        return value;
    }
}
