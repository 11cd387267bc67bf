package io.opsmcp.alerts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a sender's labels or dimensions to the resource the policy knows, first match wins:
 *
 * <ol>
 *   <li>an ECS service: {@code cluster}+{@code service}, {@code ecs_cluster}+{@code ecs_service} or the CloudWatch
 *       dimensions {@code ClusterName}+{@code ServiceName}; account from {@code account}/{@code aws_account},
 *       {@code account_id}/{@code aws_account_id}, region from {@code region}/{@code aws_region}, else
 *       {@code alerts.aws_defaults};</li>
 *   <li>a host: {@code host}, else {@code instance} without its {@code :port}; {@code host_group} when labelled
 *       (the policy places hosts by group);</li>
 *   <li>a GitLab project: {@code project_path}, {@code project} or {@code gitlab_project}.</li>
 * </ol>
 *
 * Nothing matched: {@code null}, and the alert is shown only to roles whose policy views list {@code alert}.
 */
public final class ResourceMapping {

    private final Map<String, String> awsDefaults;

    /** @param awsDefaults {@code account}, {@code account_id}, {@code region} used when the labels have none */
    public ResourceMapping(Map<String, String> awsDefaults) {
        this.awsDefaults = Map.copyOf(awsDefaults);
    }

    /** The resource these labels name, or {@code null}. */
    public AlertResource map(Map<String, String> labels) {
        String cluster = first(labels, "cluster", "ecs_cluster", "ClusterName");
        String service = first(labels, "service", "ecs_service", "ServiceName");
        if (cluster != null && service != null) {
            return ecsService(labels, cluster, service);
        }
        String host = first(labels, "host", "hostname");
        if (host == null) {
            String instance = labels.get("instance");
            if (instance != null && !instance.isBlank()) {
                host = instance.replaceFirst("^\\[?([^\\]]*?)\\]?(:[0-9]+)?$", "$1");
            }
        }
        if (host != null && !host.isBlank()) {
            Map<String, String> ids = new LinkedHashMap<>();
            String group = labels.get("host_group");
            if (group != null) {
                ids.put("host_group", group);
            }
            return new AlertResource("host", "host", host, ids);
        }
        String project = first(labels, "project_path", "project", "gitlab_project");
        if (project != null) {
            return gitlabProject(project);
        }
        return null;
    }

    /** An ECS service in the labels' (or the defaults') account and region. */
    public AlertResource ecsService(Map<String, String> labels, String cluster, String service) {
        Map<String, String> ids = new LinkedHashMap<>();
        String accountId = first(labels, "account_id", "aws_account_id");
        String account = first(labels, "account", "aws_account");
        // a default never adds a second, possibly different, account to one the labels name
        boolean named = accountId != null || account != null;
        put(ids, "account", account, named ? null : awsDefaults.get("account"));
        put(ids, "account_id", accountId, named ? null : awsDefaults.get("account_id"));
        put(ids, "region", first(labels, "region", "aws_region"), awsDefaults.get("region"));
        ids.put("cluster", shortName(cluster));
        ids.put("service", shortName(service));
        return new AlertResource("aws", "ecs:service", shortName(service), ids);
    }

    /** A GitLab project by its path (kind {@code gitlab:project}). */
    public static AlertResource gitlabProject(String path) {
        return new AlertResource("gitlab", "gitlab:project", path, Map.of("project", path));
    }

    private static void put(Map<String, String> ids, String key, String value, String fallback) {
        String v = value != null ? value : fallback;
        if (v != null) {
            ids.put(key, v);
        }
    }

    private static String first(Map<String, String> labels, String... names) {
        for (String n : List.of(names)) {
            String v = labels.get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The name in an ECS ARN ({@code …:service/CLUSTER/NAME} → {@code NAME}), as the AWS tools describe it. */
    private static String shortName(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    }
}
