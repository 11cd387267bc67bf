package io.opsmcp.tools.aws.ecs.network;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.client.Ecs;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.ecs.network.NetworkReport.Issue;
import io.opsmcp.tools.aws.ecs.network.NetworkReport.Kind;
import io.opsmcp.tools.aws.ecs.network.NetworkReport.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the network configuration of an ECS service ({@link NetworkReport}): awsvpc subnets (free addresses), security
 * groups with the ingress that reaches the container ports, the public IP setting, and target groups checked
 * against the task definition (container port, target type {@code ip} for awsvpc, health check port).
 */
public final class NetworkCheck {

    /** Fewer free addresses than this in a subnet is reported (each awsvpc task takes one ENI address). */
    static final int LOW_FREE_ADDRESSES = 5;

    private NetworkCheck() {}

    /** Whether an ingress rule covers a TCP port (protocol -1 covers everything). */
    static boolean covers(IpPermission p, int port) {
        if ("-1".equals(p.ipProtocol())) {
            return true;
        }
        if (!"tcp".equals(p.ipProtocol()) && !"6".equals(p.ipProtocol())) {
            return false;
        }
        return p.fromPort() != null && p.toPort() != null && p.fromPort() <= port && port <= p.toPort();
    }

    /**
     * The network picture of a service.
     *
     * @param egress whether to check the subnets' way out (route tables: NAT / internet gateway + public IP; VPC
     *               endpoints for ECR, S3, Logs, Secrets Manager, SSM): two more calls, which
     *               {@code ecs_troubleshoot} spends only when pulls or secret fetches time out
     */
    public static NetworkReport read(AwsTarget t, String cluster, String serviceName, boolean egress, ToolContext ctx) {
        Service s = Ecs.service(t, cluster, serviceName);
        TaskDefinition td = Ecs.taskDefinitionOf(t, s);
        ctx.progress().report(1, 4.0, "described service and task definition");
        ObjectNode out = AwsTool.result(t);
        out.put("cluster", AwsTool.shortName(cluster));
        out.put("service", s.serviceName());
        out.put("network_mode", td.networkModeAsString());
        ArrayNode issueArray = out.putArray("issues");
        List<Issue> issues = new ArrayList<>();
        Set<Integer> ports = new LinkedHashSet<>();
        for (ContainerDefinition c : td.containerDefinitions()) {
            for (PortMapping p : c.portMappings()) {
                if (p.containerPort() != null && !"udp".equals(p.protocolAsString())) {
                    ports.add(p.containerPort());
                }
            }
        }
        ArrayNode portArray = out.putArray("container_ports");
        ports.forEach(portArray::add);
        // Only the load balancer must reach the tasks: a sidecar's port (an agent's local APM port) needs no ingress.
        Set<Integer> lbPorts = new LinkedHashSet<>();
        Ecs.loadBalancers(s).forEach(lb -> {
            if (lb.containerPort() != null && lb.targetGroupArn() != null) {
                lbPorts.add(lb.containerPort());
            }
        });
        ArrayNode lbPortArray = out.putArray("load_balancer_ports");
        lbPorts.forEach(lbPortArray::add);
        AwsVpcConfiguration vpc = s.networkConfiguration() == null
                ? null
                : s.networkConfiguration().awsvpcConfiguration();
        if (vpc == null) {
            out.putNull("awsvpc");
            if ("awsvpc".equals(td.networkModeAsString())) {
                issue(
                        issues,
                        Severity.HIGH,
                        "the task definition uses awsvpc but the service has no awsvpc configuration");
            }
        } else {
            ObjectNode av = out.putObject("awsvpc");
            av.put("assign_public_ip", vpc.assignPublicIpAsString());
            List<Subnet> subnets = vpc.subnets().isEmpty()
                    ? List.of()
                    : t.call(
                                    AwsAction.EC2_DESCRIBE_SUBNETS,
                                    "subnets of service " + serviceName,
                                    () -> t.ec2().describeSubnets(b -> b.subnetIds(vpc.subnets())))
                            .subnets();
            ctx.progress().report(2, 4.0, "described subnets");
            ArrayNode sn = av.putArray("subnets");
            for (Subnet sub : subnets) {
                ObjectNode n = sn.addObject();
                n.put("id", sub.subnetId());
                n.put("vpc_id", sub.vpcId());
                n.put("availability_zone", sub.availabilityZone());
                n.put("cidr", sub.cidrBlock());
                n.put("available_addresses", sub.availableIpAddressCount());
                n.put("map_public_ip_on_launch", sub.mapPublicIpOnLaunch());
                if (sub.availableIpAddressCount() != null && sub.availableIpAddressCount() < LOW_FREE_ADDRESSES) {
                    issue(
                            issues,
                            Severity.HIGH,
                            "subnet " + sub.subnetId() + " has only " + sub.availableIpAddressCount()
                                    + " free addresses; awsvpc tasks need one each (cannot place task: ENI)");
                }
            }
            List<SecurityGroup> groups = vpc.securityGroups().isEmpty()
                    ? List.of()
                    : t.call(
                                    AwsAction.EC2_DESCRIBE_SECURITY_GROUPS,
                                    "security groups of service " + serviceName,
                                    () -> t.ec2().describeSecurityGroups(b -> b.groupIds(vpc.securityGroups())))
                            .securityGroups();
            ctx.progress().report(3, 4.0, "described security groups");
            ArrayNode sg = av.putArray("security_groups");
            for (SecurityGroup g : groups) {
                ObjectNode n = sg.addObject();
                n.put("id", g.groupId());
                n.put("name", g.groupName());
                ArrayNode ingress = n.putArray("ingress");
                for (IpPermission p : g.ipPermissions()) {
                    ObjectNode r = ingress.addObject();
                    r.put("protocol", p.ipProtocol());
                    r.put("from_port", p.fromPort());
                    r.put("to_port", p.toPort());
                    ArrayNode src = r.putArray("sources");
                    sources(p).forEach(src::add);
                }
            }
            ArrayNode reach = out.putArray("port_ingress");
            Set<Integer> shown = new LinkedHashSet<>(lbPorts);
            shown.addAll(ports);
            for (int port : shown) {
                List<String> from = new ArrayList<>();
                for (SecurityGroup g : groups) {
                    for (IpPermission p : g.ipPermissions()) {
                        if (covers(p, port)) {
                            sources(p).forEach(x -> from.add(x + " (" + g.groupId() + ")"));
                        }
                    }
                }
                ObjectNode r = reach.addObject();
                r.put("port", port);
                ArrayNode f = r.putArray("allowed_from");
                from.forEach(f::add);
                r.put("load_balancer", lbPorts.contains(port));
                if (from.isEmpty() && !groups.isEmpty() && lbPorts.contains(port)) {
                    issue(
                            issues,
                            Severity.HIGH,
                            Kind.LB_INGRESS,
                            "no security group of the service allows inbound TCP " + port
                                    + " (the load balancer's container port); load balancer health checks cannot reach the tasks");
                }
            }
            if ("DISABLED".equals(vpc.assignPublicIpAsString())) {
                out.put(
                        "public_ip_note",
                        "tasks get no public IP: image pulls and AWS API calls need a NAT gateway "
                                + "or VPC endpoints in these subnets");
            }
            if (egress && !subnets.isEmpty()) {
                egress(t, serviceName, td, subnets, "ENABLED".equals(vpc.assignPublicIpAsString()), out, issues);
            }
        }
        ArrayNode tgs = out.putArray("target_groups");
        List<LoadBalancer> lbs = Ecs.loadBalancers(s).stream()
                .filter(lb -> lb.targetGroupArn() != null)
                .toList();
        if (!lbs.isEmpty()) {
            List<TargetGroup> groups = Ecs.targetGroups(
                    t,
                    serviceName,
                    lbs.stream().map(LoadBalancer::targetGroupArn).distinct().toList());
            for (LoadBalancer lb : lbs) {
                TargetGroup tg = groups.stream()
                        .filter(g -> g.targetGroupArn().equals(lb.targetGroupArn()))
                        .findFirst()
                        .orElse(null);
                ObjectNode n = tgs.addObject();
                n.put("arn", lb.targetGroupArn());
                n.put("container_name", lb.containerName());
                n.put("container_port", lb.containerPort());
                if (tg == null) {
                    issue(
                            issues,
                            Severity.HIGH,
                            "target group " + lb.targetGroupArn() + " of the service does not exist");
                    continue;
                }
                n.put("name", tg.targetGroupName());
                n.put("protocol", tg.protocolAsString());
                n.put("port", tg.port());
                n.put("target_type", tg.targetTypeAsString());
                n.put("health_check_path", tg.healthCheckPath());
                n.put("health_check_port", tg.healthCheckPort());
                if (lb.containerPort() != null && !ports.contains(lb.containerPort())) {
                    issue(
                            issues,
                            Severity.HIGH,
                            "the service registers container port " + lb.containerPort() + " of "
                                    + lb.containerName() + " in " + tg.targetGroupName()
                                    + ", but the task definition maps "
                                    + (ports.isEmpty() ? "no port" : "only " + ports));
                }
                if ("awsvpc".equals(td.networkModeAsString()) && !"ip".equals(tg.targetTypeAsString())) {
                    issue(
                            issues,
                            Severity.HIGH,
                            "target group " + tg.targetGroupName() + " has target type " + tg.targetTypeAsString()
                                    + "; awsvpc tasks need target type ip");
                }
                String hcPort = tg.healthCheckPort();
                if (hcPort != null
                        && !"traffic-port".equals(hcPort)
                        && hcPort.matches("\\d+")
                        && !ports.contains(Integer.parseInt(hcPort))) {
                    issue(
                            issues,
                            Severity.MEDIUM,
                            "target group " + tg.targetGroupName() + " health-checks port " + hcPort
                                    + ", which no container maps");
                }
            }
        }
        ctx.progress().report(4, 4.0, "checked target groups");
        issues.forEach(i -> issueArray
                .addObject()
                .put("severity", i.severity().wire())
                .put("kind", i.kind().wire())
                .put("message", i.message()));
        return new NetworkReport(issues, out);
    }

