package io.opsmcp.tools.aws.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * WireMock extension that answers every request as the simulated AWS account would, in each service's wire
 * protocol as AWS SDK for Java 2.41 speaks it: ECS and CloudWatch Logs in AWS JSON 1.1 ({@code X-Amz-Target}),
 * CloudWatch in Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/OP}), ELBv2,
 * EC2 and STS in the AWS query protocol (form-encoded {@code Action}, XML responses). Errors use each protocol's
 * error shape ({@code __type} for JSON and CBOR, {@code ErrorResponse}/{@code Response} XML for query).
 */
final class SandboxAwsTransformer implements ResponseDefinitionTransformerV2 {

    static final String NAME = "ops-mcp-aws-sandbox";
    static final String ECS_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    static final String LOGS_PREFIX = "Logs_20140328.";
    static final String ECR_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    static final String CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/";
    /** Events FilterLogEvents looks at per page, like the service's own scan budget per call. */
    static final int SCAN_PER_PAGE = 10_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final JsonMapper json = JsonMapper.builder().build();
    private final CBORMapper cbor = CBORMapper.builder().build();
    private final SandboxWorld world;

    SandboxAwsTransformer(SandboxWorld world) {
        this.world = world;
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** A reply: status, content type and body. */
    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request req = serveEvent.getRequest();
        Reply reply;
        try {
            String target = req.getHeader("X-Amz-Target");
            if (target != null && target.startsWith(ECS_PREFIX)) {
                reply = ecs(target.substring(ECS_PREFIX.length()), json.readTree(req.getBody()));
            } else if (target != null && target.startsWith(ECR_PREFIX)) {
                reply = ecr(target.substring(ECR_PREFIX.length()), json.readTree(req.getBody()));
            } else if (target != null && target.startsWith(LOGS_PREFIX)) {
                reply = logs(target.substring(LOGS_PREFIX.length()), json.readTree(req.getBody()));
            } else if (req.getUrl().startsWith(CBOR_PATH)) {
                reply = cloudWatch(req.getUrl().substring(CBOR_PATH.length()), req.getBody());
            } else {
                reply = query(AwsQueryProtocol.form(req.getBodyAsString()));
            }
        } catch (RuntimeException e) {
            reply = jsonError(500, "InternalFailure", "sandbox failure: " + e.getClass().getSimpleName());
        }
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition()
                .withStatus(reply.status())
                .withHeader("Content-Type", reply.contentType())
                .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                .withBody(reply.body());
        reply.headers().forEach(b::withHeader);
        return b.build();
    }

    // ---- ECS (JSON 1.1) ----------------------------------------------------------------------------------------

