package io.opsmcp.tools.aws.sandbox;

import com.github.tomakehurst.wiremock.http.Request;
import io.opsmcp.tools.aws.sandbox.AwsWire.Reply;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers every request (through {@link AwsWire#serve}) as the simulated AWS account would, in each service's wire
 * protocol as AWS SDK for Java 2.41 speaks it: ECS and CloudWatch Logs in AWS JSON 1.1 ({@code X-Amz-Target}),
 * CloudWatch in Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/OP}), ELBv2,
 * EC2, STS and IAM in the AWS query protocol (form-encoded {@code Action}, XML responses; IAM and Secrets Manager
 * are {@link SandboxIam}'s). Errors use each protocol's
 * error shape ({@code __type} for JSON and CBOR, {@code ErrorResponse}/{@code Response} XML for query).
 */
final class SandboxAwsHandler implements Function<Request, Reply> {

    static final String NAME = "ops-mcp-aws-sandbox";
    /** Events FilterLogEvents looks at per page, like the service's own scan budget per call. */
    static final int SCAN_PER_PAGE = 10_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SandboxWorld world;
    private final SandboxCloudWatch cloudWatch;
    private final SandboxIam iam;

    SandboxAwsHandler(SandboxWorld world, SandboxIam iam) {
        this.world = world;
        this.cloudWatch = new SandboxCloudWatch(world, Instant.now());
        this.iam = iam;
    }

    @Override
    public Reply apply(Request req) {
        String target = req.getHeader("X-Amz-Target");
        if (target != null && target.startsWith(AwsWire.ECS_PREFIX)) {
            return ecs(target.substring(AwsWire.ECS_PREFIX.length()), json.readTree(req.getBody()));
        } else if (target != null && target.startsWith(AwsWire.ECR_PREFIX)) {
            return ecr(target.substring(AwsWire.ECR_PREFIX.length()), json.readTree(req.getBody()));
        } else if (target != null && target.startsWith(AwsWire.LOGS_PREFIX)) {
            return logs(target.substring(AwsWire.LOGS_PREFIX.length()), json.readTree(req.getBody()));
        } else if (target != null && target.startsWith(SandboxIam.SECRETS_PREFIX)) {
            return iam.secrets(target.substring(SandboxIam.SECRETS_PREFIX.length()), json.readTree(req.getBody()));
        } else if (req.getUrl().startsWith(AwsWire.CBOR_PATH)) {
            return cloudWatch(req.getUrl().substring(AwsWire.CBOR_PATH.length()), req.getBody());
        }
        return query(AwsQueryProtocol.form(req.getBodyAsString()));
    }

    // ---- ECS (JSON 1.1) ----------------------------------------------------------------------------------------

    private Reply ecs(String operation, JsonNode in) {
        Instant now = Instant.now();
        if (in.has("cluster")
                && !SandboxWorld.CLUSTER.equals(
                        SandboxWorld.shortName(in.get("cluster").asString()))) {
            return AwsWire.jsonError(400, "ClusterNotFoundException", "Cluster not found.");
        }
        ObjectNode out = JSON.objectNode();
        switch (operation) {
            case "ListClusters" ->
                out.putArray("clusterArns").add(SandboxWorld.ECS_ARN + "cluster/" + SandboxWorld.CLUSTER);
            case "DescribeClusters" -> {
                ArrayNode clusters = out.putArray("clusters");
                ArrayNode failures = out.putArray("failures");
                for (JsonNode c : in.path("clusters")) {
                    if (SandboxWorld.CLUSTER.equals(SandboxWorld.shortName(c.asString()))) {
                        List<SandboxWorld.Svc> all = world.services();
                        clusters.addObject()
                                .put("clusterArn", SandboxWorld.ECS_ARN + "cluster/" + SandboxWorld.CLUSTER)
                                .put("clusterName", SandboxWorld.CLUSTER)
                                .put("status", "ACTIVE")
                                .put("registeredContainerInstancesCount", 0)
                                .put(
                                        "runningTasksCount",
                                        all.stream().mapToInt(s -> s.running).sum())
                                .put(
                                        "pendingTasksCount",
                                        all.stream().mapToInt(s -> s.pending).sum())
                                .put("activeServicesCount", all.size());
                    } else {
                        failures.addObject().put("arn", c.asString()).put("reason", "MISSING");
                    }
                }
            }
            case "ListServices" -> {
                List<String> arns = world.services().stream()
                        .map(s -> SandboxWorld.ECS_ARN + "service/" + SandboxWorld.CLUSTER + "/" + s.name)
                        .toList();
                page(out, "serviceArns", arns, in);
            }
            case "DescribeServices" -> {
                ArrayNode services = out.putArray("services");
                ArrayNode failures = out.putArray("failures");
                for (JsonNode s : in.path("services")) {
                    SandboxWorld.Svc svc = world.service(s.asString());
                    if (svc == null) {
                        failures.addObject()
                                .put(
                                        "arn",
                                        SandboxWorld.ECS_ARN + "service/" + SandboxWorld.CLUSTER + "/"
                                                + SandboxWorld.shortName(s.asString()))
                                .put("reason", "MISSING");
                    } else {
                        ObjectNode described = world.describeService(svc, now);
                        if (includes(in, "TAGS")) {
                            described.set("tags", world.serviceTags(svc));
                        }
                        services.add(described);
                    }
                }
            }
            case "ListTasks" -> {
                SandboxWorld.Svc svc = in.has("serviceName")
                        ? world.service(in.get("serviceName").asString())
                        : null;
                if (in.has("serviceName") && svc == null) {
                    return AwsWire.jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                List<String> arns = new ArrayList<>();
                if ("STOPPED".equals(in.path("desiredStatus").asString("RUNNING"))) {
                    for (SandboxWorld.Svc s : svc == null ? world.services() : List.of(svc)) {
                        world.stoppedTasks(s)
                                .forEach(t -> arns.add(t.get("taskArn").asString()));
                    }
                }
                page(out, "taskArns", arns, in);
            }
            case "DescribeTasks" -> {
                ArrayNode tasks = out.putArray("tasks");
                ArrayNode failures = out.putArray("failures");
                for (JsonNode t : in.path("tasks")) {
                    ObjectNode task = world.stoppedTask(t.asString());
                    if (task == null) {
                        failures.addObject().put("arn", t.asString()).put("reason", "MISSING");
                    } else {
                        tasks.add(task);
                    }
                }
            }
            case "DescribeTaskDefinition" -> {
                ObjectNode td = world.taskDefinition(in.path("taskDefinition").asString(""));
                if (td == null) {
                    return AwsWire.jsonError(400, "ClientException", "Unable to describe task definition.");
                }
                out.set("taskDefinition", td);
                if (includes(in, "TAGS")) {
                    out.set("tags", world.taskDefinitionTags(td));
                }
            }
            case "ListTaskDefinitions" -> {
                List<String> arns = new ArrayList<>(
                        world.taskDefinitionArns(in.path("familyPrefix").asString(null)));
                if ("DESC".equals(in.path("sort").asString("ASC"))) {
                    java.util.Collections.reverse(arns);
                }
                page(out, "taskDefinitionArns", arns, in);
            }
            case "RegisterTaskDefinition" -> out.set("taskDefinition", world.register((ObjectNode) in));
            case "UpdateService" -> {
                SandboxWorld.Svc svc = world.service(in.path("service").asString(""));
                if (svc == null) {
                    return AwsWire.jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                if (world.update(svc, in, now) == null) {
                    return AwsWire.jsonError(400, "ClientException", "TaskDefinition not found.");
                }
                out.set("service", world.describeService(svc, now));
            }
            default -> {
                return AwsWire.jsonError(
                        400, "UnknownOperationException", "the sandbox does not simulate ECS " + operation);
            }
        }
        return AwsWire.json(out);
    }

    /** Whether the request's {@code include} list names the field (DescribeServices, DescribeTaskDefinition). */
    private static boolean includes(JsonNode in, String field) {
        for (JsonNode f : in.path("include")) {
            if (field.equals(f.asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** Pages a list with {@code maxResults} and an offset {@code nextToken}. */
    private static void page(ObjectNode out, String field, List<String> all, JsonNode in) {
        int from = in.hasNonNull("nextToken")
                ? Integer.parseInt(in.get("nextToken").asString())
                : 0;
        int size = in.path("maxResults").asInt(100);
        ArrayNode arr = out.putArray(field);
        all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size))
                .forEach(arr::add);
        if (from + size < all.size()) {
            out.put("nextToken", String.valueOf(from + size));
        }
    }

    // ---- CloudWatch Logs (JSON 1.1) ----------------------------------------------------------------------------

    private Reply logs(String operation, JsonNode in) {
        if (SandboxCloudWatch.insights(operation)) {
            return cloudWatch.logs(operation, in);
        }
        if (!"FilterLogEvents".equals(operation)) {
            return AwsWire.jsonError(
                    400, "UnknownOperationException", "the sandbox does not simulate Logs " + operation);
        }
        String group = in.path("logGroupName").asString("");
        SandboxWorld.Svc svc =
                group.startsWith("/ecs/shop/") ? world.service(group.substring("/ecs/shop/".length())) : null;
        if (svc == null) {
            return AwsWire.jsonError(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        long count = SandboxTelemetry.eventCount(svc);
        String token = in.path("nextToken").asString(null);
        long anchor;
        long index;
        if (token != null) {
            String[] parts = token.split(":");
            index = Long.parseLong(parts[0]);
            anchor = Long.parseLong(parts[1]);
        } else {
            anchor = Instant.now().toEpochMilli();
            index = -1;
        }
        Instant end = Instant.ofEpochMilli(anchor);
        Instant start = end.minus(SandboxTelemetry.LOG_WINDOW);
        long startTime = in.path("startTime").asLong(start.toEpochMilli());
        long endTime = in.path("endTime").asLong(anchor);
        if (index < 0) {
            long span = end.toEpochMilli() - start.toEpochMilli();
            index = startTime <= start.toEpochMilli()
                    ? 0
                    : (long) Math.ceil((double) (startTime - start.toEpochMilli()) * count / span);
        }
        int limit = Math.min(10_000, in.path("limit").asInt(10_000));
        FilterPattern pattern = FilterPattern.parse(in.path("filterPattern").asString(""));
        String prefix = in.path("logStreamNamePrefix").asString("");
        Instant fixedAt = world.fixedAt(svc);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        boolean more = false;
        long next = index;
        try (JsonGenerator g = json.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("events");
            int matched = 0;
            int scanned = 0;
            for (long i = index; i < count; i++) {
                SandboxTelemetry.Event e = SandboxTelemetry.event(svc.name, i, count, start, end, fixedAt);
                if (e.timestamp() < startTime) {
                    next = i + 1;
                    continue;
                }
                if (e.timestamp() > endTime) {
                    next = count;
                    break;
                }
                if (scanned == SCAN_PER_PAGE || matched == limit) {
                    more = true;
                    next = i;
                    break;
                }
                scanned++;
                next = i + 1;
                if (!e.stream().startsWith(prefix) || !pattern.matches(e.message())) {
                    continue;
                }
                matched++;
                g.writeStartObject();
                g.writeStringProperty("logStreamName", e.stream());
                g.writeNumberProperty("timestamp", e.timestamp());
                g.writeStringProperty("message", e.message());
                g.writeNumberProperty("ingestionTime", e.timestamp() + 200);
                g.writeStringProperty("eventId", String.valueOf(e.index()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("searchedLogStreams");
            g.writeEndArray();
            if (more) {
                g.writeStringProperty("nextToken", next + ":" + anchor);
            }
            g.writeEndObject();
        }
        return new Reply(200, "application/x-amz-json-1.1", bytes.toByteArray(), Map.of());
    }

    /**
     * The term subset of the CloudWatch Logs filter pattern syntax: space-separated terms that must all occur,
     * {@code ?term}s of which one must occur, {@code -term}s that must not, {@code "quoted phrases"}. JSON and
     * space-delimited patterns are not simulated (they match everything).
     */
    record FilterPattern(List<String> all, List<String> any, List<String> none) {

        static FilterPattern parse(String raw) {
            List<String> all = new ArrayList<>();
            List<String> any = new ArrayList<>();
            List<String> none = new ArrayList<>();
            String p = raw == null ? "" : raw.strip();
            if (p.startsWith("{") || p.startsWith("[")) {
                return new FilterPattern(all, any, none);
            }
            int i = 0;
            while (i < p.length()) {
                if (Character.isWhitespace(p.charAt(i))) {
                    i++;
                    continue;
                }
                char kind = p.charAt(i) == '?' || p.charAt(i) == '-' ? p.charAt(i++) : ' ';
                String term;
                if (i < p.length() && p.charAt(i) == '"') {
                    int close = p.indexOf('"', i + 1);
                    close = close < 0 ? p.length() : close;
                    term = p.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int j = i;
                    while (j < p.length() && !Character.isWhitespace(p.charAt(j))) {
                        j++;
                    }
                    term = p.substring(i, j);
                    i = j;
                }
                if (!term.isEmpty()) {
                    (kind == '?' ? any : kind == '-' ? none : all).add(term);
                }
            }
            return new FilterPattern(all, any, none);
        }

        boolean matches(String message) {
            for (String t : all) {
                if (!message.contains(t)) {
                    return false;
                }
            }
            for (String t : none) {
                if (message.contains(t)) {
                    return false;
                }
            }
            return any.isEmpty() || any.stream().anyMatch(message::contains);
        }
    }

    // ---- ECR (JSON 1.1) ---------------------------------------------------------------------------------------

    /** DescribeImages: every tag of the sandbox's repositories exists except payments' bad release candidate. */
    private Reply ecr(String operation, JsonNode in) {
        if (!"DescribeImages".equals(operation)) {
            return AwsWire.jsonError(
                    400, "UnknownOperationException", "the sandbox does not simulate ECR " + operation);
        }
        String repo = in.path("repositoryName").asString("");
        String tag = in.path("imageIds").path(0).path("imageTag").asString("latest");
        if (SandboxWorld.BAD_IMAGE_TAG.equals(tag)) {
            return AwsWire.jsonError(
                    400,
                    "ImageNotFoundException",
                    "The image with imageId {imageDigest:'null', imageTag:'"
                            + tag + "'} does not exist within the repository with name '" + repo
                            + "' in the registry with id '"
                            + SandboxWorld.ACCOUNT_ID + "'");
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode d = out.putArray("imageDetails").addObject();
        d.put("registryId", SandboxWorld.ACCOUNT_ID)
                .put("repositoryName", repo)
                .put("imageDigest", "sha256:" + "0f".repeat(32))
                .put("imagePushedAt", SandboxWorld.epoch(Instant.now()));
        d.putArray("imageTags").add(tag);
        return AwsWire.json(out);
    }

    // ---- CloudWatch (Smithy RPC v2 CBOR) -----------------------------------------------------------------------

    private Reply cloudWatch(String operation, byte[] body) {
        if (!"GetMetricData".equals(operation)) {
            return cloudWatch.cloudWatch(operation, body);
        }
        AwsWire.MetricDataRequest in = AwsWire.metricDataRequest(body);
        List<AwsWire.MetricSeries> results = new ArrayList<>();
        for (AwsWire.MetricQuery q : in.queries()) {
            Map<String, String> dims = q.dimensions();
            SandboxWorld.Svc svc = dims.containsKey("ServiceName")
                    ? world.service(dims.get("ServiceName"))
                    : dims.containsKey("TargetGroup")
                            ? world.serviceByTargetGroup(dims.get("TargetGroup"))
                            : dims.containsKey("LoadBalancer")
                                    ? world.serviceByLoadBalancer(dims.get("LoadBalancer"))
                                    : null;
            List<Double> times = svc == null ? List.of() : in.timestamps(q.period());
            List<Double> values = new ArrayList<>();
            if (svc != null) {
                Instant fixedAt = world.fixedAt(svc);
                for (double t : times) {
                    values.add(SandboxTelemetry.metric(
                            svc.name, q.metric(), q.stat(), Instant.ofEpochSecond((long) t), fixedAt));
                }
            }
            results.add(new AwsWire.MetricSeries(q.id(), q.metric(), times, values));
        }
        return AwsWire.metricData(results);
    }

    // ---- query protocol: ELBv2, EC2, STS, CloudFormation -------------------------------------------------------

    private static final String VPC = "vpc-0a1b2c3d4e5f60718";
    private static final String SUBNET_A = "subnet-0a1b2c3d4e5f60718";
    private static final String SUBNET_B = "subnet-0b2c3d4e5f6071829";

    private Reply query(Map<String, List<String>> form) {
        String action = form.getOrDefault("Action", List.of("")).get(0);
        String version = form.getOrDefault("Version", List.of("")).get(0);
        if (SandboxIam.handles(action)) {
            return iam.query(action, form);
        }
        switch (action) {
            case "GetCallerIdentity" -> {
                return AwsWire.getCallerIdentity(
                        "arn:aws:sts::" + SandboxWorld.ACCOUNT_ID + ":assumed-role/ops-mcp-sandbox/ops-mcp",
                        "SANDBOXROLEID:ops-mcp",
                        SandboxWorld.ACCOUNT_ID);
            }
            case "DescribeTargetGroups" -> {
                List<AwsWire.TargetGroupXml> groups = new ArrayList<>();
                for (String arn : AwsQueryProtocol.listParam(form, "TargetGroupArns.member.")) {
                    SandboxWorld.Svc s = world.serviceByTargetGroup(arn);
                    if (s == null) {
                        return AwsWire.queryError(400, "TargetGroupNotFound", "One or more target groups not found");
                    }
                    groups.add(new AwsWire.TargetGroupXml(
                            s.targetGroupArn,
                            "shop-" + s.name,
                            s.port,
                            VPC,
                            "traffic-port",
                            "/health",
                            "ip",
                            s.loadBalancerArn));
                }
                return AwsWire.describeTargetGroups(groups);
            }
            case "DescribeTargetHealth" -> {
                SandboxWorld.Svc s = world.serviceByTargetGroup(
                        form.getOrDefault("TargetGroupArn", List.of("")).get(0));
                if (s == null) {
                    return AwsWire.queryError(400, "TargetGroupNotFound", "Target groups not found");
                }
                List<AwsWire.TargetHealthXml> targets = new ArrayList<>();
                for (String[] t : world.targets(s)) {
                    targets.add(new AwsWire.TargetHealthXml(
                            t[0], s.port, t[0].startsWith("10.0.1.") ? "eu-west-1a" : "eu-west-1b", t[1], t[2], t[3]));
                }
                return AwsWire.describeTargetHealth(targets);
            }
            case "DescribeSubnets" -> {
                return AwsWire.describeSubnets(List.of(
                        new AwsWire.SubnetXml(SUBNET_A, VPC, "eu-west-1a", "10.0.1.0/24", 243, false),
                        new AwsWire.SubnetXml(SUBNET_B, VPC, "eu-west-1b", "10.0.2.0/24", 239, false)));
            }
            case "DescribeStackEvents" -> {
                String stack = form.getOrDefault("StackName", List.of("")).get(0);
                if (!SandboxWorld.CHECKOUT_STACK.equals(stack)) {
                    return AwsWire.queryError(400, "ValidationError", "Stack with id " + stack + " does not exist");
                }
                Instant at = Instant.now().minus(java.time.Duration.ofDays(3));
                return AwsWire.describeStackEvents(
                        SandboxWorld.REGION,
                        SandboxWorld.ACCOUNT_ID,
                        stack,
                        List.of(
                                new AwsWire.StackEventXml(
                                        stack, "AWS::CloudFormation::Stack", at, "UPDATE_COMPLETE", null),
                                new AwsWire.StackEventXml(
                                        "CheckoutService", "AWS::ECS::Service", at, "UPDATE_COMPLETE", null),
                                new AwsWire.StackEventXml(
                                        "CheckoutService", "AWS::ECS::Service", at, "UPDATE_IN_PROGRESS", null)));
            }
            case "DescribeRouteTables" -> {
                // the private subnets' table: local route and a default route through a NAT gateway
                return AwsWire.describeRouteTables(List.of(new AwsWire.RouteTableXml(
                        "rtb-0a1b2c3d4e5f60718",
                        VPC,
                        List.of(SUBNET_A, SUBNET_B),
                        false,
                        List.of(new AwsWire.RouteXml("0.0.0.0/0", "nat-0a1b2c3d4e5f60718", "active")))));
            }
            case "DescribeVpcEndpoints" -> {
                return AwsWire.describeVpcEndpoints(VPC, List.of());
            }
            case "DescribeSecurityGroups" -> {
                return AwsWire.describeSecurityGroups(List.of(new AwsWire.SecurityGroupXml(
                        SandboxWorld.ACCOUNT_ID,
                        "sg-0123456789abcdef0",
                        "shop-services",
                        "shop ECS services",
                        VPC,
                        List.of(new AwsWire.IngressXml(
                                "tcp", 8080, 8080, List.of("sg-0fedcba9876543210"), List.of())))));
            }
            default -> {
                return AwsWire.queryError(
                        400, "InvalidAction", "the sandbox does not simulate " + action + " (" + version + ")");
            }
        }
    }
}
