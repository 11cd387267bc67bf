package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.aws.config.AwsAccount;
import io.opsmcp.tools.aws.config.AwsConfig;
import io.opsmcp.tools.aws.config.CredentialsSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
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
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * SDK clients per account, region and service, built on first use and kept until {@link #close()}. All share
 * one Apache HTTP connection pool. Every client uses the SDK's standard retry mode (exponential backoff with
 * jitter for throttling, 5xx and connection errors) with {@link AwsConfig#maxAttempts()} attempts, and an
 * overall timeout per API call.
 */
public final class AwsClients implements AutoCloseable {

    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(60);

    private final AwsConfig config;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;
    /** The cancellation of the tool call running on each thread ({@link #bind}); NONE outside a call. */
    private final ThreadLocal<ToolContext.Cancellation> callCancellation =
            ThreadLocal.withInitial(() -> ToolContext.Cancellation.NONE);

    private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
    /** STS clients that assume-role providers call; kept apart from {@link #clients} (built while filling it). */
    private final Map<String, StsClient> roleSts = new ConcurrentHashMap<>();

    /**
     * @param interceptors SDK interceptors added to every client (tests record the operations called); usually none
     */
    public AwsClients(AwsConfig config, List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.interceptors = List.copyOf(interceptors);
        this.http = new CancellableHttpClient(
                ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .maxConnections(32)
                        .build(),
                callCancellation::get);
    }

    /**
     * Binds a tool call's cancellation to the calling thread until the returned handle is closed: AWS requests the
     * thread sends meanwhile are aborted when the call is cancelled (MCP {@code notifications/cancelled}).
     */
    public Binding bind(ToolContext.Cancellation cancellation) {
        ToolContext.Cancellation previous = callCancellation.get();
        callCancellation.set(cancellation);
        return () -> callCancellation.set(previous);
    }

    /** Ends a {@link #bind}. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    public EcsClient ecs(AwsAccount account, String region) {
        return client(
                account,
                region,
                EcsClient.class,
                () -> configure(EcsClient.builder(), account, region).build());
    }

    public CloudWatchLogsClient logs(AwsAccount account, String region) {
        return client(
                account,
                region,
                CloudWatchLogsClient.class,
                () -> configure(CloudWatchLogsClient.builder(), account, region).build());
    }

    public CloudWatchClient cloudWatch(AwsAccount account, String region) {
        return client(
                account,
                region,
                CloudWatchClient.class,
                () -> configure(CloudWatchClient.builder(), account, region).build());
    }

    public ElasticLoadBalancingV2Client elb(AwsAccount account, String region) {
        return client(
                account,
                region,
                ElasticLoadBalancingV2Client.class,
                () -> configure(ElasticLoadBalancingV2Client.builder(), account, region)
                        .build());
    }

    public Ec2Client ec2(AwsAccount account, String region) {
        return client(
                account,
                region,
                Ec2Client.class,
                () -> configure(Ec2Client.builder(), account, region).build());
    }

    public EcrClient ecr(AwsAccount account, String region) {
        return client(
                account,
                region,
                EcrClient.class,
                () -> configure(EcrClient.builder(), account, region).build());
    }

    public CloudFormationClient cloudFormation(AwsAccount account, String region) {
        return client(
                account,
                region,
                CloudFormationClient.class,
                () -> configure(CloudFormationClient.builder(), account, region).build());
    }

    public StsClient sts(AwsAccount account, String region) {
        return client(
                account,
                region,
                StsClient.class,
                () -> configure(StsClient.builder(), account, region).build());
    }

    /**
     * IAM is a global service: the client is built with the account's region, from which the SDK's endpoint rules
     * derive the partition's IAM endpoint ({@code iam.amazonaws.com} in {@code aws}) and its signing region.
     */
    public IamClient iam(AwsAccount account, String region) {
        return client(
                account,
                region,
                IamClient.class,
                () -> configure(IamClient.builder(), account, region).build());
    }

    /** Secrets Manager in {@code region} (the region of the secret's ARN, not necessarily an allowed tool region). */
    public SecretsManagerClient secretsManager(AwsAccount account, String region) {
        return client(
                account,
                region,
                SecretsManagerClient.class,
                () -> configure(SecretsManagerClient.builder(), account, region).build());
    }

    private interface Factory<T> {
        T build();
    }

    private <T extends SdkClient> T client(AwsAccount account, String region, Class<T> type, Factory<T> factory) {
        String key = account.name() + "|" + region + "|" + type.getSimpleName();
        return type.cast(clients.computeIfAbsent(key, k -> factory.build()));
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, AwsAccount account, String region) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts())
                        .build())
                .apiCallTimeout(API_CALL_TIMEOUT);
        interceptors.forEach(override::addExecutionInterceptor);
        builder.region(Region.of(region))
                .credentialsProvider(credentials(account, region))
                .overrideConfiguration(override.build())
                .httpClient(http);
        if (account.endpointUrl() != null) {
            builder.endpointOverride(account.endpointUrl());
        }
        return builder;
    }

    private AwsCredentialsProvider credentials(AwsAccount account, String region) {
        return credentials.computeIfAbsent(account.name(), k -> provider(account, region));
    }

    private AwsCredentialsProvider provider(AwsAccount account, String region) {
        CredentialsSpec spec = account.credentials();
        if (spec instanceof CredentialsSpec.Profile p) {
            return ProfileCredentialsProvider.builder().profileName(p.profile()).build();
        }
        if (spec instanceof CredentialsSpec.Static s) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
        }
        if (spec instanceof CredentialsSpec.AssumeRole r) {
            AwsCredentialsProvider source = r.sourceProfile() == null
                    ? DefaultCredentialsProvider.builder().build()
                    : ProfileCredentialsProvider.builder()
                            .profileName(r.sourceProfile())
                            .build();
            StsClientBuilder sts = StsClient.builder()
                    .region(Region.of(region))
                    .credentialsProvider(source)
                    .httpClient(http);
            if (account.endpointUrl() != null) {
                sts.endpointOverride(account.endpointUrl());
            }
            StsClient stsClient = sts.build();
            roleSts.put(account.name(), stsClient);
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(stsClient)
                    .refreshRequest(b -> b.roleArn(r.roleArn())
                            .roleSessionName(r.sessionName())
                            .externalId(r.externalId()))
                    .build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Closes every client, the credential providers that hold resources, and the connection pool. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        List<SdkClient> all = new ArrayList<>(clients.values());
        all.addAll(roleSts.values());
        for (SdkClient c : all) {
            try {
                c.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (AwsCredentialsProvider p : credentials.values()) {
            if (p instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    failures.add(new RuntimeException(e.getMessage()));
                }
            }
        }
        clients.clear();
        roleSts.clear();
        credentials.clear();
        http.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
