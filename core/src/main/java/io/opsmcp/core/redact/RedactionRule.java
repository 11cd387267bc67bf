package io.opsmcp.core.redact;

/**
 * A credential format a toolset knows and the guard's redactor should remove wherever text leaves the server
 * (results, errors, audit records, logs). Toolsets contribute theirs through
 * {@link io.opsmcp.core.tool.OpsToolsetProvider#redactionRules()}; generic formats (key=value secrets, PEM keys,
 * JWTs, bearer and other credential headers, well-known vendor tokens) are built into the redactor.
 *
 * <p>Rules are data, not patterns: the redactor merges them into its single left-to-right scan, so a rule adds no
 * pass over the text and cannot make redaction super-linear.
 */
public sealed interface RedactionRule permits RedactionRule.Token, RedactionRule.Header {

    /** Base64url characters: the body of most vendor tokens. */
    String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    /** Base64url characters and {@code .}. */
    String BASE64URL_DOT = BASE64URL + ".";
    /** Upper-case letters and digits (AWS key ids, New Relic keys). */
    String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /**
     * A token recognised by its documented prefix ({@code glpat-}, {@code AKIA}); the prefix and body are removed.
     *
     * @param prefix  case-sensitive literal, starting with an ASCII character
     * @param minBody shortest body after the prefix for a whole token (a shorter one cut off at the end of the text,
     *                or before {@code …}, still counts)
     * @param body    the characters the body may hold
     */
    record Token(String prefix, int minBody, String body) implements RedactionRule {
        public Token {
            if (prefix == null || prefix.isEmpty() || prefix.charAt(0) >= 128) {
                throw new IllegalArgumentException("redaction rule prefix: must start with an ASCII character");
            }
            if (minBody < 1) {
                throw new IllegalArgumentException("redaction rule " + prefix + ": minBody must be at least 1");
            }
            if (body == null || body.isEmpty()) {
                throw new IllegalArgumentException("redaction rule " + prefix + ": body characters are required");
            }
        }
    }

    /**
     * An HTTP header whose value is a credential, removed to the end of the line ({@code PRIVATE-TOKEN: x}).
     *
     * @param name the header name, matched without regard to case
     */
    record Header(String name) implements RedactionRule {
        public Header {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("redaction rule header: name is required");
            }
            name = name.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A {@link Token} rule. */
    static RedactionRule token(String prefix, int minBody, String body) {
        return new Token(prefix, minBody, body);
    }

    /** A {@link Header} rule. */
    static RedactionRule header(String name) {
        return new Header(name);
    }
}
