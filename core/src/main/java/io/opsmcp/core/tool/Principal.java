package io.opsmcp.core.tool;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling.
 *
 * @param id    stable identity (OS user for stdio, the API key's principal for HTTP)
 * @param roles roles from configuration ({@code sre}, {@code sre-lead}, …)
 * @param auth  how the identity was established: {@code local}, {@code api-key}, {@code oauth}, {@code anonymous}
 */
public record Principal(String id, Set<String> roles, String auth) {

    public Principal {
        Objects.requireNonNull(id, "id");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        Objects.requireNonNull(auth, "auth");
    }
}
