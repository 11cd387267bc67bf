package io.opsmcp.server.guard;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.config.OpsMcpConfig;
import tools.jackson.databind.JsonNode;

/**
 * Every principal the configuration knows, with its roles: the local identity ({@code identity}), the API
 * keys' principals ({@code auth.api_keys}) and approvers listed under {@code principals}:
 *
 * <pre>
 * principals:
 *   - {id: bob, roles: [sre-lead]}
 * </pre>
 *
 * Used to find an approver's roles when approving out of band ({@code ops-mcp approvals approve --as bob}).
 */
public final class Principals {

    private final Map<String, Principal> byId;

    private Principals(Map<String, Principal> byId) {
        this.byId = Map.copyOf(byId);
    }

    /**
     * @throws ConfigException naming the entry when {@code principals} is malformed
     */
    public static Principals fromConfig(OpsMcpConfig config, ApiKeys apiKeys) {
        Map<String, Principal> byId = new LinkedHashMap<>();
        JsonNode list = config.tree().path("principals");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw new ConfigException("principals: must be a list of {id, roles}");
            }
            for (int i = 0; i < list.size(); i++) {
                String id = list.get(i).path("id").asString("");
                if (id.isBlank()) {
                    throw new ConfigException("principals[" + i + "].id: is required");
                }
                LinkedHashSet<String> roles = new LinkedHashSet<>();
                list.get(i).path("roles").forEach(r -> roles.add(r.asString()));
                byId.put(id, new Principal(id, roles, "local"));
            }
        }
        for (Principal p : apiKeys.principals()) {
            byId.putIfAbsent(p.id(), p);
        }
        var s = config.server();
        byId.putIfAbsent(s.principalId(), new Principal(s.principalId(), s.principalRoles(), "local"));
        return new Principals(byId);
    }

    public Optional<Principal> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
