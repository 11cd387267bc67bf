package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.config.AwsAccount;
import io.opsmcp.tools.aws.config.AwsConfig;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resolves the {@code account} and {@code region} arguments to a configured, allowed {@link AwsTarget}. Every tool
 * resolves its target here; modules outside the toolset use {@link io.opsmcp.tools.aws.api.AwsAccess}.
 */
public final class Accounts {

    private final AwsConfig config;
    private final AwsClients clients;
    private final Redactor redactor;

    public Accounts(AwsConfig config, AwsClients clients, Redactor redactor) {
        this.config = config;
        this.clients = clients;
        this.redactor = redactor;
    }

    /**
     * @throws ToolException NOT_FOUND for an account that is not configured, FORBIDDEN for a region the account
     *                       does not allow (both list what is configured)
     */
    public AwsTarget resolve(ObjectNode args) {
        String name = AwsArgs.ACCOUNT.read(args);
        AwsAccount account;
        if (name == null) {
            account = config.accounts().get(0);
        } else {
            Optional<AwsAccount> found = config.accounts().stream()
                    .filter(a -> a.name().equals(name))
                    .findFirst();
            account = found.orElseThrow(() -> new ToolException(
                    Kind.NOT_FOUND,
                    "account '" + name
                            + "' is not configured; configured accounts: "
                            + String.join(
                                    ", ",
                                    config.accounts().stream()
                                            .map(AwsAccount::name)
                                            .toList())));
        }
        String region = AwsArgs.REGION.read(args);
        if (region == null) {
            region = account.defaultRegion();
        } else if (!account.regions().contains(region)) {
            throw new ToolException(
                    Kind.FORBIDDEN,
                    "region " + region + " is not allowed for account " + account.name() + "; allowed regions: "
                            + String.join(", ", account.regions()));
        }
        return new AwsTarget(account, region, clients, redactor);
    }
}