    private static List<String> sources(IpPermission p) {
        List<String> src = new ArrayList<>();
        p.ipRanges().forEach(r -> src.add(r.cidrIp()));
        p.ipv6Ranges().forEach(r -> src.add(r.cidrIpv6()));
        p.userIdGroupPairs().forEach(g -> src.add(g.groupId()));
        p.prefixListIds().forEach(pl -> src.add(pl.prefixListId()));
        return src;
    }

    private static void issue(List<Issue> issues, Severity severity, String message) {
        issues.add(new Issue(severity, Kind.CONFIG, message));
    }

    private static void issue(List<Issue> issues, Severity severity, Kind kind, String message) {
        issues.add(new Issue(severity, kind, message));
    }

    /**
     * The subnets' way out: each subnet's route table (its explicit association, else the VPC's main table) and
     * its default route (NAT gateway, internet gateway — useful only with a public IP —, other, none), and the VPC
     * endpoints. A subnet with no way to the internet lacking an endpoint the tasks need is an {@code egress} issue:
     * ECR images need {@code ecr.api}, {@code ecr.dkr} and {@code s3}; awslogs {@code logs}; Secrets Manager and
     * SSM secrets {@code secretsmanager} / {@code ssm}; an image from another registry needs the internet.
     */
    private static void egress(
            AwsTarget t,
            String serviceName,
            TaskDefinition td,
            List<Subnet> subnets,
            boolean publicIp,
            ObjectNode out,
            List<Issue> issues) {
        String vpcId = subnets.get(0).vpcId();
        Filter vpc = Filter.builder().name("vpc-id").values(vpcId).build();
        List<RouteTable> tables = t.call(
                        AwsAction.EC2_DESCRIBE_ROUTE_TABLES,
                        "route tables of service " + serviceName,
                        () -> t.ec2().describeRouteTables(b -> b.filters(vpc)))
                .routeTables();
        List<VpcEndpoint> endpoints = t.call(
                        AwsAction.EC2_DESCRIBE_VPC_ENDPOINTS,
                        "VPC endpoints of service " + serviceName,
                        () -> t.ec2().describeVpcEndpoints(b -> b.filters(vpc)))
                .vpcEndpoints();
        ObjectNode eg = out.putObject("egress");
        ArrayNode eps = eg.putArray("vpc_endpoints");
        Set<String> have = new LinkedHashSet<>();
        for (VpcEndpoint e : endpoints) {
            String name = e.serviceName() == null ? "" : e.serviceName();
            String suffix = name.replaceFirst("^com\\.amazonaws\\.[a-z0-9-]+\\.", "");
            if (e.state() == null || "available".equalsIgnoreCase(e.stateAsString())) {
                have.add(suffix);
            }
            eps.add(name);
        }
        Set<String> need = new LinkedHashSet<>();
        boolean foreignImage = false;
        for (ContainerDefinition c : td.containerDefinitions()) {
            if (c.image() != null && c.image().matches("^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/.*")) {
                need.add("ecr.api");
                need.add("ecr.dkr");
                need.add("s3");
            } else {
                foreignImage = true;
            }
            if (c.logConfiguration() != null
                    && "awslogs".equals(c.logConfiguration().logDriverAsString())) {
                need.add("logs");
            }
            c.secrets()
                    .forEach(sec -> need.add(
                            sec.valueFrom() != null && sec.valueFrom().contains(":secretsmanager:")
                                    ? "secretsmanager"
                                    : "ssm"));
        }
        RouteTable main = tables.stream()
                .filter(rt -> rt.associations().stream().anyMatch(a -> Boolean.TRUE.equals(a.main())))
                .findFirst()
                .orElse(null);
        ArrayNode sn = eg.putArray("subnets");
        List<String> closed = new ArrayList<>();
        String path = null;
        for (Subnet sub : subnets) {
            RouteTable rt = tables.stream()
                    .filter(x -> x.associations().stream()
                            .map(RouteTableAssociation::subnetId)
                            .anyMatch(sub.subnetId()::equals))
                    .findFirst()
                    .orElse(main);
            String way = "none";
            if (rt != null) {
                for (Route r : rt.routes()) {
                    if (!"0.0.0.0/0".equals(r.destinationCidrBlock()) || "blackhole".equals(r.stateAsString())) {
                        continue;
                    }
                    way = r.natGatewayId() != null
                            ? "nat"
                            : r.gatewayId() != null && r.gatewayId().startsWith("igw-")
                                    ? "igw"
                                    : r.transitGatewayId() != null
                                                    || r.networkInterfaceId() != null
                                                    || r.instanceId() != null
                                            ? "other"
                                            : way;
                }
            }
            boolean internet = "nat".equals(way) || "other".equals(way) || "igw".equals(way) && publicIp;
            sn.addObject()
                    .put("id", sub.subnetId())
                    .put("route_table", rt == null ? null : rt.routeTableId())
                    .put("default_route", way)
                    .put("internet", internet);
            if (!internet) {
                closed.add(sub.subnetId());
                path = "igw".equals(way)
                        ? "the default route is an internet gateway but tasks get no public IP"
                        : "no default route to a NAT gateway";
            }
        }
        if (!closed.isEmpty()) {
            List<String> missing = need.stream().filter(n -> !have.contains(n)).toList();
            String where = (closed.size() == 1 ? "subnet " : "subnets ") + String.join(", ", closed);
            if (foreignImage) {
                issue(
                        issues,
                        Severity.HIGH,
                        Kind.EGRESS,
                        where + " have no way to the internet (" + path
                                + "): images from registries other than ECR cannot be pulled");
            } else if (!missing.isEmpty()) {
                issue(
                        issues,
                        Severity.HIGH,
                        Kind.EGRESS,
                        where + " have no way to the internet (" + path
                                + ") and the VPC has no endpoint for "
                                + String.join(", ", missing).toLowerCase(Locale.ROOT)
                                + ": image pulls, secret fetches and logs time out");
            }
        }
    }

