package io.opsmcp.tools.aws.common;

import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.config.AwsConfig;
import tools.jackson.databind.node.ObjectNode;

/**
 * The arguments every AWS tool shares, each declared once as a toolkit {@link ArgSpec}: the same declaration
 * publishes the schema property ({@link Schemas}) and reads the value inside the tool (the gateway validated the
 * arguments against the schema already; reading re-checks, which keeps a tool safe when called another way). Tool
 * specific arguments are {@code ArgSpec} constants of their tool. {@link io.opsmcp.tools.aws.api.AwsAccess}
 * publishes the patterns other modules need.
 */
public final class AwsArgs {

    /** ECS cluster names and ARNs (names: up to 255 letters, digits, hyphens, underscores). */
    public static final String CLUSTER_PATTERN =
            "^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$";

    public static final String SERVICE_PATTERN =
            "^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:service/[A-Za-z0-9_/-]{1,512})$";
    /** family, family:revision or a task definition ARN. */
    public static final String TASK_DEFINITION_PATTERN = "^([A-Za-z0-9_-]{1,255}(:[0-9]{1,9})?"
            + "|arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]{1,9})$";

    public static final String CONTAINER_PATTERN = "^[A-Za-z0-9_-]{1,255}$";

    /**
     * What the schemas publish for a cluster, service or task definition: the characters of names and ARNs. The
     * exact patterns above are ~100 bytes each and add nothing the model needs; {@link ArgSpec#read} enforces them.
     */
    /** What the schemas publish for a configured name (the exact rule, first character alphanumeric, is read). */
    public static final String NAME_SCHEMA_PATTERN = "^[a-z0-9._-]+$";

    public static final String NAME_OR_ARN_SCHEMA_PATTERN = "^[A-Za-z0-9_:/.-]+$";

    /** {@code account}: a configured account name; absent means the first configured account. */
    public static final ArgSpec<String> ACCOUNT = ArgSpec.string("account")
            .pattern(AwsConfig.NAME_PATTERN)
            .schemaPattern(NAME_SCHEMA_PATTERN)
            .description("Default: the first.");
    /** {@code region}: absent means the account's default region. */
    public static final ArgSpec<String> REGION =
            ArgSpec.string("region").pattern(AwsConfig.REGION_PATTERN).schemaPattern("^[a-z0-9-]{1,32}$");

    public static final ArgSpec<String> CLUSTER = ArgSpec.string("cluster")
            .pattern(CLUSTER_PATTERN)
            .schemaPattern(NAME_OR_ARN_SCHEMA_PATTERN)
            .description("Name or ARN.")
            .required();
    public static final ArgSpec<String> SERVICE = ArgSpec.string("service")
            .pattern(SERVICE_PATTERN)
            .schemaPattern(NAME_OR_ARN_SCHEMA_PATTERN)
            .description("Name or ARN.")
            .required();

    private AwsArgs() {}

    /** The required {@code cluster} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String cluster(ObjectNode args) {
        return CLUSTER.read(args);
    }

    /** The required {@code service} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String service(ObjectNode args) {
        return SERVICE.read(args);
    }
}