    private Reply ecs(String operation, JsonNode in) {
        Instant now = Instant.now();
        if (in.has("cluster") && !SandboxWorld.CLUSTER.equals(SandboxWorld.shortName(in.get("cluster").asString()))) {
            return jsonError(400, "ClusterNotFoundException", "Cluster not found.");
        }
        ObjectNode out = JSON.objectNode();
        switch (operation) {
            case "ListClusters" -> out.putArray("clusterArns").add(SandboxWorld.ECS_ARN + "cluster/" + SandboxWorld.CLUSTER);
            case "DescribeClusters" -> {
                ArrayNode clusters = out.putArray("clusters");
                ArrayNode failures = out.putArray("failures");
                for (JsonNode c : in.path("clusters")) {
                    if (SandboxWorld.CLUSTER.equals(SandboxWorld.shortName(c.asString()))) {
                        List<SandboxWorld.Svc> all = world.services();
                        clusters.addObject().put("clusterArn", SandboxWorld.ECS_ARN + "cluster/" + SandboxWorld.CLUSTER)
                                .put("clusterName", SandboxWorld.CLUSTER).put("status", "ACTIVE")
                                .put("registeredContainerInstancesCount", 0)
                                .put("runningTasksCount", all.stream().mapToInt(s -> s.running).sum())
                                .put("pendingTasksCount", all.stream().mapToInt(s -> s.pending).sum())
                                .put("activeServicesCount", all.size());
                    } else {
                        failures.addObject().put("arn", c.asString()).put("reason", "MISSING");
                    }
                }
            }
            case "ListServices" -> {
                List<String> arns = world.services().stream()
                        .map(s -> SandboxWorld.ECS_ARN + "service/" + SandboxWorld.CLUSTER + "/" + s.name).toList();
                page(out, "serviceArns", arns, in);
            }
            case "DescribeServices" -> {
                ArrayNode services = out.putArray("services");
                ArrayNode failures = out.putArray("failures");
                for (JsonNode s : in.path("services")) {
                    SandboxWorld.Svc svc = world.service(s.asString());
                    if (svc == null) {
                        failures.addObject().put("arn", SandboxWorld.ECS_ARN + "service/" + SandboxWorld.CLUSTER + "/"
                                + SandboxWorld.shortName(s.asString())).put("reason", "MISSING");
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
                SandboxWorld.Svc svc = in.has("serviceName") ? world.service(in.get("serviceName").asString()) : null;
                if (in.has("serviceName") && svc == null) {
                    return jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                List<String> arns = new ArrayList<>();
                if ("STOPPED".equals(in.path("desiredStatus").asString("RUNNING"))) {
                    for (SandboxWorld.Svc s : svc == null ? world.services() : List.of(svc)) {
                        world.stoppedTasks(s).forEach(t -> arns.add(t.get("taskArn").asString()));
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
                    return jsonError(400, "ClientException", "Unable to describe task definition.");
                }
                out.set("taskDefinition", td);
                if (includes(in, "TAGS")) {
                    out.set("tags", world.taskDefinitionTags(td));
                }
            }
            case "ListTaskDefinitions" -> {
                List<String> arns = new ArrayList<>(world.taskDefinitionArns(in.path("familyPrefix").asString(null)));
                if ("DESC".equals(in.path("sort").asString("ASC"))) {
                    java.util.Collections.reverse(arns);
                }
                page(out, "taskDefinitionArns", arns, in);
            }
            case "RegisterTaskDefinition" -> out.set("taskDefinition", world.register((ObjectNode) in));
            case "UpdateService" -> {
                SandboxWorld.Svc svc = world.service(in.path("service").asString(""));
                if (svc == null) {
                    return jsonError(400, "ServiceNotFoundException", "Service not found.");
                }
                if (world.update(svc, in, now) == null) {
                    return jsonError(400, "ClientException", "TaskDefinition not found.");
                }
                out.set("service", world.describeService(svc, now));
            }
            default -> {
                return jsonError(400, "UnknownOperationException", "the sandbox does not simulate ECS " + operation);
            }
        }
        return new Reply(200, "application/x-amz-json-1.1", json.writeValueAsBytes(out), Map.of());
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
        int from = in.hasNonNull("nextToken") ? Integer.parseInt(in.get("nextToken").asString()) : 0;
        int size = in.path("maxResults").asInt(100);
        ArrayNode arr = out.putArray(field);
        all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size)).forEach(arr::add);
        if (from + size < all.size()) {
            out.put("nextToken", String.valueOf(from + size));
        }
    }

    private Reply jsonError(int status, String type, String message) {
        ObjectNode e = JSON.objectNode().put("__type", type).put("message", message);
        return new Reply(status, "application/x-amz-json-1.1", json.writeValueAsBytes(e), Map.of());
    }

    // ---- CloudWatch Logs (JSON 1.1) ----------------------------------------------------------------------------

    private Reply logs(String operation, JsonNode in) {
        if (!"FilterLogEvents".equals(operation)) {
            return jsonError(400, "UnknownOperationException", "the sandbox does not simulate Logs " + operation);
        }
        String group = in.path("logGroupName").asString("");
        SandboxWorld.Svc svc = group.startsWith("/ecs/shop/") ? world.service(group.substring("/ecs/shop/".length())) : null;
        if (svc == null) {
            return jsonError(400, "ResourceNotFoundException", "The specified log group does not exist.");
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
            index = startTime <= start.toEpochMilli() ? 0
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
            return jsonError(400, "UnknownOperationException", "the sandbox does not simulate ECR " + operation);
        }
        String repo = in.path("repositoryName").asString("");
        String tag = in.path("imageIds").path(0).path("imageTag").asString("latest");
        if (SandboxWorld.BAD_IMAGE_TAG.equals(tag)) {
            return jsonError(400, "ImageNotFoundException", "The image with imageId {imageDigest:'null', imageTag:'"
                    + tag + "'} does not exist within the repository with name '" + repo + "' in the registry with id '"
                    + SandboxWorld.ACCOUNT_ID + "'");
        }
        ObjectNode out = JSON.objectNode();
        ObjectNode d = out.putArray("imageDetails").addObject();
        d.put("registryId", SandboxWorld.ACCOUNT_ID).put("repositoryName", repo)
                .put("imageDigest", "sha256:" + "0f".repeat(32)).put("imagePushedAt", SandboxWorld.epoch(Instant.now()));
        d.putArray("imageTags").add(tag);
        return new Reply(200, "application/x-amz-json-1.1", json.writeValueAsBytes(out), Map.of());
    }

    // ---- CloudWatch (Smithy RPC v2 CBOR) -----------------------------------------------------------------------

    private Reply cloudWatch(String operation, byte[] body) {
        if (!"GetMetricData".equals(operation)) {
            return cborError("InvalidAction", "the sandbox does not simulate CloudWatch " + operation);
        }
        JsonNode in = cbor.readTree(body);
        double startSec = in.path("StartTime").asDouble();
        double endSec = in.path("EndTime").asDouble();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) cbor.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeName("MetricDataResults");
            g.writeStartArray();
            for (JsonNode q : in.path("MetricDataQueries")) {
                JsonNode stat = q.path("MetricStat");
                JsonNode metric = stat.path("Metric");
                Map<String, String> dims = new LinkedHashMap<>();
                for (JsonNode d : metric.path("Dimensions")) {
                    dims.put(d.path("Name").asString(), d.path("Value").asString());
                }
                SandboxWorld.Svc svc = dims.containsKey("ServiceName") ? world.service(dims.get("ServiceName"))
                        : dims.containsKey("TargetGroup") ? world.serviceByTargetGroup(dims.get("TargetGroup"))
                        : dims.containsKey("LoadBalancer") ? world.serviceByLoadBalancer(dims.get("LoadBalancer")) : null;
                int period = Math.max(60, stat.path("Period").asInt(60));
                g.writeStartObject();
                g.writeStringProperty("Id", q.path("Id").asString());
                g.writeStringProperty("Label", metric.path("MetricName").asString());
                List<Double> times = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                if (svc != null) {
                    Instant fixedAt = world.fixedAt(svc);
                    for (long t = (long) Math.ceil(startSec / period) * period; t < endSec && times.size() < 1440; t += period) {
                        times.add((double) t);
                        values.add(SandboxTelemetry.metric(svc.name, metric.path("MetricName").asString(),
                                stat.path("Stat").asString(), Instant.ofEpochSecond(t), fixedAt));
                    }
                }
                g.writeName("Timestamps");
                g.writeStartArray();
                for (double t : times) {
                    g.writeTag(1);
                    g.writeNumber(t);
                }
                g.writeEndArray();
                g.writeName("Values");
                g.writeStartArray();
                for (double v : values) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeStringProperty("StatusCode", "Complete");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeName("Messages");
            g.writeStartArray();
            g.writeEndArray();
            g.writeEndObject();
        }
        return new Reply(200, "application/cbor", bytes.toByteArray(), Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    private Reply cborError(String type, String message) {
        ObjectNode e = JSON.objectNode().put("__type", "com.amazonaws.cloudwatch#" + type).put("message", message);
        return new Reply(400, "application/cbor", cbor.writeValueAsBytes(e), Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    // ---- query protocol: ELBv2, EC2, STS -----------------------------------------------------------------------

    private Reply query(Map<String, List<String>> form) {
        String action = form.getOrDefault("Action", List.of("")).get(0);
        String version = form.getOrDefault("Version", List.of("")).get(0);
        String rid = UUID.randomUUID().toString();
        switch (action) {
            case "GetCallerIdentity" -> {
                return xml(200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>arn:aws:sts::" + SandboxWorld.ACCOUNT_ID
                        + ":assumed-role/ops-mcp-sandbox/ops-mcp</Arn><UserId>SANDBOXROLEID:ops-mcp</UserId><Account>"
                        + SandboxWorld.ACCOUNT_ID + "</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>"
                        + rid + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
            }
            case "DescribeTargetGroups" -> {
                StringBuilder sb = new StringBuilder();
                for (String arn : AwsQueryProtocol.listParam(form, "TargetGroupArns.member.")) {
                    SandboxWorld.Svc s = world.serviceByTargetGroup(arn);
                    if (s == null) {
                        return queryError(400, "TargetGroupNotFound", "One or more target groups not found");
                    }
                    sb.append("<member><TargetGroupArn>").append(s.targetGroupArn).append("</TargetGroupArn>")
                            .append("<TargetGroupName>shop-").append(s.name).append("</TargetGroupName>")
                            .append("<Protocol>HTTP</Protocol><Port>").append(s.port).append("</Port>")
                            .append("<VpcId>vpc-0a1b2c3d4e5f60718</VpcId><HealthCheckProtocol>HTTP</HealthCheckProtocol>")
                            .append("<HealthCheckPort>traffic-port</HealthCheckPort><HealthCheckPath>/health</HealthCheckPath>")
                            .append("<TargetType>ip</TargetType><LoadBalancerArns><member>").append(s.loadBalancerArn)
                            .append("</member></LoadBalancerArns></member>");
                }
                return xml(200, "<DescribeTargetGroupsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/"
                        + "2015-12-01/\"><DescribeTargetGroupsResult><TargetGroups>" + sb
                        + "</TargetGroups></DescribeTargetGroupsResult><ResponseMetadata><RequestId>" + rid
                        + "</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>");
            }
            case "DescribeTargetHealth" -> {
                SandboxWorld.Svc s = world.serviceByTargetGroup(form.getOrDefault("TargetGroupArn", List.of("")).get(0));
                if (s == null) {
                    return queryError(400, "TargetGroupNotFound", "Target groups not found");
                }
                StringBuilder sb = new StringBuilder();
                for (String[] t : world.targets(s)) {
                    sb.append("<member><HealthCheckPort>").append(s.port).append("</HealthCheckPort><Target><Id>")
                            .append(t[0]).append("</Id><Port>").append(s.port).append("</Port><AvailabilityZone>")
                            .append(t[0].startsWith("10.0.1.") ? "eu-west-1a" : "eu-west-1b")
                            .append("</AvailabilityZone></Target><TargetHealth><State>").append(t[1]).append("</State>");
                    if (t[2] != null) {
                        sb.append("<Reason>").append(t[2]).append("</Reason><Description>").append(t[3])
                                .append("</Description>");
                    }
                    sb.append("</TargetHealth></member>");
                }
                return xml(200, "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/"
                        + "2015-12-01/\"><DescribeTargetHealthResult><TargetHealthDescriptions>" + sb
                        + "</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>" + rid
                        + "</RequestId></ResponseMetadata></DescribeTargetHealthResponse>");
            }
            case "DescribeSubnets" -> {
                return xml(200, "<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
                        + rid + "</requestId><subnetSet>"
                        + subnet("subnet-0a1b2c3d4e5f60718", "eu-west-1a", "10.0.1.0/24", 243)
                        + subnet("subnet-0b2c3d4e5f6071829", "eu-west-1b", "10.0.2.0/24", 239)
                        + "</subnetSet></DescribeSubnetsResponse>");
            }
            case "DescribeStackEvents" -> {
                String stack = form.getOrDefault("StackName", List.of("")).get(0);
                if (!SandboxWorld.CHECKOUT_STACK.equals(stack)) {
                    return queryError(400, "ValidationError", "Stack with id " + stack + " does not exist");
                }
                String at = Instant.now().minus(java.time.Duration.ofDays(3)).toString();
                StringBuilder sb = new StringBuilder();
                for (String[] e : new String[][] {{stack, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE"},
                        {"CheckoutService", "AWS::ECS::Service", "UPDATE_COMPLETE"},
                        {"CheckoutService", "AWS::ECS::Service", "UPDATE_IN_PROGRESS"}}) {
                    sb.append("<member><StackId>arn:aws:cloudformation:").append(SandboxWorld.REGION).append(':')
                            .append(SandboxWorld.ACCOUNT_ID).append(":stack/").append(stack).append("/1</StackId><EventId>")
                            .append(UUID.randomUUID()).append("</EventId><StackName>").append(stack)
                            .append("</StackName><LogicalResourceId>").append(e[0]).append("</LogicalResourceId>")
                            .append("<ResourceType>").append(e[1]).append("</ResourceType><Timestamp>").append(at)
                            .append("</Timestamp><ResourceStatus>").append(e[2]).append("</ResourceStatus></member>");
                }
                return xml(200, "<DescribeStackEventsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                        + "<DescribeStackEventsResult><StackEvents>" + sb + "</StackEvents></DescribeStackEventsResult>"
                        + "<ResponseMetadata><RequestId>" + rid + "</RequestId></ResponseMetadata></DescribeStackEventsResponse>");
            }
            case "DescribeRouteTables" -> {
                // the private subnets' table: local route and a default route through a NAT gateway
                return xml(200, "<DescribeRouteTablesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
                        + rid + "</requestId><routeTableSet><item><routeTableId>rtb-0a1b2c3d4e5f60718</routeTableId>"
                        + "<vpcId>vpc-0a1b2c3d4e5f60718</vpcId><associationSet>"
                        + "<item><routeTableAssociationId>rtbassoc-01</routeTableAssociationId><routeTableId>"
                        + "rtb-0a1b2c3d4e5f60718</routeTableId><subnetId>subnet-0a1b2c3d4e5f60718</subnetId><main>false</main></item>"
                        + "<item><routeTableAssociationId>rtbassoc-02</routeTableAssociationId><routeTableId>"
                        + "rtb-0a1b2c3d4e5f60718</routeTableId><subnetId>subnet-0b2c3d4e5f6071829</subnetId><main>false</main></item>"
                        + "</associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock>"
                        + "<gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>"
                        + "<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-0a1b2c3d4e5f60718"
                        + "</natGatewayId><state>active</state><origin>CreateRoute</origin></item></routeSet><tagSet/></item>"
                        + "</routeTableSet></DescribeRouteTablesResponse>");
            }
            case "DescribeVpcEndpoints" -> {
                return xml(200, "<DescribeVpcEndpointsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
                        + rid + "</requestId><vpcEndpointSet/></DescribeVpcEndpointsResponse>");
            }
            case "DescribeSecurityGroups" -> {
                return xml(200, "<DescribeSecurityGroupsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>" + rid + "</requestId><securityGroupInfo><item><ownerId>" + SandboxWorld.ACCOUNT_ID
                        + "</ownerId><groupId>sg-0123456789abcdef0</groupId><groupName>shop-services</groupName>"
                        + "<groupDescription>shop ECS services</groupDescription><vpcId>vpc-0a1b2c3d4e5f60718</vpcId>"
                        + "<ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>8080</fromPort><toPort>8080</toPort>"
                        + "<groups><item><userId>" + SandboxWorld.ACCOUNT_ID + "</userId><groupId>sg-0fedcba9876543210"
                        + "</groupId></item></groups><ipRanges/><ipv6Ranges/><prefixListIds/></item></ipPermissions>"
                        + "<ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0"
                        + "</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissionsEgress></item>"
                        + "</securityGroupInfo></DescribeSecurityGroupsResponse>");
            }
            default -> {
                return queryError(400, "InvalidAction", "the sandbox does not simulate " + action + " (" + version + ")");
            }
        }
    }

    private static String subnet(String id, String az, String cidr, int free) {
        return "<item><subnetId>" + id + "</subnetId><state>available</state><vpcId>vpc-0a1b2c3d4e5f60718</vpcId>"
                + "<cidrBlock>" + cidr + "</cidrBlock><availableIpAddressCount>" + free + "</availableIpAddressCount>"
                + "<availabilityZone>" + az + "</availabilityZone><defaultForAz>false</defaultForAz>"
                + "<mapPublicIpOnLaunch>false</mapPublicIpOnLaunch></item>";
    }

    private static Reply xml(int status, String body) {
        return new Reply(status, "text/xml", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Reply queryError(int status, String code, String message) {
        return xml(status, AwsQueryProtocol.errorXml(code, message));
    }
}
