package io.opsmcp.guard.policy;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.core.tool.Principal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Every principal the configuration knows, with its roles: the local identity ({@code identity}), the API
 * keys' principals ({@code auth.api_keys}) and approvers listed under {@code principals}:
 *
 * <pre>
 * principals:
 *   - {id: bob, roles: [sre-lead], os_user: bob}
 * </pre>
 *
 * {@code os_user} names the local OS account that may vote as that principal with {@code ops-mcp approvals
 * approve|deny}; the CLI proves it by the OS user running it (the peer credentials of the server's control
 * socket), never by {@code --as} or environment variables. A principal without {@code os_user} can vote only over
 * the approvals HTTP API with its API key.
 */
public final class Principals {

    private final Map<String, Principal> byId;
    private final Map<String, String> osUserById;

    private Principals(Map<String, Principal> byId, Map<String, String> osUserById) {
        this.byId = Map.copyOf(byId);
        this.osUserById = Map.copyOf(osUserById);
    }

    /**
     * @param list      the {@code principals} section (missing or null when there is none)
     * @param keyed     the API keys' principals ({@code auth.api_keys})
     * @param local     the local identity ({@code identity})
     * @throws InvalidConfigException naming the entry when {@code principals} is malformed
     */
    public static Principals from(JsonNode list, Collection<Principal> keyed, Principal local) {
        Map<String, Principal> byId = new LinkedHashMap<>();
        Map<String, String> osUsers = new LinkedHashMap<>();
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new InvalidConfigException("principals: must be a list of {id, roles}");
            }
            for (int i = 0; i < list.size(); i++) {
                String id = list.get(i).path("id").asString("");
                if (id.isBlank()) {
                    throw new InvalidConfigException("principals[" + i + "].id: is required");
                }
                LinkedHashSet<String> roles = new LinkedHashSet<>();
                list.get(i).path("roles").forEach(r -> roles.add(r.asString()));
                byId.put(id, new Principal(id, roles, "local"));
                JsonNode osUser = list.get(i).path("os_user");
                if (!osUser.isMissingNode() && !osUser.isNull()) {
                    if (!osUser.isString() || osUser.asString().isBlank()) {
                        throw new InvalidConfigException("principals[" + i + "].os_user: must be an OS user name");
                    }
                    osUsers.put(id, osUser.asString().strip());
                }
            }
        }
        for (Principal p : keyed) {
            byId.putIfAbsent(p.id(), p);
        }
        byId.putIfAbsent(local.id(), local);
        return new Principals(byId, osUsers);
    }

    /**
     * The principals under {@code principals} whose {@code os_user} is {@code osUser}, in configuration order,
     * with the roles given there.
     */
    public List<Principal> mappedTo(String osUser) {
        return osUserById.entrySet().stream()
                .filter(e -> e.getValue().equals(osUser))
                .map(e -> byId.get(e.getKey()))
                .toList();
    }

    public Optional<Principal> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
