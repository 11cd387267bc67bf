package io.opsmcp.tools.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.sandbox.AwsQueryProtocol;
import io.opsmcp.tools.aws.sandbox.AwsWire;
import io.opsmcp.tools.aws.sandbox.AwsWire.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A WireMock server that answers as AWS would for one scenario of {@code src/test/resources/ecs-scenarios/}: ECS,
 * CloudWatch Logs and ECR in AWS JSON 1.1 (the scenario's ECS objects are served as written: they are wire-format
 * JSON), CloudWatch in Smithy RPC v2 CBOR, ELBv2, EC2 and CloudFormation in the query protocol (XML rendered from
 * the scenario's compact lists). Relative times such as {@code "-20m"} in {@code *At} / {@code timestamp} fields
 * become epoch seconds at load time. Unknown operations get the protocol's error, so a check that calls something
 * the scenario does not model fails loudly (as {@code check_failed}). Every request is counted per operation. The
 * answers are rendered by the sandbox module's {@link AwsWire}, the same renderers the sandbox account uses.
 */
final class ScenarioAws implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String ACCOUNT_ID = "123456789012";
    static final String REGION = "us-east-1";
    static final String ECS_ARN = "arn:aws:ecs:" + REGION + ":" + ACCOUNT_ID + ":";

    private final WireMockServer server;
    private final AtomicReference<ObjectNode> scenario = new AtomicReference<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    ScenarioAws() {
        server = AwsWire.serve("ops-mcp-ecs-scenario", 8, this::reply);
    }

    /** Settings for {@link Fixtures#toolset}: one account whose endpoint is this server. */
    JsonNode settings() {
        ObjectNode root = F.objectNode();
        ObjectNode a = root.putObject("aws")
                .put("max_attempts", 1)
                .putArray("accounts")
                .addObject();
        a.put("name", "corpus");
        a.put("account_id", ACCOUNT_ID);
        a.put("environment", "prod");
        a.put("default_region", REGION);
        a.putObject("credentials")
                .put("type", "static")
                .put("access_key_id", "corpus-key-id")
                .put("secret_access_key", "corpus-secret-not-real");
        a.put("endpoint_url", "http://127.0.0.1:" + server.port());
        return root;
    }

    /** Serves this scenario (already merged with the base) from now on and resets the request counts. */
    void serve(ObjectNode s) {
        scenario.set(s);
        synchronized (counts) {
            counts.clear();
        }
    }

    Map<String, Integer> counts() {
        synchronized (counts) {
            return new LinkedHashMap<>(counts);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- scenario loading ----------------------------------------------------------------------------------

    /** The base (healthy service) with the scenario's objects merged over it, times made absolute. */
    static ObjectNode load(JsonNode base, JsonNode sc, Instant now) {
        ObjectNode out = (ObjectNode) base.deepCopy();
        merge(out, sc);
        absolute(out, now);
        return out;
    }

    /** Objects merge key by key; arrays and scalars replace; {@code null} removes. */
    static void merge(ObjectNode into, JsonNode from) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode cur = into.get(e.getKey());
            if (e.getValue().isNull()) {
                into.remove(e.getKey());
            } else if (cur != null && cur.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) cur, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static void absolute(JsonNode n, Instant now) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> names = new ArrayList<>(o.propertyNames());
            for (String k : names) {
                JsonNode v = o.get(k);
                if (v.isString()
                        && v.asString().matches("-\\d+[smhd]")
                        && (k.endsWith("At") || k.equals("timestamp"))) {
                    Instant t = now.minus(ago(v.asString()));
                    if (k.equals("timestamp")) {
                        o.put(k, t.toEpochMilli());
                    } else {
                        o.put(k, t.toEpochMilli() / 1000.0);
                    }
                } else {
                    absolute(v, now);
                }
            }
        } else if (n.isArray()) {
            n.forEach(x -> absolute(x, now));
        }
    }

    static Duration ago(String s) {
        long v = Long.parseLong(s.substring(1, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(v);
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            default -> Duration.ofDays(v);
        };
    }

    // ---- the protocols -------------------------------------------------------------------------------------

    private void count(String op) {
        synchronized (counts) {
            counts.merge(op, 1, Integer::sum);
        }
    }

    private Reply reply(Request req) {
        ObjectNode s = scenario.get();
        Reply failure = failure(s, req);
        if (failure != null) {
            return failure;
        }
        String target = req.getHeader("X-Amz-Target");
        if (target != null) {
            String op = target.substring(target.indexOf('.') + 1);
            count(op);
            JsonNode in = JSON.readTree(req.getBody());
            if (target.startsWith("AmazonEC2ContainerServiceV20141113.")) {
                return ecs(s, op, in);
            }
            if (target.startsWith("Logs_20140328.")) {
                return logs(s, op, in);
            }
            if (target.startsWith("AmazonEC2ContainerRegistry_V20150921.")) {
                return ecr(s, op, in);
            }
            return jsonError(400, "UnknownOperationException", target);
        }
        if (req.getUrl().startsWith("/service/GraniteServiceVersion20100801/operation/")) {
            count("GetMetricData");
            return cloudWatch(s, req.getBody());
        }
        Map<String, List<String>> form = AwsQueryProtocol.form(req.getBodyAsString());
        String action = form.getOrDefault("Action", List.of("")).get(0);
        count(action);
        return query(s, action, form);
    }

    /**
     * The scenario's {@code fail} map, operation → {@code denied} (the protocol's AccessDenied), {@code 500}, or
     * {@code targetless} (DescribeTargetHealth with a member that has no Target: an answer the code does not expect).
     */
    private Reply failure(ObjectNode s, Request req) {
        String target = req.getHeader("X-Amz-Target");
        boolean json = target != null;
        String op = json
                ? target.substring(target.indexOf('.') + 1)
                : req.getUrl().startsWith("/service/")
                        ? "GetMetricData"
                        : AwsQueryProtocol.form(req.getBodyAsString())
                                .getOrDefault("Action", List.of(""))
                                .get(0);
        String mode = s.path("fail").path(op).asString(null);
        if (mode == null) {
            return null;
        }
        count(op);
        boolean cbor = "GetMetricData".equals(op);
        return switch (mode) {
            case "denied" ->
                cbor
                        ? AwsWire.cborError("AccessDeniedException", "denied")
                        : json
                                ? AwsWire.jsonError(
                                        400,
                                        "AccessDeniedException",
                                        "User: arn:aws:sts::" + ACCOUNT_ID
                                                + ":assumed-role/ops/x is not authorized to perform: " + op)
                                : AwsWire.queryError(403, "AccessDenied", "not authorized");
            // a member without a Target: an answer the code does not expect
            case "targetless" ->
                AwsWire.xml(
                        200,
                        "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing"
                                + ".amazonaws.com/doc/2015-12-01/\"><DescribeTargetHealthResult><TargetHealthDescriptions><member>"
                                + "<TargetHealth><State>healthy</State></TargetHealth></member></TargetHealthDescriptions>"
                                + "</DescribeTargetHealthResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                                + "</DescribeTargetHealthResponse>");
            default -> AwsWire.jsonError(500, "InternalFailure", "injected failure");
        };
    }

    private Reply ecs(ObjectNode s, String op, JsonNode in) {
        ObjectNode out = F.objectNode();
        switch (op) {
            case "DescribeServices" -> {
                ArrayNode services = out.putArray("services");
                ArrayNode failures = out.putArray("failures");
                JsonNode svc = s.get("service");
                for (JsonNode name : in.path("services")) {
                    if (svc != null && svc.get("serviceName").asString().equals(AwsTool.shortName(name.asString()))) {
                        ObjectNode copy = (ObjectNode) svc.deepCopy();
                        boolean tags = false;
                        for (JsonNode f : in.path("include")) {
                            tags |= "TAGS".equals(f.asString());
                        }
                        if (!tags) {
                            copy.remove("tags");
                        }
                        services.add(copy);
                    } else {
                        failures.addObject()
                                .put("arn", ECS_ARN + "service/prod/" + AwsTool.shortName(name.asString()))
                                .put("reason", "MISSING");
                    }
                }
            }
            case "ListTasks" -> {
                ArrayNode arns = out.putArray("taskArns");
                String service = in.path("serviceName").asString(null);
                String status = in.path("desiredStatus").asString("RUNNING");
                for (JsonNode t : allTasks(s)) {
                    boolean stopped = "STOPPED".equals(t.path("desiredStatus").asString("STOPPED"));
                    if (stopped != "STOPPED".equals(status)) {
                        continue;
                    }
                    if (service == null
                            || ("service:" + service).equals(t.path("group").asString(""))) {
                        arns.add(t.get("taskArn").asString());
                    }
                }
            }
            case "DescribeTasks" -> {
                ArrayNode tasks = out.putArray("tasks");
                out.putArray("failures");
                for (JsonNode want : in.path("tasks")) {
                    for (JsonNode t : allTasks(s)) {
                        if (t.get("taskArn").asString().equals(want.asString())) {
                            tasks.add(t);
                        }
                    }
                }
            }
            case "DescribeTaskDefinition" -> {
                String want = AwsTool.shortName(in.path("taskDefinition").asString(""));
                JsonNode found = null;
                for (JsonNode td : s.path("taskDefinitions")) {
                    String fr = td.get("family").asString() + ":"
                            + td.get("revision").asInt();
                    if (fr.equals(want) || td.get("family").asString().equals(want)) {
                        found = td;
                    }
                }
                if (found == null) {
                    return jsonError(400, "ClientException", "Unable to describe task definition.");
                }
                out.set("taskDefinition", found);
            }
            default -> {
                return jsonError(400, "UnknownOperationException", "ECS " + op);
            }
        }
        return json(out);
    }

    private static List<JsonNode> allTasks(ObjectNode s) {
        List<JsonNode> out = new ArrayList<>();
        s.path("tasks").forEach(out::add);
        s.path("clusterTasks").forEach(out::add);
        return out;
    }

    private Reply logs(ObjectNode s, String op, JsonNode in) {
        if (!"FilterLogEvents".equals(op)) {
            return jsonError(400, "UnknownOperationException", "Logs " + op);
        }
        ObjectNode out = F.objectNode();
        ArrayNode events = out.putArray("events");
        String pattern = in.path("filterPattern").asString("");
        List<String> any = new ArrayList<>();
        for (String term : pattern.split("\\s+")) {
            if (term.startsWith("?")) {
                any.add(term.substring(1));
            }
        }
        long now = Instant.now().toEpochMilli();
        int i = 0;
        for (JsonNode line : s.path("logs")) {
            String m = line.asString();
            if (any.isEmpty() || any.stream().anyMatch(m::contains)) {
                events.addObject()
                        .put("logStreamName", "ecs/app/0123456789abcdef")
                        .put("timestamp", now - 60_000L * (++i))
                        .put("message", m)
                        .put("eventId", String.valueOf(i))
                        .put("ingestionTime", now);
            }
        }
        return json(out);
    }

    private Reply ecr(ObjectNode s, String op, JsonNode in) {
        if (!"DescribeImages".equals(op)) {
            return jsonError(400, "UnknownOperationException", "ECR " + op);
        }
        String repo = in.path("repositoryName").asString("");
        String tag = in.path("imageIds").path(0).path("imageTag").asString("");
        JsonNode missing = s.path("ecrMissing");
        for (JsonNode m : missing) {
            if (m.asString().equals(repo + ":" + tag) || m.asString().equals(repo)) {
                boolean repoMissing = m.asString().equals(repo);
                return repoMissing
                        ? jsonError(
                                400,
                                "RepositoryNotFoundException",
                                "The repository with name '" + repo + "' does not exist in the registry with id '"
                                        + ACCOUNT_ID + "'")
                        : jsonError(
                                400,
                                "ImageNotFoundException",
                                "The image with imageId {imageDigest:'null', "
                                        + "imageTag:'" + tag + "'} does not exist within the repository with name '"
                                        + repo
                                        + "' in the registry with id '" + ACCOUNT_ID + "'");
            }
        }
        ObjectNode out = F.objectNode();
        ObjectNode d = out.putArray("imageDetails").addObject();
        d.put("registryId", ACCOUNT_ID)
                .put("repositoryName", repo)
                .put("imageDigest", "sha256:" + "ab".repeat(32))
                .put("imagePushedAt", Instant.now().getEpochSecond() - 86400);
        d.putArray("imageTags").add(tag);
        return json(out);
    }

    /** Metric values by {@code Metric:Stat} or {@code Metric}: a number per period, or an array cycled through. */
    private Reply cloudWatch(ObjectNode s, byte[] body) {
        AwsWire.MetricDataRequest in = AwsWire.metricDataRequest(body);
        List<AwsWire.MetricSeries> results = new ArrayList<>();
        for (AwsWire.MetricQuery q : in.queries()) {
            JsonNode v = s.path("metrics").get(q.metric() + ":" + q.stat());
            if (v == null) {
                v = s.path("metrics").get(q.metric());
            }
            List<Double> times = v == null ? List.of() : in.timestamps(q.period());
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < times.size(); i++) {
                values.add(v.isArray() ? v.get(i % v.size()).asDouble() : v.asDouble());
            }
            results.add(new AwsWire.MetricSeries(q.id(), q.metric(), times, values));
        }
        return AwsWire.metricData(results);
    }

    private Reply query(ObjectNode s, String action, Map<String, List<String>> form) {
        switch (action) {
            case "DescribeTargetGroups" -> {
                List<AwsWire.TargetGroupXml> groups = new ArrayList<>();
                for (String arn : AwsQueryProtocol.listParam(form, "TargetGroupArns.member.")) {
                    JsonNode tg = find(s.path("targetGroups"), "arn", arn);
                    if (tg == null) {
                        return AwsWire.queryError(400, "TargetGroupNotFound", "One or more target groups not found");
                    }
                    groups.add(new AwsWire.TargetGroupXml(
                            arn,
                            tg.path("name").asString(),
                            tg.path("port").asInt(),
                            "vpc-0example",
                            tg.path("healthCheckPort").asString("traffic-port"),
                            tg.path("healthCheckPath").asString("/health"),
                            tg.path("targetType").asString("ip"),
                            tg.path("loadBalancerArn").asString()));
                }
                return AwsWire.describeTargetGroups(groups);
            }
            case "DescribeTargetHealth" -> {
                String arn = form.getOrDefault("TargetGroupArn", List.of("")).get(0);
                List<AwsWire.TargetHealthXml> targets = new ArrayList<>();
                for (JsonNode t : s.path("targetHealth")) {
                    if (t.has("targetGroupArn")
                            && !t.get("targetGroupArn").asString().equals(arn)) {
                        continue;
                    }
                    targets.add(new AwsWire.TargetHealthXml(
                            t.path("id").asString(),
                            t.path("port").asInt(),
                            null,
                            t.path("state").asString(),
                            t.has("reason") ? t.get("reason").asString() : null,
                            t.path("description").asString("")));
                }
                return AwsWire.describeTargetHealth(targets);
            }
            case "DescribeSubnets" -> {
                List<AwsWire.SubnetXml> subnets = new ArrayList<>();
                for (JsonNode n : s.path("subnets")) {
                    subnets.add(new AwsWire.SubnetXml(
                            n.path("id").asString(),
                            n.path("vpc").asString("vpc-0example"),
                            n.path("az").asString(),
                            n.path("cidr").asString(),
                            n.path("free").asInt(),
                            n.path("public").asBoolean(false)));
                }
                return AwsWire.describeSubnets(subnets);
            }
            case "DescribeSecurityGroups" -> {
                List<AwsWire.SecurityGroupXml> groups = new ArrayList<>();
                for (JsonNode g : s.path("securityGroups")) {
                    List<AwsWire.IngressXml> ingress = new ArrayList<>();
                    for (JsonNode p : g.path("ingress")) {
                        Integer from = p.has("from") ? p.get("from").asInt() : null;
                        ingress.add(new AwsWire.IngressXml(
                                p.path("protocol").asString("tcp"),
                                from,
                                from == null ? null : p.path("to").asInt(from),
                                p.has("group") ? List.of(p.get("group").asString()) : List.of(),
                                p.has("cidr") ? List.of(p.get("cidr").asString()) : List.of()));
                    }
                    groups.add(new AwsWire.SecurityGroupXml(
                            ACCOUNT_ID,
                            g.path("id").asString(),
                            g.path("name").asString("svc"),
                            "svc",
                            "vpc-0example",
                            ingress));
                }
                return AwsWire.describeSecurityGroups(groups);
            }
            case "DescribeRouteTables" -> {
                List<AwsWire.RouteTableXml> tables = new ArrayList<>();
                for (JsonNode rt : s.path("routeTables")) {
                    List<String> subnets = new ArrayList<>();
                    rt.path("subnets").forEach(x -> subnets.add(x.asString()));
                    List<AwsWire.RouteXml> routes = new ArrayList<>();
                    rt.path("routes")
                            .forEach(r -> routes.add(new AwsWire.RouteXml(
                                    r.path("dest").asString("0.0.0.0/0"),
                                    r.path("via").asString(),
                                    r.path("state").asString("active"))));
                    tables.add(new AwsWire.RouteTableXml(
                            rt.path("id").asString(),
                            "vpc-0example",
                            subnets,
                            rt.path("main").asBoolean(false),
                            routes));
                }
                return AwsWire.describeRouteTables(tables);
            }
            case "DescribeVpcEndpoints" -> {
                List<String> names = new ArrayList<>();
                s.path("vpcEndpoints").forEach(e -> names.add(e.asString()));
                return AwsWire.describeVpcEndpoints("vpc-0example", names);
            }
            case "DescribeStackEvents" -> {
                List<AwsWire.StackEventXml> events = new ArrayList<>();
                for (JsonNode e : s.path("stackEvents")) {
                    events.add(new AwsWire.StackEventXml(
                            e.path("resource").asString(),
                            e.path("type").asString("AWS::ECS::Service"),
                            Instant.now().minus(ago(e.path("ago").asString("-10m"))),
                            e.path("status").asString(),
                            e.has("reason") ? e.get("reason").asString() : null));
                }
                return AwsWire.describeStackEvents(
                        REGION,
                        ACCOUNT_ID,
                        form.getOrDefault("StackName", List.of("")).get(0),
                        events);
            }
            default -> {
                return AwsWire.queryError(400, "InvalidAction", "the scenario stub does not answer " + action);
            }
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
            JsonNode n = it.next();
            if (value.equals(n.path(field).asString(null))) {
                return n;
            }
        }
        return null;
    }

    private static Reply json(JsonNode out) {
        return AwsWire.json(out);
    }

    private static Reply jsonError(int status, String type, String message) {
        return AwsWire.jsonError(status, type, message);
    }
}
