package io.opsmcp.tools.aws.common;

import io.opsmcp.core.tool.JsonSchemas;
import tools.jackson.databind.node.ObjectNode;

/** Schema pieces specific to the AWS tools; the general builders are in {@link JsonSchemas}. */
public final class Schemas {

    private Schemas() {}

    /** Properties with the {@code account} and {@code region} arguments every AWS tool takes. */
    public static ObjectNode scoped() {
        ObjectNode p = JsonSchemas.properties();
        p.set("account", AwsArgs.ACCOUNT.schema());
        p.set("region", AwsArgs.REGION.schema());
        return p;
    }

    /** {@link #scoped()} plus {@code cluster} and {@code service}. */
    public static ObjectNode service() {
        ObjectNode p = scoped();
        p.set("cluster", AwsArgs.CLUSTER.schema());
        p.set("service", AwsArgs.SERVICE.schema());
        return p;
    }

    /** The output members every AWS tool returns: account, account_id, region. */
    public static ObjectNode scopedOutput() {
        ObjectNode p = JsonSchemas.properties();
        p.set("account", JsonSchemas.type("string", "configured account name"));
        p.set("account_id", JsonSchemas.type("string", "12-digit account id"));
        p.set("region", JsonSchemas.type("string", "region"));
        return p;
    }

    /**
     * Adds the output members every change tool returns about its API calls to {@code out}: {@code requests} (an
     * array of {@code {operation, parameters}}, {@link ApiRequest#appendTo}) and {@code applied} (what they produced,
     * absent on a dry run).
     *
     * @param requestNote what a request item holds, as the tool shows it (e.g. that key ids are masked)
     */
    public static ObjectNode changeRequestsOutput(ObjectNode out, String requestNote) {
        out.set(
                "requests",
                JsonSchemas.arrayOf(
                        JsonSchemas.type("object", requestNote), "the API requests (sent, or that would be sent)"));
        out.set("applied", JsonSchemas.type("object", "what the requests produced"));
        return out;
    }
}
