package io.opsmcp.tools.aws.api;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.AwsRedaction;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsArgs;
import io.opsmcp.tools.aws.config.AwsConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The published facade of the aws toolset for modules that build on it (toolsets/deployments): the {@code aws:}
 * settings, the {@code account} / {@code region} / {@code cluster} / {@code service} arguments with the same rules
 * and messages as the aws tools, and typed ECS reads. Nothing else of the toolset is meant to be used from outside.
 * Closing it closes the SDK clients.
 */
public final class AwsAccess implements AutoCloseable {

    /** The {@code account} argument's pattern. */
    public static final String ACCOUNT_PATTERN = AwsConfig.NAME_PATTERN;
    /** The {@code region} argument's pattern. */
    public static final String REGION_PATTERN = AwsConfig.REGION_PATTERN;
    /** The {@code cluster} argument's pattern (name or ARN). */
    public static final String CLUSTER_PATTERN = AwsArgs.CLUSTER_PATTERN;
    /** The {@code service} argument's pattern (name or ARN). */
    public static final String SERVICE_PATTERN = AwsArgs.SERVICE_PATTERN;
    /**
     * The {@code account}, {@code region}, {@code cluster} and {@code service} arguments as the aws tools declare
     * them (same schema, same wording), for tools of other modules that act on one ECS service.
     */
    public static final List<ArgSpec<?>> SERVICE_ARGS =
            List.of(AwsArgs.ACCOUNT, AwsArgs.REGION, AwsArgs.CLUSTER, AwsArgs.SERVICE);

    private final AwsClients clients;
    private final Accounts accounts;

    private AwsAccess(AwsConfig config) {
        this.clients = new AwsClients(config, List.of());
        this.accounts = new Accounts(config, clients, new Redactor(AwsRedaction.RULES));
    }

    /**
     * Reads the {@code aws:} section of the settings, as the aws toolset does.
     *
     * @throws IllegalArgumentException naming the setting that is missing or invalid
     */
    public static AwsAccess fromSettings(JsonNode settings) {
        return new AwsAccess(AwsConfig.parse(settings));
    }

    /** One configured account in one allowed region, as a call's {@code account} and {@code region} select it. */
    public static final class Scope {

        private final AwsTarget target;

        private Scope(AwsTarget target) {
            this.target = target;
        }

        /** The configured account name (the {@code account} argument). */
        public String account() {
            return target.account().name();
        }

        /** The 12-digit account id. */
        public String accountId() {
            return target.account().accountId();
        }

        /** The account's environment, what the policy sees as {@code resource.environment}. */
        public String environment() {
            return target.account().environment();
        }

        public String region() {
            return target.region();
        }

        /** {@code account NAME (ID), region R}: how messages say where something happened. */
        public String where() {
            return target.where();
        }
    }

    /**
     * The account (default: the first configured) and region (default: the account's default region) of a call.
     *
     * @throws ToolException NOT_FOUND for an account that is not configured, FORBIDDEN for a region it does not
     *                       allow, INVALID_ARGUMENT for a malformed value
     */
    public Scope scope(ObjectNode args) {
        return new Scope(accounts.resolve(args));
    }

    /** The required {@code cluster} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String cluster(ObjectNode args) {
        return AwsArgs.cluster(args);
    }

    /** The required {@code service} argument (name or ARN); INVALID_ARGUMENT naming the field otherwise. */
    public static String service(ObjectNode args) {
        return AwsArgs.service(args);
    }

    /** One deployment of a service: {@code PRIMARY} / {@code ACTIVE}, its task definition ARN, rollout state. */
    public record Deployment(String status, String taskDefinition, String rolloutState) {}

    /**
     * An ECS service: its name, its own task definition ARN (null under the CODE_DEPLOY / EXTERNAL controllers),
     * its deployments and its tags (key → value).
     */
    public record EcsService(
            String name, String taskDefinition, List<Deployment> deployments, Map<String, String> tags) {}

    /** A container of a task definition; {@code essential} null means essential (ECS's default). */
    public record Container(String name, String image, Boolean essential) {}

    /** A task definition: family, revision, containers and tags (key → value). */
    public record EcsTaskDefinition(
            String family, int revision, List<Container> containers, Map<String, String> tags) {}

    /**
     * DescribeServices with the service's tags.
     *
     * @throws ToolException NOT_FOUND when the service does not exist or is INACTIVE; the aws toolset's translation
     *                       of AWS failures otherwise (FORBIDDEN naming the IAM action, UNAVAILABLE, …)
     */
    public EcsService describeService(Scope scope, String cluster, String service) {
        AwsTarget target = scope.target;
        String subject = "service " + service + " in cluster " + cluster;
        DescribeServicesResponse r = target.call(
                AwsAction.ECS_DESCRIBE_SERVICES,
                subject,
                () -> target.ecs()
                        .describeServices(
                                b -> b.cluster(cluster).services(service).include(ServiceField.TAGS)));
        if (r.services().isEmpty() || "INACTIVE".equals(r.services().get(0).status())) {
            String reason =
                    r.failures().stream().map(Failure::reason).findFirst().orElse("INACTIVE");
            throw new ToolException(
                    ToolException.Kind.NOT_FOUND,
                    "ECS " + subject + " was not found in " + target.where() + " (" + reason
                            + "); ecs_list_services lists the services of a cluster");
        }
        Service s = r.services().get(0);
        return new EcsService(
                s.serviceName(),
                s.taskDefinition(),
                s.deployments().stream()
                        .map(d -> new Deployment(d.status(), d.taskDefinition(), d.rolloutStateAsString()))
                        .toList(),
                tags(s.tags()));
    }

    /**
     * DescribeTaskDefinition with the task definition's tags.
     *
     * @param taskDefinition family, family:revision or ARN
     * @throws ToolException NOT_FOUND when it does not exist; the aws toolset's translation of AWS failures
     */
    public EcsTaskDefinition describeTaskDefinition(Scope scope, String taskDefinition) {
        AwsTarget target = scope.target;
        String name = taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
        DescribeTaskDefinitionResponse t = target.call(
                AwsAction.ECS_DESCRIBE_TASK_DEFINITION,
                "task definition " + name,
                () -> target.ecs()
                        .describeTaskDefinition(
                                b -> b.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS)));
        List<Container> containers = t.taskDefinition().containerDefinitions().stream()
                .map((ContainerDefinition c) -> new Container(c.name(), c.image(), c.essential()))
                .toList();
        return new EcsTaskDefinition(
                t.taskDefinition().family(), t.taskDefinition().revision(), containers, tags(t.tags()));
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag tag : tags) {
            if (tag.key() != null && tag.value() != null) {
                out.put(tag.key(), tag.value());
            }
        }
        return out;
    }

    @Override
    public void close() {
        clients.close();
    }
}
