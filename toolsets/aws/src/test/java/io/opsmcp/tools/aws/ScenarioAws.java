package io.opsmcp.tools.aws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.opsmcp.tools.aws.sandbox.AwsQueryProtocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * A WireMock server that answers as AWS would for one scenario of {@code src/test/resources/ecs-scenarios/}: ECS,
 * CloudWatch Logs and ECR in AWS JSON 1.1 (the scenario's ECS objects are served as written: they are wire-format
 * JSON), CloudWatch in Smithy RPC v2 CBOR, ELBv2, EC2 and CloudFormation in the query protocol (XML rendered from
 * the scenario's compact lists). Relative times such as {@code "-20m"} in {@code *At} / {@code timestamp} fields
 * become epoch seconds at load time. Unknown operations get the protocol's error, so a check that calls something
 * the scenario does not model fails loudly (as {@code check_failed}). Every request is counted per operation.
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
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .disableRequestJournal().containerThreads(8).extensions(new Transformer()));
        server.start();
        server.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(200)));
    }

    /** Settings for {@link Fixtures#toolset}: one account whose endpoint is this server. */
    JsonNode settings() {
        ObjectNode root = F.objectNode();
        ObjectNode a = root.putObject("aws").put("max_attempts", 1).putArray("accounts").addObject();
        a.put("name", "corpus");
        a.put("account_id", ACCOUNT_ID);
        a.put("environment", "prod");
        a.put("default_region", REGION);
        a.putObject("credentials").put("type", "static").put("access_key_id", "corpus-key-id")
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
                if (v.isString() && v.asString().matches("-\\d+[smhd]") && (k.endsWith("At") || k.equals("timestamp"))) {
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

    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "ops-mcp-ecs-scenario";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request req = event.getRequest();
            Reply r;
            try {
                r = reply(req);
            } catch (RuntimeException e) {
                r = jsonError(500, "InternalFailure", "scenario stub failure: " + e);
            }
            ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(r.status())
                    .withHeader("Content-Type", r.contentType()).withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                    .withBody(r.body());
            r.headers().forEach(b::withHeader);
            return b.build();
        }
    }

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
        String op = json ? target.substring(target.indexOf('.') + 1)
                : req.getUrl().startsWith("/service/") ? "GetMetricData"
                : AwsQueryProtocol.form(req.getBodyAsString()).getOrDefault("Action", List.of("")).get(0);
        String mode = s.path("fail").path(op).asString(null);
        if (mode == null) {
            return null;
        }
        count(op);
        boolean cbor = "GetMetricData".equals(op);
        return switch (mode) {
            case "denied" -> json || cbor
                    ? cbor ? new Reply(400, "application/cbor", CBORMapper.builder().build().writeValueAsBytes(F.objectNode()
                            .put("__type", "com.amazonaws.cloudwatch#AccessDeniedException").put("message", "denied")),
                            Map.of("smithy-protocol", "rpc-v2-cbor"))
                    : jsonError(400, "AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT_ID
                            + ":assumed-role/ops/x is not authorized to perform: " + op)
                    : new Reply(403, "text/xml", ("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                            + "<Message>not authorized</Message></Error><RequestId>1</RequestId></ErrorResponse>")
                            .getBytes(StandardCharsets.UTF_8), Map.of());
            case "targetless" -> xml("<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/"
                    + "2015-12-01/\"><DescribeTargetHealthResult><TargetHealthDescriptions><member><TargetHealth><State>"
                    + "healthy</State></TargetHealth></member></TargetHealthDescriptions></DescribeTargetHealthResult>"
                    + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeTargetHealthResponse>");
            default -> jsonError(500, "InternalFailure", "injected failure");
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
                        failures.addObject().put("arn", ECS_ARN + "service/prod/" + AwsTool.shortName(name.asString()))
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
                    if (service == null || ("service:" + service).equals(t.path("group").asString(""))) {
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
                    String fr = td.get("family").asString() + ":" + td.get("revision").asInt();
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
                events.addObject().put("logStreamName", "ecs/app/0123456789abcdef").put("timestamp", now - 60_000L * (++i))
                        .put("message", m).put("eventId", String.valueOf(i)).put("ingestionTime", now);
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
                        ? jsonError(400, "RepositoryNotFoundException", "The repository with name '" + repo
                        + "' does not exist in the registry with id '" + ACCOUNT_ID + "'")
                        : jsonError(400, "ImageNotFoundException", "The image with imageId {imageDigest:'null', "
                        + "imageTag:'" + tag + "'} does not exist within the repository with name '" + repo
                        + "' in the registry with id '" + ACCOUNT_ID + "'");
            }
        }
        ObjectNode out = F.objectNode();
        ObjectNode d = out.putArray("imageDetails").addObject();
        d.put("registryId", ACCOUNT_ID).put("repositoryName", repo)
                .put("imageDigest", "sha256:" + "ab".repeat(32)).put("imagePushedAt", Instant.now().getEpochSecond() - 86400);
        d.putArray("imageTags").add(tag);
        return json(out);
    }

    private Reply cloudWatch(ObjectNode s, byte[] body) {
        CBORMapper cbor = CBORMapper.builder().build();
        JsonNode in = cbor.readTree(body);
        double start = in.path("StartTime").asDouble();
        double end = in.path("EndTime").asDouble();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) cbor.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeName("MetricDataResults");
            g.writeStartArray();
            for (JsonNode q : in.path("MetricDataQueries")) {
                JsonNode stat = q.path("MetricStat");
                String metric = stat.path("Metric").path("MetricName").asString();
                JsonNode v = s.path("metrics").get(metric + ":" + stat.path("Stat").asString());
                if (v == null) {
                    v = s.path("metrics").get(metric);
                }
                int period = Math.max(60, stat.path("Period").asInt(60));
                g.writeStartObject();
                g.writeStringProperty("Id", q.path("Id").asString());
                g.writeStringProperty("Label", metric);
                List<Double> times = new ArrayList<>();
                if (v != null) {
                    for (long t = (long) Math.ceil(start / period) * period; t < end && times.size() < 1440; t += period) {
                        times.add((double) t);
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
                for (int i = 0; i < times.size(); i++) {
                    // a series: numbers are per-period values; an array is cycled through
                    double val = v.isArray() ? v.get(i % v.size()).asDouble() : v.asDouble();
                    g.writeNumber(val);
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

    private Reply query(ObjectNode s, String action, Map<String, List<String>> form) {
        String rid = UUID.randomUUID().toString();
        StringBuilder sb = new StringBuilder();
        switch (action) {
            case "DescribeTargetGroups" -> {
                for (String arn : AwsQueryProtocol.listParam(form, "TargetGroupArns.member.")) {
                    JsonNode tg = find(s.path("targetGroups"), "arn", arn);
                    if (tg == null) {
                        return queryError("TargetGroupNotFound", "One or more target groups not found");
                    }
                    sb.append("<member><TargetGroupArn>").append(arn).append("</TargetGroupArn><TargetGroupName>")
                            .append(tg.path("name").asString()).append("</TargetGroupName><Protocol>HTTP</Protocol><Port>")
                            .append(tg.path("port").asInt()).append("</Port><VpcId>vpc-0example</VpcId>")
                            .append("<HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>")
                            .append(tg.path("healthCheckPort").asString("traffic-port")).append("</HealthCheckPort>")
                            .append("<HealthCheckPath>").append(tg.path("healthCheckPath").asString("/health"))
                            .append("</HealthCheckPath><TargetType>").append(tg.path("targetType").asString("ip"))
                            .append("</TargetType><LoadBalancerArns><member>").append(tg.path("loadBalancerArn").asString())
                            .append("</member></LoadBalancerArns></member>");
                }
                return xml("<DescribeTargetGroupsResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
                        + "<DescribeTargetGroupsResult><TargetGroups>" + sb + "</TargetGroups></DescribeTargetGroupsResult>"
                        + "<ResponseMetadata><RequestId>" + rid + "</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>");
            }
            case "DescribeTargetHealth" -> {
                String arn = form.getOrDefault("TargetGroupArn", List.of("")).get(0);
                for (JsonNode t : s.path("targetHealth")) {
                    if (t.has("targetGroupArn") && !t.get("targetGroupArn").asString().equals(arn)) {
                        continue;
                    }
                    sb.append("<member><HealthCheckPort>").append(t.path("port").asInt()).append("</HealthCheckPort><Target><Id>")
                            .append(t.path("id").asString()).append("</Id><Port>").append(t.path("port").asInt())
                            .append("</Port></Target><TargetHealth><State>").append(t.path("state").asString()).append("</State>");
                    if (t.has("reason")) {
                        sb.append("<Reason>").append(t.get("reason").asString()).append("</Reason><Description>")
                                .append(AwsQueryProtocol.escape(t.path("description").asString(""))).append("</Description>");
                    }
                    sb.append("</TargetHealth></member>");
                }
                return xml("<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">"
                        + "<DescribeTargetHealthResult><TargetHealthDescriptions>" + sb + "</TargetHealthDescriptions>"
                        + "</DescribeTargetHealthResult><ResponseMetadata><RequestId>" + rid
                        + "</RequestId></ResponseMetadata></DescribeTargetHealthResponse>");
            }
            case "DescribeSubnets" -> {
                for (JsonNode n : s.path("subnets")) {
                    sb.append("<item><subnetId>").append(n.path("id").asString()).append("</subnetId><state>available</state>")
                            .append("<vpcId>").append(n.path("vpc").asString("vpc-0example")).append("</vpcId><cidrBlock>")
                            .append(n.path("cidr").asString()).append("</cidrBlock><availableIpAddressCount>")
                            .append(n.path("free").asInt()).append("</availableIpAddressCount><availabilityZone>")
                            .append(n.path("az").asString()).append("</availabilityZone><defaultForAz>false</defaultForAz>")
                            .append("<mapPublicIpOnLaunch>").append(n.path("public").asBoolean(false))
                            .append("</mapPublicIpOnLaunch></item>");
                }
                return xml("<DescribeSubnetsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + rid
                        + "</requestId><subnetSet>" + sb + "</subnetSet></DescribeSubnetsResponse>");
            }
            case "DescribeSecurityGroups" -> {
                for (JsonNode g : s.path("securityGroups")) {
                    sb.append("<item><ownerId>").append(ACCOUNT_ID).append("</ownerId><groupId>").append(g.path("id").asString())
                            .append("</groupId><groupName>").append(g.path("name").asString("svc")).append("</groupName>")
                            .append("<groupDescription>svc</groupDescription><vpcId>vpc-0example</vpcId><ipPermissions>");
                    for (JsonNode p : g.path("ingress")) {
                        sb.append("<item><ipProtocol>").append(p.path("protocol").asString("tcp")).append("</ipProtocol>");
                        if (p.has("from")) {
                            sb.append("<fromPort>").append(p.get("from").asInt()).append("</fromPort><toPort>")
                                    .append(p.path("to").asInt(p.get("from").asInt())).append("</toPort>");
                        }
                        sb.append("<groups>");
                        if (p.has("group")) {
                            sb.append("<item><userId>").append(ACCOUNT_ID).append("</userId><groupId>")
                                    .append(p.get("group").asString()).append("</groupId></item>");
                        }
                        sb.append("</groups><ipRanges>");
                        if (p.has("cidr")) {
                            sb.append("<item><cidrIp>").append(p.get("cidr").asString()).append("</cidrIp></item>");
                        }
                        sb.append("</ipRanges><ipv6Ranges/><prefixListIds/></item>");
                    }
                    sb.append("</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item>")
                            .append("<cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>")
                            .append("</ipPermissionsEgress></item>");
                }
                return xml("<DescribeSecurityGroupsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
                        + rid + "</requestId><securityGroupInfo>" + sb + "</securityGroupInfo></DescribeSecurityGroupsResponse>");
            }
            case "DescribeRouteTables" -> {
                List<String> subnets = new ArrayList<>();
                form.forEach((k, v) -> {
                    if (k.startsWith("Filter.") && k.contains(".Value.")) {
                        subnets.addAll(v);
                    }
                });
                for (JsonNode rt : s.path("routeTables")) {
                    sb.append("<item><routeTableId>").append(rt.path("id").asString()).append("</routeTableId><vpcId>vpc-0example")
                            .append("</vpcId><associationSet>");
                    for (JsonNode sub : rt.path("subnets")) {
                        sb.append("<item><routeTableAssociationId>rtbassoc-").append(sub.asString().substring(7))
                                .append("</routeTableAssociationId><routeTableId>").append(rt.path("id").asString())
                                .append("</routeTableId><subnetId>").append(sub.asString()).append("</subnetId><main>false</main></item>");
                    }
                    if (rt.path("main").asBoolean(false)) {
                        sb.append("<item><routeTableAssociationId>rtbassoc-main</routeTableAssociationId><routeTableId>")
                                .append(rt.path("id").asString()).append("</routeTableId><main>true</main></item>");
                    }
                    sb.append("</associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock>")
                            .append("<gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>");
                    for (JsonNode r : rt.path("routes")) {
                        sb.append("<item><destinationCidrBlock>").append(r.path("dest").asString("0.0.0.0/0"))
                                .append("</destinationCidrBlock>");
                        String via = r.path("via").asString();
                        if (via.startsWith("nat-")) {
                            sb.append("<natGatewayId>").append(via).append("</natGatewayId>");
                        } else {
                            sb.append("<gatewayId>").append(via).append("</gatewayId>");
                        }
                        sb.append("<state>").append(r.path("state").asString("active")).append("</state><origin>CreateRoute</origin></item>");
                    }
                    sb.append("</routeSet><tagSet/></item>");
                }
                return xml("<DescribeRouteTablesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + rid
                        + "</requestId><routeTableSet>" + sb + "</routeTableSet></DescribeRouteTablesResponse>");
            }
            case "DescribeVpcEndpoints" -> {
                for (JsonNode e : s.path("vpcEndpoints")) {
                    sb.append("<item><vpcEndpointId>vpce-").append(Integer.toHexString(e.asString().hashCode()))
                            .append("</vpcEndpointId><vpcEndpointType>").append(e.asString().endsWith(".s3") ? "Gateway" : "Interface")
                            .append("</vpcEndpointType><vpcId>vpc-0example</vpcId><serviceName>").append(e.asString())
                            .append("</serviceName><state>available</state></item>");
                }
                return xml("<DescribeVpcEndpointsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" + rid
                        + "</requestId><vpcEndpointSet>" + sb + "</vpcEndpointSet></DescribeVpcEndpointsResponse>");
            }
            case "DescribeStackEvents" -> {
                for (JsonNode e : s.path("stackEvents")) {
                    sb.append("<member><StackId>arn:aws:cloudformation:").append(REGION).append(':').append(ACCOUNT_ID)
                            .append(":stack/").append(form.getOrDefault("StackName", List.of("")).get(0)).append("/1</StackId>")
                            .append("<EventId>").append(UUID.randomUUID()).append("</EventId><StackName>")
                            .append(form.getOrDefault("StackName", List.of("")).get(0)).append("</StackName><LogicalResourceId>")
                            .append(e.path("resource").asString()).append("</LogicalResourceId><ResourceType>")
                            .append(e.path("type").asString("AWS::ECS::Service")).append("</ResourceType><Timestamp>")
                            .append(Instant.now().minus(ago(e.path("ago").asString("-10m")))).append("</Timestamp><ResourceStatus>")
                            .append(e.path("status").asString()).append("</ResourceStatus>");
                    if (e.has("reason")) {
                        sb.append("<ResourceStatusReason>").append(AwsQueryProtocol.escape(e.get("reason").asString())).append("</ResourceStatusReason>");
                    }
                    sb.append("</member>");
                }
                return xml("<DescribeStackEventsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                        + "<DescribeStackEventsResult><StackEvents>" + sb + "</StackEvents></DescribeStackEventsResult>"
                        + "<ResponseMetadata><RequestId>" + rid + "</RequestId></ResponseMetadata></DescribeStackEventsResponse>");
            }
            default -> {
                return queryError("InvalidAction", "the scenario stub does not answer " + action);
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
        return new Reply(200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out), Map.of());
    }

    private static Reply jsonError(int status, String type, String message) {
        ObjectNode e = F.objectNode().put("__type", type).put("message", message);
        return new Reply(status, "application/x-amz-json-1.1", JSON.writeValueAsBytes(e), Map.of());
    }

    private static Reply xml(String body) {
        return new Reply(200, "text/xml", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static Reply queryError(String code, String message) {
        return new Reply(400, "text/xml", AwsQueryProtocol.errorXml(code, message).getBytes(StandardCharsets.UTF_8),
                Map.of());
    }
}
