package io.opsmcp.tools.aws.client;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every AWS API operation the toolset calls, with the IAM action that authorises it. Every call goes through
 * {@link AwsTarget#call}, so an AccessDenied error can name the missing permission, and
 * {@code toolsets/aws/IAM_ACTIONS.md} (the least-privilege policy) is checked against this list by a test.
 *
 * @param iamPrefix  IAM service prefix ({@code ecs}, {@code logs}, {@code cloudwatch}, {@code iam}, …)
 * @param sdkService the SDK client's signing/endpoint name (what {@code SdkExecutionAttribute.SERVICE_NAME} and
 *                   the clients' {@code SERVICE_NAME} hold, e.g. {@code monitoring} for CloudWatch)
 * @param operation  API operation name
 * @param mutating   whether the operation changes anything
 */
public enum AwsAction {
    STS_GET_CALLER_IDENTITY("sts", "sts", "GetCallerIdentity", false),
    ECS_LIST_CLUSTERS("ecs", "ecs", "ListClusters", false),
    ECS_DESCRIBE_CLUSTERS("ecs", "ecs", "DescribeClusters", false),
    ECS_LIST_SERVICES("ecs", "ecs", "ListServices", false),
    ECS_DESCRIBE_SERVICES("ecs", "ecs", "DescribeServices", false),
    ECS_LIST_TASKS("ecs", "ecs", "ListTasks", false),
    ECS_DESCRIBE_TASKS("ecs", "ecs", "DescribeTasks", false),
    ECS_DESCRIBE_TASK_DEFINITION("ecs", "ecs", "DescribeTaskDefinition", false),
    ECS_LIST_TASK_DEFINITIONS("ecs", "ecs", "ListTaskDefinitions", false),
    LOGS_FILTER_LOG_EVENTS("logs", "logs", "FilterLogEvents", false),
    CLOUDWATCH_GET_METRIC_DATA("cloudwatch", "monitoring", "GetMetricData", false),
    CLOUDWATCH_DESCRIBE_ALARMS("cloudwatch", "monitoring", "DescribeAlarms", false),
    CLOUDWATCH_DESCRIBE_ALARM_HISTORY("cloudwatch", "monitoring", "DescribeAlarmHistory", false),
    LOGS_START_QUERY("logs", "logs", "StartQuery", false),
    LOGS_GET_QUERY_RESULTS("logs", "logs", "GetQueryResults", false),
    // stops only the queries the toolset itself started (cancel, deadline): part of the read-only role
    LOGS_STOP_QUERY("logs", "logs", "StopQuery", false),
    ELB_DESCRIBE_TARGET_GROUPS("elasticloadbalancing", "elasticloadbalancing", "DescribeTargetGroups", false),
    ELB_DESCRIBE_TARGET_HEALTH("elasticloadbalancing", "elasticloadbalancing", "DescribeTargetHealth", false),
    EC2_DESCRIBE_SUBNETS("ec2", "ec2", "DescribeSubnets", false),
    EC2_DESCRIBE_SECURITY_GROUPS("ec2", "ec2", "DescribeSecurityGroups", false),
    EC2_DESCRIBE_ROUTE_TABLES("ec2", "ec2", "DescribeRouteTables", false),
    EC2_DESCRIBE_VPC_ENDPOINTS("ec2", "ec2", "DescribeVpcEndpoints", false),
    ECR_DESCRIBE_IMAGES("ecr", "api.ecr", "DescribeImages", false),
    CLOUDFORMATION_DESCRIBE_STACK_EVENTS("cloudformation", "cloudformation", "DescribeStackEvents", false),
    STS_GET_ACCESS_KEY_INFO("sts", "sts", "GetAccessKeyInfo", false),
    IAM_GET_USER("iam", "iam", "GetUser", false),
    IAM_GET_LOGIN_PROFILE("iam", "iam", "GetLoginProfile", false),
    IAM_LIST_MFA_DEVICES("iam", "iam", "ListMFADevices", false),
    IAM_LIST_ACCESS_KEYS("iam", "iam", "ListAccessKeys", false),
    IAM_GET_ACCESS_KEY_LAST_USED("iam", "iam", "GetAccessKeyLastUsed", false),
    IAM_LIST_GROUPS_FOR_USER("iam", "iam", "ListGroupsForUser", false),
    IAM_LIST_ATTACHED_USER_POLICIES("iam", "iam", "ListAttachedUserPolicies", false),
    IAM_LIST_USER_POLICIES("iam", "iam", "ListUserPolicies", false),
    ECS_UPDATE_SERVICE("ecs", "ecs", "UpdateService", true),
    ECS_REGISTER_TASK_DEFINITION("ecs", "ecs", "RegisterTaskDefinition", true),
    IAM_UPDATE_ACCESS_KEY("iam", "iam", "UpdateAccessKey", true),
    IAM_DELETE_ACCESS_KEY("iam", "iam", "DeleteAccessKey", true),
    IAM_UPDATE_LOGIN_PROFILE("iam", "iam", "UpdateLoginProfile", true),
    IAM_DEACTIVATE_MFA_DEVICE("iam", "iam", "DeactivateMFADevice", true),
    SECRETSMANAGER_PUT_SECRET_VALUE("secretsmanager", "secretsmanager", "PutSecretValue", true);

    private final String iamPrefix;
    private final String sdkService;
    private final String operation;
    private final boolean mutating;

    AwsAction(String iamPrefix, String sdkService, String operation, boolean mutating) {
        this.iamPrefix = iamPrefix;
        this.sdkService = sdkService;
        this.operation = operation;
        this.mutating = mutating;
    }

    /** The IAM action, e.g. {@code ecs:DescribeServices}. */
    public String iamAction() {
        return iamPrefix + ":" + operation;
    }

    public String operation() {
        return operation;
    }

    public boolean mutating() {
        return mutating;
    }

    /** The action for an SDK service name and operation as the SDK reports them, if the toolset knows it. */
    public static Optional<AwsAction> of(String sdkService, String operation) {
        return Arrays.stream(values())
                .filter(a -> a.sdkService.equalsIgnoreCase(sdkService) && a.operation.equals(operation))
                .findFirst();
    }
}
