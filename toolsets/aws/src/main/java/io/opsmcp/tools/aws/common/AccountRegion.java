package io.opsmcp.tools.aws.common;

import io.opsmcp.tools.aws.client.AwsTarget;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a result was read: the configured account name, its id and the region. Every result record carries it and
 * every result object starts with it.
 */
public record AccountRegion(String account, String accountId, String region) {

    public static AccountRegion of(AwsTarget target) {
        return new AccountRegion(target.account().name(), target.account().accountId(), target.region());
    }

    /** A new result object starting with {@code account}, {@code account_id} and {@code region}. */
    public ObjectNode json() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("account", account);
        out.put("account_id", accountId);
        out.put("region", region);
        return out;
    }
}
