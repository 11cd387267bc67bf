package io.opsmcp.tools.aws.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * The server side of the AWS wire protocols the aws toolset's SDK clients speak, as public API: a loopback WireMock
 * server answering every request through one handler, and the renderers of the answers (AWS JSON 1.1 for ECS, Logs
 * and ECR; Smithy RPC v2 CBOR for CloudWatch; query-protocol XML for ELBv2, EC2, STS and CloudFormation). The
 * sandbox account and the toolset's scenario tests render through these, so both speak the protocols one way.
 */
public final class AwsWire {

    /** {@code X-Amz-Target} prefix of ECS operations. */
    public static final String ECS_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    /** {@code X-Amz-Target} prefix of CloudWatch Logs operations. */
    public static final String LOGS_PREFIX = "Logs_20140328.";
    /** {@code X-Amz-Target} prefix of ECR operations. */
    public static final String ECR_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    /** URL prefix of CloudWatch's RPC v2 CBOR operations. */
    public static final String CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    // mappers are immutable and thread-safe once built
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final CBORMapper CBOR = CBORMapper.builder().build();
    private static final String ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private AwsWire() {}

    /** One answer: status, content type, body and extra headers. */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

        public Reply {
            headers = Map.copyOf(headers);
        }

        ResponseDefinition toResponse() {
            ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(status)
                    .withHeader("Content-Type", contentType)
                    .withHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                    .withBody(body);
            headers.forEach(b::withHeader);
            return b.build();
        }
    }

    /**
     * Starts WireMock on 127.0.0.1 (a random port) answering every request with {@code handler}; a handler that
     * throws answers 500 InternalFailure (naming only the exception class).
     *
     * @param name    the transformer's name (WireMock requires one)
     * @param threads container threads
     */
    public static WireMockServer serve(String name, int threads, Function<Request, Reply> handler) {
        ResponseDefinitionTransformerV2 transformer = new ResponseDefinitionTransformerV2() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public ResponseDefinition transform(ServeEvent event) {
                Reply r;
                try {
                    r = handler.apply(event.getRequest());
                } catch (RuntimeException e) {
                    r = jsonError(
                            500,
                            "InternalFailure",
                            name + " failure: " + e.getClass().getSimpleName());
                }
                return r.toResponse();
            }
        };
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .disableRequestJournal()
                .containerThreads(threads)
                .extensions(transformer));
        server.start();
        server.stubFor(
                WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse().withStatus(200)));
        return server;
    }

    // ---- AWS JSON 1.1 ---------------------------------------------------------------------------------------

    /** A request body read as JSON. */
    public static JsonNode readJson(byte[] body) {
        return JSON.readTree(body);
    }

    /** 200 with a JSON 1.1 body. */
    public static Reply json(JsonNode out) {
        return new Reply(200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out), Map.of());
    }

    /** A JSON 1.1 error ({@code __type}, {@code message}), as the SDK parses it. */
    public static Reply jsonError(int status, String type, String message) {
        ObjectNode e = F.objectNode().put("__type", type).put("message", message);
        return new Reply(status, "application/x-amz-json-1.1", JSON.writeValueAsBytes(e), Map.of());
    }

    // ---- CloudWatch (Smithy RPC v2 CBOR) ---------------------------------------------------------------------

    /** One query of a GetMetricData request. */
    public record MetricQuery(String id, String metric, String stat, int period, Map<String, String> dimensions) {}

    /** A GetMetricData request: the window in epoch seconds and the queries. */
    public record MetricDataRequest(double startSeconds, double endSeconds, List<MetricQuery> queries) {

        /** Period-aligned timestamps (epoch seconds) of the window, at most 1440. */
        public List<Double> timestamps(int period) {
            List<Double> times = new ArrayList<>();
            for (long t = (long) Math.ceil(startSeconds / period) * period;
                    t < endSeconds && times.size() < 1440;
                    t += period) {
                times.add((double) t);
            }
            return times;
        }
    }

    /** One result of a GetMetricData answer. */
    public record MetricSeries(String id, String label, List<Double> timestamps, List<Double> values) {}

    /** Decodes a GetMetricData request body (periods below 60 s count as 60). */
    public static MetricDataRequest metricDataRequest(byte[] body) {
        JsonNode in = CBOR.readTree(body);
        List<MetricQuery> queries = new ArrayList<>();
        for (JsonNode q : in.path("MetricDataQueries")) {
            JsonNode stat = q.path("MetricStat");
            JsonNode metric = stat.path("Metric");
            Map<String, String> dims = new LinkedHashMap<>();
            for (JsonNode d : metric.path("Dimensions")) {
                dims.put(d.path("Name").asString(), d.path("Value").asString());
            }
            queries.add(new MetricQuery(
                    q.path("Id").asString(),
                    metric.path("MetricName").asString(),
                    stat.path("Stat").asString(),
                    Math.max(60, stat.path("Period").asInt(60)),
                    dims));
        }
        return new MetricDataRequest(
                in.path("StartTime").asDouble(), in.path("EndTime").asDouble(), queries);
    }

    /** The GetMetricData answer (timestamps as CBOR epoch tags, status Complete). */
    public static Reply metricData(List<MetricSeries> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeName("MetricDataResults");
            g.writeStartArray();
            for (MetricSeries r : results) {
                g.writeStartObject();
                g.writeStringProperty("Id", r.id());
                g.writeStringProperty("Label", r.label());
                g.writeName("Timestamps");
                g.writeStartArray();
                for (double t : r.timestamps()) {
                    g.writeTag(1);
                    g.writeNumber(t);
                }
                g.writeEndArray();
                g.writeName("Values");
                g.writeStartArray();
                for (double v : r.values()) {
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

    /** A CloudWatch (CBOR) request body as a tree: timestamps read as epoch seconds (their tag dropped). */
    public static JsonNode readCbor(byte[] body) {
        return CBOR.readTree(body);
    }

    /**
     * A CloudWatch answer in Smithy RPC v2 CBOR: {@code out} written as is, except that members named in
     * {@code timestamps} (numbers, epoch seconds) are written as CBOR epoch timestamps (tag 1), as the protocol
     * requires (Smithy RPC v2 CBOR spec, "Timestamp type serialization").
     */
    public static Reply cbor(JsonNode out, java.util.Set<String> timestamps) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(bytes)) {
            writeCbor(g, out, false, timestamps);
        }
        return new Reply(200, "application/cbor", bytes.toByteArray(), Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    private static void writeCbor(CBORGenerator g, JsonNode n, boolean timestamp, java.util.Set<String> timestamps) {
        if (n.isObject()) {
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                g.writeName(e.getKey());
                writeCbor(g, e.getValue(), timestamps.contains(e.getKey()), timestamps);
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode item : n) {
                writeCbor(g, item, false, timestamps);
            }
            g.writeEndArray();
        } else if (timestamp && n.isNumber()) {
            g.writeTag(1);
            g.writeNumber(n.doubleValue());
        } else if (n.isString()) {
            g.writeString(n.asString());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            g.writeNumber(n.longValue());
        } else if (n.isNumber()) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeNull();
        }
    }

    /** A CloudWatch CBOR error of type {@code com.amazonaws.cloudwatch#TYPE}. */
    public static Reply cborError(String type, String message) {
        ObjectNode e =
                F.objectNode().put("__type", "com.amazonaws.cloudwatch#" + type).put("message", message);
        return new Reply(400, "application/cbor", CBOR.writeValueAsBytes(e), Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    // ---- query protocol (XML) --------------------------------------------------------------------------------

    /** A query-protocol XML answer. */
    public static Reply xml(int status, String body) {
        return new Reply(status, "text/xml", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A query-protocol error ({@link AwsQueryProtocol#errorXml}). */
    public static Reply queryError(int status, String code, String message) {
        return xml(status, AwsQueryProtocol.errorXml(code, message));
    }

    /** An ELBv2 target group. */
    public record TargetGroupXml(
            String arn,
            String name,
            int port,
            String vpcId,
            String healthCheckPort,
            String healthCheckPath,
            String targetType,
            String loadBalancerArn) {}

    public static Reply describeTargetGroups(List<TargetGroupXml> groups) {
        StringBuilder sb = new StringBuilder();
        for (TargetGroupXml g : groups) {
            sb.append("<member><TargetGroupArn>")
                    .append(g.arn())
                    .append("</TargetGroupArn><TargetGroupName>")
                    .append(esc(g.name()))
                    .append("</TargetGroupName><Protocol>HTTP</Protocol><Port>")
                    .append(g.port())
                    .append("</Port><VpcId>")
                    .append(g.vpcId())
                    .append("</VpcId>")
                    .append("<HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>")
                    .append(g.healthCheckPort())
                    .append("</HealthCheckPort><HealthCheckPath>")
                    .append(esc(g.healthCheckPath()))
                    .append("</HealthCheckPath><TargetType>")
                    .append(g.targetType())
                    .append("</TargetType><LoadBalancerArns><member>")
                    .append(g.loadBalancerArn())
                    .append("</member></LoadBalancerArns></member>");
        }
        return xml(
                200,
                "<DescribeTargetGroupsResponse xmlns=\"" + ELB_NS + "\"><DescribeTargetGroupsResult><TargetGroups>" + sb
                        + "</TargetGroups></DescribeTargetGroupsResult>" + metadata()
                        + "</DescribeTargetGroupsResponse>");
    }

    /** One target's health; {@code availabilityZone}, {@code reason} and {@code description} may be null. */
    public record TargetHealthXml(
            String id, int port, String availabilityZone, String state, String reason, String description) {}

    public static Reply describeTargetHealth(List<TargetHealthXml> targets) {
        StringBuilder sb = new StringBuilder();
        for (TargetHealthXml t : targets) {
            sb.append("<member><HealthCheckPort>")
                    .append(t.port())
                    .append("</HealthCheckPort><Target><Id>")
                    .append(t.id())
                    .append("</Id><Port>")
                    .append(t.port())
                    .append("</Port>");
            if (t.availabilityZone() != null) {
                sb.append("<AvailabilityZone>").append(t.availabilityZone()).append("</AvailabilityZone>");
            }
            sb.append("</Target><TargetHealth><State>").append(t.state()).append("</State>");
            if (t.reason() != null) {
                sb.append("<Reason>")
                        .append(t.reason())
                        .append("</Reason><Description>")
                        .append(esc(t.description() == null ? "" : t.description()))
                        .append("</Description>");
            }
            sb.append("</TargetHealth></member>");
        }
        return xml(
                200,
                "<DescribeTargetHealthResponse xmlns=\"" + ELB_NS + "\"><DescribeTargetHealthResult>"
                        + "<TargetHealthDescriptions>" + sb + "</TargetHealthDescriptions></DescribeTargetHealthResult>"
                        + metadata() + "</DescribeTargetHealthResponse>");
    }

    /** An EC2 subnet. */
    public record SubnetXml(
            String id,
            String vpcId,
            String availabilityZone,
            String cidr,
            int freeAddresses,
            boolean mapPublicIpOnLaunch) {}

    public static Reply describeSubnets(List<SubnetXml> subnets) {
        StringBuilder sb = new StringBuilder();
        for (SubnetXml n : subnets) {
            sb.append("<item><subnetId>")
                    .append(n.id())
                    .append("</subnetId><state>available</state><vpcId>")
                    .append(n.vpcId())
                    .append("</vpcId><cidrBlock>")
                    .append(n.cidr())
                    .append("</cidrBlock><availableIpAddressCount>")
                    .append(n.freeAddresses())
                    .append("</availableIpAddressCount><availabilityZone>")
                    .append(n.availabilityZone())
                    .append("</availabilityZone><defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>")
                    .append(n.mapPublicIpOnLaunch())
                    .append("</mapPublicIpOnLaunch></item>");
        }
        return xml(
                200,
                "<DescribeSubnetsResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                        + "</requestId><subnetSet>" + sb + "</subnetSet></DescribeSubnetsResponse>");
    }

    /** One ingress rule; ports null for protocol {@code -1}. */
    public record IngressXml(
            String protocol, Integer fromPort, Integer toPort, List<String> groupIds, List<String> cidrs) {}

    /** An EC2 security group; its egress is open (all protocols to 0.0.0.0/0). */
    public record SecurityGroupXml(
            String ownerId, String id, String name, String description, String vpcId, List<IngressXml> ingress) {}

    public static Reply describeSecurityGroups(List<SecurityGroupXml> groups) {
        StringBuilder sb = new StringBuilder();
        for (SecurityGroupXml g : groups) {
            sb.append("<item><ownerId>")
                    .append(g.ownerId())
                    .append("</ownerId><groupId>")
                    .append(g.id())
                    .append("</groupId><groupName>")
                    .append(esc(g.name()))
                    .append("</groupName><groupDescription>")
                    .append(esc(g.description()))
                    .append("</groupDescription><vpcId>")
                    .append(g.vpcId())
                    .append("</vpcId><ipPermissions>");
            for (IngressXml p : g.ingress()) {
                sb.append("<item><ipProtocol>").append(p.protocol()).append("</ipProtocol>");
                if (p.fromPort() != null) {
                    sb.append("<fromPort>")
                            .append(p.fromPort())
                            .append("</fromPort><toPort>")
                            .append(p.toPort() == null ? p.fromPort() : p.toPort())
                            .append("</toPort>");
                }
                sb.append("<groups>");
                p.groupIds()
                        .forEach(id -> sb.append("<item><userId>")
                                .append(g.ownerId())
                                .append("</userId><groupId>")
                                .append(id)
                                .append("</groupId></item>"));
                sb.append("</groups><ipRanges>");
                p.cidrs().forEach(c -> sb.append("<item><cidrIp>").append(c).append("</cidrIp></item>"));
                sb.append("</ipRanges><ipv6Ranges/><prefixListIds/></item>");
            }
            sb.append("</ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item>")
                    .append("<cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>")
                    .append("</ipPermissionsEgress></item>");
        }
        return xml(
                200,
                "<DescribeSecurityGroupsResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                        + "</requestId><securityGroupInfo>" + sb
                        + "</securityGroupInfo></DescribeSecurityGroupsResponse>");
    }

    /** A route: to a NAT gateway ({@code nat-…}) or another gateway ({@code igw-…}, {@code local}). */
    public record RouteXml(String destination, String via, String state) {}

    /**
     * A route table with its explicit subnet associations (plus a main association when {@code main}); the local
     * route {@code 10.0.0.0/16} comes first.
     */
    public record RouteTableXml(String id, String vpcId, List<String> subnets, boolean main, List<RouteXml> routes) {}

    public static Reply describeRouteTables(List<RouteTableXml> tables) {
        StringBuilder sb = new StringBuilder();
        for (RouteTableXml rt : tables) {
            sb.append("<item><routeTableId>")
                    .append(rt.id())
                    .append("</routeTableId><vpcId>")
                    .append(rt.vpcId())
                    .append("</vpcId><associationSet>");
            for (String sub : rt.subnets()) {
                sb.append("<item><routeTableAssociationId>rtbassoc-")
                        .append(sub.substring(sub.indexOf('-') + 1))
                        .append("</routeTableAssociationId><routeTableId>")
                        .append(rt.id())
                        .append("</routeTableId><subnetId>")
                        .append(sub)
                        .append("</subnetId><main>false</main></item>");
            }
            if (rt.main()) {
                sb.append("<item><routeTableAssociationId>rtbassoc-main</routeTableAssociationId><routeTableId>")
                        .append(rt.id())
                        .append("</routeTableId><main>true</main></item>");
            }
            sb.append("</associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock>")
                    .append(
                            "<gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin></item>");
            for (RouteXml r : rt.routes()) {
                sb.append("<item><destinationCidrBlock>")
                        .append(r.destination())
                        .append("</destinationCidrBlock>");
                if (r.via().startsWith("nat-")) {
                    sb.append("<natGatewayId>").append(r.via()).append("</natGatewayId>");
                } else {
                    sb.append("<gatewayId>").append(r.via()).append("</gatewayId>");
                }
                sb.append("<state>").append(r.state()).append("</state><origin>CreateRoute</origin></item>");
            }
            sb.append("</routeSet><tagSet/></item>");
        }
        return xml(
                200,
                "<DescribeRouteTablesResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                        + "</requestId><routeTableSet>" + sb + "</routeTableSet></DescribeRouteTablesResponse>");
    }

    /** Available VPC endpoints by service name ({@code com.amazonaws.REGION.ecr.api}; {@code .s3} is a Gateway). */
    public static Reply describeVpcEndpoints(String vpcId, List<String> serviceNames) {
        StringBuilder sb = new StringBuilder();
        for (String e : serviceNames) {
            sb.append("<item><vpcEndpointId>vpce-")
                    .append(Integer.toHexString(e.hashCode()))
                    .append("</vpcEndpointId><vpcEndpointType>")
                    .append(e.endsWith(".s3") ? "Gateway" : "Interface")
                    .append("</vpcEndpointType><vpcId>")
                    .append(vpcId)
                    .append("</vpcId><serviceName>")
                    .append(e)
                    .append("</serviceName><state>available</state></item>");
        }
        return xml(
                200,
                "<DescribeVpcEndpointsResponse xmlns=\"" + EC2_NS + "\"><requestId>" + UUID.randomUUID()
                        + "</requestId><vpcEndpointSet>" + sb + "</vpcEndpointSet></DescribeVpcEndpointsResponse>");
    }

    /** A CloudFormation stack event; {@code reason} may be null. */
    public record StackEventXml(
            String logicalResourceId, String resourceType, Instant timestamp, String status, String reason) {}

    public static Reply describeStackEvents(String region, String accountId, String stack, List<StackEventXml> events) {
        StringBuilder sb = new StringBuilder();
        for (StackEventXml e : events) {
            sb.append("<member><StackId>arn:aws:cloudformation:")
                    .append(region)
                    .append(':')
                    .append(accountId)
                    .append(":stack/")
                    .append(stack)
                    .append("/1</StackId><EventId>")
                    .append(UUID.randomUUID())
                    .append("</EventId><StackName>")
                    .append(stack)
                    .append("</StackName><LogicalResourceId>")
                    .append(e.logicalResourceId())
                    .append("</LogicalResourceId><ResourceType>")
                    .append(e.resourceType())
                    .append("</ResourceType><Timestamp>")
                    .append(e.timestamp())
                    .append("</Timestamp><ResourceStatus>")
                    .append(e.status())
                    .append("</ResourceStatus>");
            if (e.reason() != null) {
                sb.append("<ResourceStatusReason>").append(esc(e.reason())).append("</ResourceStatusReason>");
            }
            sb.append("</member>");
        }
        return xml(
                200,
                "<DescribeStackEventsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                        + "<DescribeStackEventsResult><StackEvents>" + sb + "</StackEvents></DescribeStackEventsResult>"
                        + metadata() + "</DescribeStackEventsResponse>");
    }

    /** STS GetCallerIdentity. */
    public static Reply getCallerIdentity(String arn, String userId, String account) {
        return xml(
                200,
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>" + arn + "</Arn><UserId>" + userId + "</UserId><Account>"
                        + account
                        + "</Account></GetCallerIdentityResult>" + metadata() + "</GetCallerIdentityResponse>");
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
    }

    private static String esc(String s) {
        return s == null ? "" : AwsQueryProtocol.escape(s);
    }
}
