package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.config.AwsAccount;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One configured account in one allowed region: the clients for it and the single way to call AWS
 * ({@link #call}), which turns SDK failures into {@link ToolException}s that say what failed where.
 */
public final class AwsTarget {

    private final AwsAccount account;
    private final String region;
    private final AwsClients clients;
    private final AwsErrors errors;
    private static final Object NOTHING = new Object();
    /** Results of read-only look-ups kept for the life of this target; null: every look-up calls AWS. */
    private final Map<String, Object> snapshot;

    public AwsTarget(AwsAccount account, String region, AwsClients clients, Redactor redactor) {
        this(account, region, clients, new AwsErrors(redactor), null);
    }

    private AwsTarget(
            AwsAccount account, String region, AwsClients clients, AwsErrors errors, Map<String, Object> snapshot) {
        this.account = account;
        this.region = region;
        this.clients = clients;
        this.errors = errors;
        this.snapshot = snapshot;
    }

    /**
     * The same account and region with a per-call snapshot: {@link #once} look-ups (DescribeServices,
     * DescribeTaskDefinition, DescribeTargetGroups, …) reach AWS once and are answered from memory afterwards,
     * failures included. For one diagnosis ({@code ecs_troubleshoot}); never for a tool that polls for change.
     */
    public AwsTarget snapshot() {
        return new AwsTarget(account, region, clients, errors, new ConcurrentHashMap<>());
    }

    /**
     * A read-only look-up that a snapshot answers once: without a snapshot it just runs {@code lookup}. A failure
     * (a {@link ToolException}) is remembered too, so a failing look-up is not retried by every check.
     *
     * @param key what is looked up, e.g. {@code service|cluster|name}
     */
    @SuppressWarnings("unchecked")
    public <T> T once(String key, Supplier<T> lookup) {
        if (snapshot == null) {
            return lookup.get();
        }
        Object v = snapshot.get(key);
        if (v == null) {
            try {
                v = lookup.get();
            } catch (ToolException e) {
                v = e;
            }
            // the map holds no nulls: an absent answer is remembered as NOTHING
            snapshot.put(key, v == null ? NOTHING : v);
        }
        if (v instanceof ToolException e) {
            throw new ToolException(e.kind(), e.getMessage());
        }
        return v == NOTHING ? null : (T) v;
    }

    public AwsAccount account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** {@code account NAME (ID), region R}: how messages say where something happened. */
    public String where() {
        return account.label() + ", region " + region;
    }

    public EcsClient ecs() {
        return clients.ecs(account, region);
    }

    public CloudWatchLogsClient logs() {
        return clients.logs(account, region);
    }

    public CloudWatchClient cloudWatch() {
        return clients.cloudWatch(account, region);
    }

    public ElasticLoadBalancingV2Client elb() {
        return clients.elb(account, region);
    }

    public Ec2Client ec2() {
        return clients.ec2(account, region);
    }

    public EcrClient ecr() {
        return clients.ecr(account, region);
    }

    public CloudFormationClient cloudFormation() {
        return clients.cloudFormation(account, region);
    }

    public StsClient sts() {
        return clients.sts(account, region);
    }

    public IamClient iam() {
        return clients.iam(account, region);
    }

    /** Secrets Manager in {@code secretRegion}: the region a configured secret's ARN names. */
    public SecretsManagerClient secretsManager(String secretRegion) {
        return clients.secretsManager(account, secretRegion);
    }

    /**
     * Runs one AWS API call.
     *
     * @param action  the operation (names the IAM action when access is denied)
     * @param subject what the call is about, for messages: {@code service checkout in cluster shop}
     * @throws ToolException FORBIDDEN naming the missing IAM action, NOT_FOUND naming the subject and where,
     *                       UNAVAILABLE after the SDK's retries, TIMEOUT, INVALID_ARGUMENT for rejected parameters
     */
    public <T> T call(AwsAction action, String subject, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw errors.translate(action, subject, this, e);
        }
    }

    /**
     * {@link #call} that a cancellation of the tool call does not abort: for a request whose answer the tool needs
     * to clean up (StartQuery: without the query id nothing could stop the query) and for the clean-up itself after
     * the call was cancelled or ran out of time (StopQuery). The request is sent although the call's cancellation
     * has fired, which would otherwise refuse it unsent ({@link AwsClients#bind}), with the thread's interrupt flag
     * cleared for the request (the SDK gives up on an interrupted thread); the flag is restored afterwards. Bounded by
     * the SDK's API call timeout.
     */
    public <T> T uncancellable(AwsAction action, String subject, Supplier<T> call) {
        boolean interrupted = Thread.interrupted();
        try (AwsClients.Binding ignored = clients.bind(io.opsmcp.core.tool.ToolContext.Cancellation.NONE)) {
            return call(action, subject, call);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
