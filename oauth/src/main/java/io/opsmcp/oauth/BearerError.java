package io.opsmcp.oauth;

/**
 * Why a bearer token was refused, with the HTTP status a resource server answers (RFC 6750 §3.1; MCP
 * specification 2025-11-25, "Error Handling").
 */
public enum BearerError {
    /** A malformed request, e.g. a token in the URL (OAuth 2.1 §5.1 allows only the header here): 400. */
    INVALID_REQUEST("invalid_request", 400),
    /** Malformed, unsigned, expired, not yet valid, wrong issuer or audience, unknown key, bad signature: 401. */
    INVALID_TOKEN("invalid_token", 401),
    /** Valid, but without the scopes this server requires: 403 with {@code scope=}. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /**
     * The authorization server's keys could not be fetched, so no token can be checked now: 503 (fail closed, and
     * the client is not sent to re-authenticate for a fault that is not its own).
     */
    KEYS_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    BearerError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The {@code error} parameter value. */
    public String code() {
        return code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
