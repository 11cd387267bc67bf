package io.opsmcp.oauth;

import io.opsmcp.core.tool.Principal;
import java.util.Set;

/** What {@link BearerTokenValidator} concluded about one bearer token. */
public sealed interface TokenResult {

    /**
     * A valid token.
     *
     * @param principal who it speaks for: id from the principal claim, roles from the roles claim and the group
     *                  mapping, {@code auth = "oauth"}
     * @param scopes    the scopes it grants ({@code scope} or {@code scp} claim)
     */
    record Accepted(Principal principal, Set<String> scopes) implements TokenResult {
        public Accepted {
            scopes = Set.copyOf(scopes);
        }
    }

    /**
     * A refused token.
     *
     * @param error       the RFC 6750 §3.1 error
     * @param description a short, fixed explanation for {@code error_description}; never contains the token or a
     *                    value taken from it
     */
    record Rejected(BearerError error, String description) implements TokenResult {}
}