    /** Renders the structured content of {@code ecs_network} as text. */
    static String text(ObjectNode o) {
        StringBuilder sb = new StringBuilder();
        sb.append("network of service ")
                .append(o.get("service").asString())
                .append(" (mode ")
                .append(o.path("network_mode").asString("-"))
                .append(", container ports ")
                .append(o.get("container_ports"))
                .append(")\n");
        if (o.hasNonNull("awsvpc")) {
            var av = o.get("awsvpc");
            sb.append("assign public IP: ")
                    .append(av.path("assign_public_ip").asString("-"))
                    .append('\n');
            for (var s : av.get("subnets")) {
                sb.append("subnet ")
                        .append(s.get("id").asString())
                        .append(" ")
                        .append(s.path("availability_zone").asString(""))
                        .append(" ")
                        .append(s.path("cidr").asString(""))
                        .append(", ")
                        .append(s.path("available_addresses").asInt())
                        .append(" free addresses\n");
            }
            for (var p : o.get("port_ingress")) {
                sb.append("port ")
                        .append(p.get("port").asInt())
                        .append(" allowed from: ")
                        .append(
                                p.get("allowed_from").isEmpty()
                                        ? "NOTHING"
                                        : p.get("allowed_from").toString())
                        .append('\n');
            }
        }
        for (var tg : o.get("target_groups")) {
            sb.append("target group ")
                    .append(tg.path("name").asString("?"))
                    .append(": ")
                    .append(tg.path("protocol").asString(""))
                    .append(' ')
                    .append(tg.path("port").asString(""))
                    .append(", type ")
                    .append(tg.path("target_type").asString("-"))
                    .append(", container ")
                    .append(tg.path("container_name").asString("-"))
                    .append(':')
                    .append(tg.path("container_port").asString("-"))
                    .append(", health check ")
                    .append(tg.path("health_check_path").asString("-"))
                    .append(" on ")
                    .append(tg.path("health_check_port").asString("-"))
                    .append('\n');
        }
        sb.append(o.get("issues").isEmpty() ? "no network issues found\n" : "issues:\n");
        for (var i : o.get("issues")) {
            sb.append("  [")
                    .append(i.get("severity").asString())
                    .append("] ")
                    .append(i.get("message").asString())
                    .append('\n');
        }
        return sb.toString();
    }
}
