package io.opsmcp.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code deploy/terraform} parsed with HashiCorp's HCL parser (npm {@code @cdktf/hcl2json}; no terraform binary is
 * reachable in CI) and checked: the resources exist and reference each other (HTTPS listener → target group →
 * ECS service → task definition; secrets → Secrets Manager; logs → log group; RDS private and encrypted; security
 * groups chained ALB → tasks → database), every variable is described (and validated unless a bool or tags),
 * nothing secret is hard-coded, the example uses the modules' variables, and the IAM policies grant exactly the
 * actions the aws toolset calls ({@link IamActions#ofCode()}) for every combination of {@code read_only},
 * {@code manage_own_account} and the role lists.
 *
 * <p>Needs {@code npm ci} in {@code e2e/} (done by the build before the ITs); skipped without it unless
 * {@code OPS_MCP_REQUIRE_E2E=1}.
 */
class TerraformModulesIT {

    private static final Path ROOT = TerraformIamActionsTest.TERRAFORM;
    private static final Pattern SECRET_ATTRIBUTE =
            Pattern.compile("(?i).*(password|secret_string|token|private_key|access_key).*");

    private static TerraformModule opsMcp;
    private static TerraformModule managed;
    private static TerraformModule example;

    @BeforeAll
    static void parse() throws Exception {
        opsMcp = TerraformModule.parse(ROOT.resolve("ops-mcp"));
        managed = TerraformModule.parse(ROOT.resolve("managed-account"));
        example = TerraformModule.parse(ROOT.resolve("examples/complete"));
    }

    // ---- IAM: exactly the toolset's actions

    @ParameterizedTest(name = "read_only={0} manage_own_account={1} passable={2} managed={3}")
    @CsvSource({
        "false, true, true, true",
        "false, true, false, false",
        "true, true, true, true",
        "true, true, false, true",
        "false, false, true, true",
        "true, false, false, true"
    })
    void theTaskRoleGrantsExactlyTheActionsTheToolsCall(
            boolean readOnly, boolean manageOwn, boolean passable, boolean managedRoles) throws IOException {
        IamActions code = IamActions.ofCode();
        Map<String, Object> vars = Map.of(
                "read_only",
                readOnly,
                "manage_own_account",
                manageOwn,
                "passable_role_arns",
                passable ? List.of("arn:aws:iam::111122223333:role/x") : List.of(),
                "managed_account_role_arns",
                managedRoles ? List.of("arn:aws:iam::444455556666:role/ops-mcp") : List.of());
        List<PolicyDocument.Statement> statements =
                new PolicyDocument(opsMcp, fileOf("ops-mcp"), vars).statements("task");

        Set<String> expected = !manageOwn ? Set.of() : readOnly ? code.readOnly() : code.all();
        assertThat(IamActions.differences("task role policy", apiActions(statements), expected))
                .isEmpty();
        assertPassRole(statements, manageOwn && !readOnly && passable);
        List<PolicyDocument.Statement> assume = granting(statements, "sts:AssumeRole");
        assertThat(assume).hasSize(managedRoles ? 1 : 0);
        assume.forEach(
                s -> assertThat(TerraformModule.expression(s.resources())).isEqualTo("var.managed_account_role_arns"));
    }

    @ParameterizedTest(name = "read_only={0} passable={1}")
    @CsvSource({"false, true", "false, false", "true, true", "true, false"})
    void aManagedAccountRoleGrantsExactlyTheActionsTheToolsCall(boolean readOnly, boolean passable) throws IOException {
        IamActions code = IamActions.ofCode();
        Map<String, Object> vars = Map.of(
                "read_only",
                readOnly,
                "passable_role_arns",
                passable ? List.of("arn:aws:iam::444455556666:role/x") : List.of());
        List<PolicyDocument.Statement> statements =
                new PolicyDocument(managed, fileOf("managed-account"), vars).statements("toolset");
        assertThat(IamActions.differences(
                        "managed-account role policy", apiActions(statements), readOnly ? code.readOnly() : code.all()))
                .isEmpty();
        assertPassRole(statements, !readOnly && passable);
        assertThat(granting(statements, "sts:AssumeRole")).isEmpty();
    }

    @Test
    void theIamCheckFailsWhenThePolicyGrantsAnExtraActionOrLacksOne() throws IOException {
        Map<String, Object> vars = Map.of("read_only", false, "passable_role_arns", List.of());
        ObjectNode change = (ObjectNode) managed.data("aws_iam_policy_document", "toolset")
                .orElseThrow()
                .path("dynamic")
                .path("statement")
                .get(1)
                .path("content")
                .get(0);
        JsonNode original = change.get("actions");
        try {
            // every mutating action the tools call, plus one no tool calls; then all but one: the check names each
            List<String> mutating =
                    List.copyOf(new TreeSet<>(IamActions.ofCode().mutating()));
            ArrayNode actions = change.putArray("actions");
            mutating.forEach(actions::add);
            actions.add("ecs:DeleteService");
            List<PolicyDocument.Statement> extra =
                    new PolicyDocument(managed, fileOf("managed-account"), vars).statements("toolset");
            assertThat(IamActions.differences(
                            "p", apiActions(extra), IamActions.ofCode().all()))
                    .containsExactly(
                            "p grants ecs:DeleteService, which no tool calls (least privilege: IAM_ACTIONS.md)");
            ArrayNode fewer = change.putArray("actions");
            mutating.stream()
                    .filter(a -> !a.equals("ecs:RegisterTaskDefinition"))
                    .forEach(fewer::add);
            List<PolicyDocument.Statement> lacking =
                    new PolicyDocument(managed, fileOf("managed-account"), vars).statements("toolset");
            assertThat(IamActions.differences(
                            "p", apiActions(lacking), IamActions.ofCode().all()))
                    .containsExactly(
                            "p lacks ecs:RegisterTaskDefinition, which a tool calls (io.opsmcp.tools.aws.client.AwsAction)");
            change.put("actions", "${local.iam_actions.everything}");
            assertThatThrownBy(() -> new PolicyDocument(managed, fileOf("managed-account"), vars).statements("toolset"))
                    .hasMessageContaining("actions must be literals or local.iam_actions.read_only|mutating");
        } finally {
            change.set("actions", original);
        }
    }

    @Test
    void theManagedAccountRoleTrustsOnlyTheTaskRoleWithTheExternalId() {
        JsonNode trust =
                managed.data("aws_iam_policy_document", "trust").orElseThrow().path("statement");
        assertThat(trust).hasSize(1);
        JsonNode s = trust.get(0);
        assertThat(s.path("actions").toString()).isEqualTo("[\"sts:AssumeRole\"]");
        JsonNode principal = TerraformModule.block(s, "principals");
        assertThat(principal.path("type").asString()).isEqualTo("AWS");
        assertThat(principal.path("identifiers").toString()).isEqualTo("[\"${var.ops_mcp_task_role_arn}\"]");
        JsonNode condition = TerraformModule.block(s, "condition");
        assertThat(condition.path("test").asString()).isEqualTo("StringEquals");
        assertThat(condition.path("variable").asString()).isEqualTo("sts:ExternalId");
        assertThat(condition.path("values").toString()).isEqualTo("[\"${var.external_id}\"]");
        assertThat(managed.resource("aws_iam_role", "this")
                        .orElseThrow()
                        .path("assume_role_policy")
                        .asString())
                .isEqualTo("${data.aws_iam_policy_document.trust.json}");
        assertThat(managed.resource("aws_iam_role_policy", "toolset")
                        .orElseThrow()
                        .path("policy")
                        .asString())
                .isEqualTo("${data.aws_iam_policy_document.toolset.json}");
        // The server's own rule for credentials.external_id (toolsets/aws AwsConfig) is the variable's validation.
        java.util.regex.Matcher regex = Pattern.compile("regex\\(\"((?:[^\"\\\\]|\\\\.)*)\", var\\.external_id\\)")
                .matcher(validations(managed, "external_id"));
        assertThat(regex.find()).as(validations(managed, "external_id")).isTrue();
        Pattern hcl = Pattern.compile(regex.group(1).replace("\\\\", "\\"));
        for (String id :
                List.of("ops-mcp-7f3a", "a", "x".repeat(1224), "x".repeat(1225), "with space", "ops:mcp/1", "é1")) {
            assertThat(hcl.matcher(id).matches())
                    .as("external_id %s: the variable's validation and ops-mcp (AwsConfig) agree", id)
                    .isEqualTo(serverAccepts(id));
        }
        assertThat(opsMcp.resource("aws_iam_role_policy", "task")
                        .orElseThrow()
                        .path("role")
                        .asString())
                .isEqualTo("${aws_iam_role.task.id}");
        assertThat(opsMcp.resource("aws_iam_role_policy", "task")
                        .orElseThrow()
                        .path("policy")
                        .asString())
                .isEqualTo("${data.aws_iam_policy_document.task.json}");
    }

    // ---- structure of the ops-mcp module

    @Test
    void httpsListenerForwardsToTheTargetGroupOfTheService() {
        ObjectNode https = opsMcp.resource("aws_lb_listener", "https").orElseThrow();
        assertThat(https.path("port").asInt()).isEqualTo(443);
        assertThat(https.path("protocol").asString()).isEqualTo("HTTPS");
        assertThat(https.path("certificate_arn").asString()).isEqualTo("${var.certificate_arn}");
        assertThat(https.path("ssl_policy").asString()).isEqualTo("${var.ssl_policy}");
        assertThat(opsMcp.variables.get("ssl_policy").path("default").asString())
                .startsWith("ELBSecurityPolicy-TLS13-");
        JsonNode forward = TerraformModule.block(https, "default_action");
        assertThat(forward.path("type").asString()).isEqualTo("forward");
        String targetGroup = reference(forward.path("target_group_arn"), "aws_lb_target_group", "arn");
        assertThat(https.path("load_balancer_arn").asString()).isEqualTo("${aws_lb.this.arn}");

        ObjectNode redirect =
                opsMcp.resource("aws_lb_listener", "http_redirect").orElseThrow();
        assertThat(redirect.path("port").asInt()).isEqualTo(80);
        JsonNode action = TerraformModule.block(redirect, "default_action");
        assertThat(action.path("type").asString()).isEqualTo("redirect");
        assertThat(TerraformModule.block(action, "redirect").path("protocol").asString())
                .isEqualTo("HTTPS");
        assertThat(TerraformModule.block(action, "redirect").path("port").asString())
                .isEqualTo("443");
        assertThat(opsMcp.resources("aws_lb_listener")).hasSize(2);

        ObjectNode tg = opsMcp.resource("aws_lb_target_group", targetGroup).orElseThrow();
        JsonNode health = TerraformModule.block(tg, "health_check");
        assertThat(health.path("path").asString()).isEqualTo("/healthz");
        assertThat(health.path("matcher").asString()).isEqualTo("200");
        assertThat(tg.path("port").asString()).isEqualTo("${var.container_port}");
        assertThat(tg.path("target_type").asString()).isEqualTo("ip");

        ObjectNode service = opsMcp.resource("aws_ecs_service", "this").orElseThrow();
        JsonNode lb = TerraformModule.block(service, "load_balancer");
        assertThat(reference(lb.path("target_group_arn"), "aws_lb_target_group", "arn"))
                .isEqualTo(targetGroup);
        assertThat(lb.path("container_name").asString())
                .isEqualTo(opsMcp.locals.path("ops_mcp_container").path("name").asString());
        assertThat(lb.path("container_port").asString()).isEqualTo("${var.container_port}");
        assertThat(opsMcp.locals
                        .path("ops_mcp_container")
                        .path("portMappings")
                        .get(0)
                        .path("containerPort")
                        .asString())
                .isEqualTo("${var.container_port}");
        String taskDefinition = reference(service.path("task_definition"), "aws_ecs_task_definition", "arn");
        assertThat(service.path("launch_type").asString()).isEqualTo("FARGATE");
        assertThat(service.path("desired_count").asString()).isEqualTo("${var.desired_count}");
        assertThat(opsMcp.variables.get("desired_count").path("default").asInt())
                .isGreaterThanOrEqualTo(2);
        assertThat(validations(opsMcp, "desired_count")).contains("var.desired_count >= 2");
        JsonNode network = TerraformModule.block(service, "network_configuration");
        assertThat(network.path("assign_public_ip").asBoolean(true)).isFalse();
        assertThat(network.path("subnets").asString()).isEqualTo("${var.private_subnet_ids}");
        assertThat(network.path("security_groups").toString()).isEqualTo("[\"${aws_security_group.tasks.id}\"]");

        ObjectNode task =
                opsMcp.resource("aws_ecs_task_definition", taskDefinition).orElseThrow();
        assertThat(task.path("requires_compatibilities").toString()).isEqualTo("[\"FARGATE\"]");
        assertThat(task.path("network_mode").asString()).isEqualTo("awsvpc");
        assertThat(task.path("container_definitions").asString())
                .isEqualTo("${jsonencode([local.config_container, local.ops_mcp_container])}");
        reference(task.path("task_role_arn"), "aws_iam_role", "arn");
        reference(task.path("execution_role_arn"), "aws_iam_role", "arn");
        assertThat(task.path("task_role_arn").asString()).isEqualTo("${aws_iam_role.task.arn}");
    }

    @Test
    void containersGetSecretsByReferenceLogToTheLogGroupAndRunLockedDown() {
        JsonNode ops = opsMcp.locals.path("ops_mcp_container");
        JsonNode init = opsMcp.locals.path("config_container");
        for (JsonNode c : List.of(ops, init)) {
            assertThat(c.path("readonlyRootFilesystem").asBoolean())
                    .as(c.path("name").asString())
                    .isTrue();
            JsonNode log = c.path("logConfiguration");
            assertThat(log.path("logDriver").asString()).isEqualTo("awslogs");
            assertThat(reference(log.path("options").path("awslogs-group"), "aws_cloudwatch_log_group", "name"))
                    .isEqualTo("this");
            for (JsonNode e : c.path("environment")) {
                assertThat(e.path("name").asString())
                        .as("a secret in plain environment")
                        .doesNotMatch(SECRET_ATTRIBUTE);
            }
        }
        Map<String, String> environment = new HashMap<>();
        ops.path("environment")
                .forEach(e -> environment.put(
                        e.path("name").asString(), e.path("value").asString()));
        // the image's OPS_MCP_DATA_DIR would override data_dir: the task sets the same directory
        assertThat(environment.get("OPS_MCP_DATA_DIR"))
                .isEqualTo(opsMcp.locals.path("module_config").path("data_dir").asString());
        assertThat(ops.path("user").asString()).isEqualTo("${var.container_user}");
        assertThat(validations(opsMcp, "container_user")).contains("[1-9]");
        assertThat(ops.path("linuxParameters").path("capabilities").path("drop").toString())
                .isEqualTo("[\"ALL\"]");
        assertThat(ops.path("dependsOn").toString())
                .contains("\"containerName\":\"config\"", "\"condition\":\"SUCCESS\"");
        assertThat(ops.path("secrets").asString()).isEqualTo("${local.task_secrets}");
        assertThat(TerraformModule.expression(opsMcp.locals.get("task_secrets")))
                .isEqualTo(
                        "concat(local.module_secrets, [for name, arn in var.extra_secrets : { name = name, valueFrom = arn }])");
        Map<String, String> secrets = new HashMap<>();
        opsMcp.locals
                .path("module_secrets")
                .forEach(s -> secrets.put(
                        s.path("name").asString(), s.path("valueFrom").asString()));
        assertThat(secrets.get("OPS_MCP_DB_PASSWORD"))
                .isEqualTo("${aws_db_instance.this.master_user_secret[0].secret_arn}:password::");
        assertThat(secrets.get("OPS_MCP_AUDIT_KEY")).isEqualTo("${aws_secretsmanager_secret.audit_key.arn}");
        assertThat(opsMcp.resource("aws_secretsmanager_secret", "audit_key")).isPresent();
        assertThat(init.path("secrets").get(0).path("valueFrom").asString())
                .isEqualTo("${aws_secretsmanager_secret.config.arn}");
        assertThat(opsMcp.resource("aws_secretsmanager_secret_version", "config")
                        .orElseThrow()
                        .path("secret_string")
                        .asString())
                .isEqualTo("${local.config_yaml}");
        // ops-mcp.yaml: what several tasks need, the password by environment variable name only
        JsonNode config = opsMcp.locals.path("module_config");
        assertThat(config.path("transport").asString()).isEqualTo("http");
        assertThat(config.path("http").path("stateless").asBoolean()).isTrue();
        assertThat(config.path("http").path("port").asString()).isEqualTo("${var.container_port}");
        assertThat(config.path("store").path("type").asString()).isEqualTo("postgres");
        assertThat(config.path("store").path("password_env").asString()).isEqualTo("OPS_MCP_DB_PASSWORD");
        assertThat(config.path("store").has("password")).isFalse();
        assertThat(TerraformModule.expression(opsMcp.locals.get("config")))
                .isEqualTo("merge(var.ops_mcp_config, local.module_config)");
        assertThat(validations(opsMcp, "ops_mcp_config")).contains("\"store\"", "\"http\"");
        // the execution role reads exactly the task's secrets
        JsonNode read = opsMcp.data("aws_iam_policy_document", "execution_secrets")
                .orElseThrow()
                .path("statement")
                .get(0);
        assertThat(read.path("actions").toString()).isEqualTo("[\"secretsmanager:GetSecretValue\"]");
        assertThat(read.path("resources").asString())
                .contains("aws_secretsmanager_secret.config.arn", "local.task_secrets");
        ObjectNode logs = opsMcp.resource("aws_cloudwatch_log_group", "this").orElseThrow();
        assertThat(logs.path("retention_in_days").asString()).isEqualTo("${var.log_retention_days}");
    }

    @Test
    void theDatabaseIsPrivateEncryptedAndItsPasswordManagedBySecretsManager() {
        ObjectNode db = opsMcp.resource("aws_db_instance", "this").orElseThrow();
        assertThat(db.path("engine").asString()).isEqualTo("postgres");
        assertThat(db.path("storage_encrypted").asBoolean()).isTrue();
        assertThat(db.path("publicly_accessible").asBoolean(true)).isFalse();
        assertThat(db.path("manage_master_user_password").asBoolean()).isTrue();
        assertThat(db.has("password")).isFalse();
        assertThat(db.path("vpc_security_group_ids").toString()).isEqualTo("[\"${aws_security_group.db.id}\"]");
        String subnets = reference(db.path("db_subnet_group_name"), "aws_db_subnet_group", "name");
        assertThat(opsMcp.resource("aws_db_subnet_group", subnets)
                        .orElseThrow()
                        .path("subnet_ids")
                        .asString())
                .isEqualTo("${var.private_subnet_ids}");
        String params = reference(db.path("parameter_group_name"), "aws_db_parameter_group", "name");
        assertThat(opsMcp.resource("aws_db_parameter_group", params)
                        .orElseThrow()
                        .path("parameter")
                        .toString())
                .contains("\"name\":\"rds.force_ssl\"", "\"value\":\"1\"");
        assertThat(db.path("skip_final_snapshot").asBoolean(true)).isFalse();
    }

    @Test
    void securityGroupsChainAlbToTasksToDatabase() {
        Map<String, List<JsonNode>> ingress = bySecurityGroup("aws_vpc_security_group_ingress_rule");
        Map<String, List<JsonNode>> egress = bySecurityGroup("aws_vpc_security_group_egress_rule");
        assertThat(ingress.keySet()).containsExactlyInAnyOrder("alb", "tasks", "db");
        // tasks: the container port, from the ALB only
        assertThat(ingress.get("tasks")).singleElement().satisfies(r -> {
            assertThat(r.path("referenced_security_group_id").asString()).isEqualTo("${aws_security_group.alb.id}");
            assertThat(r.path("from_port").asString()).isEqualTo("${var.container_port}");
            assertThat(r.has("cidr_ipv4")).isFalse();
        });
        // database: 5432 from the tasks only
        assertThat(ingress.get("db")).singleElement().satisfies(r -> {
            assertThat(r.path("referenced_security_group_id").asString()).isEqualTo("${aws_security_group.tasks.id}");
            assertThat(r.path("from_port").asInt()).isEqualTo(5432);
        });
        // ALB: 443 and 80 from the allowed networks, and out only to the tasks
        assertThat(ingress.get("alb"))
                .allSatisfy(r -> assertThat(r.path("cidr_ipv4").asString()).isEqualTo("${each.value}"))
                .extracting(r -> r.path("from_port").asInt())
                .containsExactlyInAnyOrder(443, 80);
        assertThat(egress.get("alb"))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.path("referenced_security_group_id").asString())
                                .isEqualTo("${aws_security_group.tasks.id}"));
        assertThat(egress.get("tasks"))
                .extracting(r -> r.path("from_port").asInt())
                .containsExactlyInAnyOrder(5432, 443, 22);
        assertThat(egress.getOrDefault("db", List.of())).isEmpty();
        assertThat(validations(opsMcp, "ssh_cidr_blocks")).contains("0.0.0.0/0");
    }

    /**
     * The ops-mcp.yaml the example deploys — its {@code ops_mcp_config} merged with the module's
     * {@code module_config}, as {@code merge()} does — passes the server's own validation (ConfigLoader, then the aws
     * and gitlab sections' parsers) with the task's environment. The few values only AWS knows (the database
     * address, the role ARN) are stood in for; any other expression fails the test rather than being guessed.
     */
    @Test
    void theEcsConfigurationPassesTheServersValidation(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        ObjectNode call = example.blocks.get("module").get("module").get("ops_mcp");
        ObjectNode shop = example.blocks.get("module").get("module").get("shop_account");
        ObjectNode db = opsMcp.resource("aws_db_instance", "this").orElseThrow();
        tools.jackson.databind.node.JsonNodeFactory f = tools.jackson.databind.node.JsonNodeFactory.instance;
        ArrayNode hosts = f.arrayNode();
        call.path("allowed_hosts").forEach(h -> hosts.add(h.asString()));
        call.path("allowed_hosts").forEach(h -> hosts.add(h.asString() + ":443"));
        Map<String, JsonNode> known = new HashMap<>();
        known.put("var.container_port", opsMcp.variables.get("container_port").path("default"));
        known.put("concat(var.allowed_hosts, [for h in var.allowed_hosts : \"${h}:443\"])", hosts);
        known.put("local.data_dir", opsMcp.locals.path("data_dir"));
        known.put("aws_db_instance.this.address", f.stringNode("ops-mcp.abcdefghijkl.eu-west-1.rds.amazonaws.com"));
        known.put("aws_db_instance.this.port", f.numberNode(5432));
        known.put("aws_db_instance.this.db_name", db.path("db_name"));
        known.put("aws_db_instance.this.username", db.path("username"));
        known.put(
                "aws_iam_role.this.arn",
                f.stringNode("arn:aws:iam::444455556666:role/"
                        + shop.path("role_name").asString()));
        known.put("local.external_id", example.locals.path("external_id"));
        known.put("var.external_id", resolve(shop.path("external_id"), known));
        known.put(
                "module.shop_account.credentials",
                resolve(managed.outputs.get("credentials").path("value"), known));

        ObjectNode merged = (ObjectNode) resolve(call.path("ops_mcp_config"), known);
        resolve(opsMcp.locals.path("module_config"), known)
                .properties()
                .forEach(e -> merged.set(e.getKey(), e.getValue()));
        Path file = tmp.resolve("ops-mcp.yaml");
        Files.writeString(file, Kustomization.YAML.writeValueAsString(merged));

        Map<String, String> env = new HashMap<>();
        opsMcp.locals
                .path("module_secrets")
                .forEach(s -> env.put(s.path("name").asString(), "placeholder-0123456789abcdef0123456789"));
        call.path("extra_secrets").propertyNames().forEach(n -> env.put(n, "placeholder-0123456789abcdef0123456789"));
        env.put("OPS_MCP_CONFIG", file.toString());
        io.opsmcp.server.config.OpsMcpConfig config = new io.opsmcp.server.config.ConfigLoader(env)
                .load(null, io.opsmcp.server.config.ConfigLoader.Overrides.NONE);
        assertThat(config.server().stateless()).isTrue();
        assertThat(config.server().transport()).isEqualTo("http");
        assertThat(config.apiKeys().isEmpty()).isFalse();
        assertThat(config.tree().path("store").path("password_env").asString()).isIn(env.keySet());
        var aws = io.opsmcp.tools.aws.config.AwsConfig.parse(config.tree());
        assertThat(aws.accounts()).hasSize(2);
        assertThat(aws.accounts().get(1).credentials())
                .isInstanceOfSatisfying(
                        io.opsmcp.tools.aws.config.CredentialsSpec.AssumeRole.class,
                        r -> assertThat(r.externalId())
                                .isEqualTo(example.locals.path("external_id").asString()));
        io.opsmcp.tools.gitlab.config.GitLabSettings.parse(config.tree(), env::get, tmp);
    }

    /** {@code value} with every {@code ${expression}} replaced by its known value; an unknown one fails. */
    private static JsonNode resolve(JsonNode value, Map<String, JsonNode> known) {
        if (value.isObject()) {
            ObjectNode out = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            value.properties().forEach(e -> out.set(e.getKey(), resolve(e.getValue(), known)));
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            value.forEach(v -> out.add(resolve(v, known)));
            return out;
        }
        if (!value.isString() || !value.asString().contains("${")) {
            return value;
        }
        String whole = TerraformModule.expression(value);
        if (whole != null && (known.containsKey(whole) || !whole.contains("${"))) {
            JsonNode v = known.get(whole);
            assertThat(v).as("a value for ${%s}", whole).isNotNull();
            return v.isString() && v.asString().contains("${") ? resolve(v, known) : v;
        }
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value.asString());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = known.get(m.group(1));
            assertThat(v).as("a value for ${%s}", m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(v.asString()));
        }
        m.appendTail(out);
        return tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(out.toString());
    }

    // ---- variables, outputs, secrets, the example

    @Test
    void everyVariableIsDescribedTypedAndValidatedAndEveryOutputDescribed() {
        for (TerraformModule m : List.of(opsMcp, managed)) {
            m.variables.forEach((name, v) -> {
                assertThat(v.path("description").asString(""))
                        .as(m.dir + " variable " + name)
                        .isNotBlank();
                assertThat(v.path("type").isMissingNode())
                        .as(m.dir + " variable " + name + " type")
                        .isFalse();
                boolean exempt = v.path("type").asString().equals("${bool}") || name.equals("tags");
                if (!exempt) {
                    assertThat(v.path("validation"))
                            .as(m.dir + " variable " + name + " validation")
                            .isNotEmpty();
                    v.path("validation")
                            .forEach(val -> assertThat(val.path("error_message").asString())
                                    .as(m.dir + " variable " + name)
                                    .startsWith(name + ":"));
                }
            });
            m.outputs.forEach((name, o) -> assertThat(o.path("description").asString(""))
                    .as(m.dir + " output " + name)
                    .isNotBlank());
        }
    }

    @Test
    void noSecretIsWrittenInTheTerraform() throws IOException {
        for (TerraformModule m : List.of(opsMcp, managed, example)) {
            for (Map.Entry<String, JsonNode> file : m.files.entrySet()) {
                List<String> literals = new ArrayList<>();
                secretLiterals(file.getValue(), "", literals);
                assertThat(literals).as(m.dir + "/" + file.getKey()).isEmpty();
            }
        }
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertThat(text)
                        .as(f.toString())
                        .doesNotContainPattern("AKIA[0-9A-Z]{16}")
                        .doesNotContain("PRIVATE KEY")
                        .doesNotContainPattern("glpat-[0-9A-Za-z_-]{10,}");
            }
        }
    }

    @Test
    void theExampleUsesTheModulesVariablesAndSetsEveryRequiredOne() {
        Map<String, TerraformModule> bySource = Map.of("../../ops-mcp", opsMcp, "../../managed-account", managed);
        Map<String, ObjectNode> modules = example.blocks.get("module").get("module");
        assertThat(modules).hasSize(2);
        modules.forEach((name, call) -> {
            TerraformModule target = bySource.get(call.path("source").asString());
            assertThat(target).as("module " + name + " source").isNotNull();
            Set<String> given = new TreeSet<>();
            call.propertyNames().forEach(given::add);
            given.removeAll(Set.of("source", "providers"));
            assertThat(target.variables.keySet()).as("module " + name).containsAll(given);
            Set<String> required = new TreeSet<>();
            target.variables.forEach((v, body) -> {
                if (!body.has("default")) {
                    required.add(v);
                }
            });
            assertThat(given)
                    .as("module " + name + " sets the required variables")
                    .containsAll(required);
        });
        ObjectNode call = modules.get("ops_mcp");
        assertThat(call.path("desired_count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(call.path("ops_mcp_config").path("toolsets").toString()).contains("aws");
        assertThat(call.path("managed_account_role_arns").toString())
                .contains(
                        ":role/" + modules.get("shop_account").path("role_name").asString());
        assertThat(modules.get("shop_account").path("ops_mcp_task_role_arn").asString())
                .endsWith(":role/" + call.path("name").asString() + "-task");
    }

    // ---- helpers

    /** Whether ops-mcp accepts {@code externalId} as aws.accounts[].credentials.external_id. */
    private static boolean serverAccepts(String externalId) {
        ObjectNode settings = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ObjectNode account = settings.putObject("aws").putArray("accounts").addObject();
        account.put("name", "a")
                .put("account_id", "444455556666")
                .put("environment", "prod")
                .put("default_region", "eu-west-1");
        account.putObject("credentials")
                .put("type", "assume_role")
                .put("role_arn", "arn:aws:iam::444455556666:role/ops-mcp")
                .put("external_id", externalId);
        try {
            io.opsmcp.tools.aws.config.AwsConfig.parse(settings);
            return true;
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("aws.accounts[0].credentials.external_id:");
            return false;
        }
    }

    private static IamActions fileOf(String module) throws IOException {
        return TerraformIamActionsTest.read(ROOT.resolve(module).resolve("iam-actions.json"));
    }

    private static Set<String> apiActions(List<PolicyDocument.Statement> statements) {
        Set<String> out = new TreeSet<>();
        statements.forEach(s -> out.addAll(s.actions()));
        for (String a : out) {
            assertThat(a).as("no wildcard actions").doesNotContain("*");
        }
        // iam:PassRole and sts:AssumeRole are checked on their own; every other action is compared with the code
        out.removeAll(IamActions.NOT_API_CALLS);
        return out;
    }

    private static List<PolicyDocument.Statement> granting(List<PolicyDocument.Statement> statements, String action) {
        return statements.stream().filter(s -> s.actions().contains(action)).toList();
    }

    /** iam:PassRole: present exactly when expected, alone in its statement, on the variable's roles, to ECS tasks only. */
    private static void assertPassRole(List<PolicyDocument.Statement> statements, boolean expected) {
        List<PolicyDocument.Statement> pass = granting(statements, "iam:PassRole");
        assertThat(pass).hasSize(expected ? 1 : 0);
        for (PolicyDocument.Statement s : pass) {
            assertThat(s.actions()).containsExactly("iam:PassRole");
            assertThat(TerraformModule.expression(s.resources())).isEqualTo("var.passable_role_arns");
            JsonNode condition = s.conditions().get(0);
            assertThat(condition.path("variable").asString()).isEqualTo("iam:PassedToService");
            assertThat(condition.path("values").toString()).isEqualTo("[\"ecs-tasks.amazonaws.com\"]");
        }
    }

    /** Asserts {@code value} is {@code ${TYPE.NAME.ATTRIBUTE}} of a resource of the module; returns NAME. */
    private static String reference(JsonNode value, String type, String attribute) {
        String expr = TerraformModule.expression(value);
        assertThat(expr).as("reference to " + type).matches(Pattern.quote(type) + "\\.[a-z_]+\\." + attribute);
        String name = expr.split("\\.")[1];
        assertThat(opsMcp.resource(type, name)).as(expr).isPresent();
        return name;
    }

    /** The conditions of a variable's validation blocks, as written. */
    private static String validations(TerraformModule m, String variable) {
        List<String> conditions = new ArrayList<>();
        m.variables
                .get(variable)
                .path("validation")
                .forEach(v -> conditions.add(v.path("condition").asString()));
        return String.join("\n", conditions);
    }

    /** Security group rules by the group they belong to ({@code aws_security_group.NAME.id}). */
    private static Map<String, List<JsonNode>> bySecurityGroup(String type) {
        Map<String, List<JsonNode>> out = new HashMap<>();
        opsMcp.resources(type).values().forEach(rule -> {
            String group = TerraformModule.expression(rule.path("security_group_id"));
            assertThat(group).matches("aws_security_group\\.[a-z_]+\\.id");
            out.computeIfAbsent(group.split("\\.")[1], k -> new ArrayList<>()).add(rule);
        });
        return out;
    }

    /** Attributes named like a secret whose value is a literal string rather than an expression. */
    private static void secretLiterals(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String path = at + "." + e.getKey();
                JsonNode v = e.getValue();
                // descriptions, names of environment variables (token_env) and Secrets Manager ARNs are no secrets
                boolean harmless = e.getKey().equals("description")
                        || e.getKey().equals("error_message")
                        || e.getKey().endsWith("_env")
                        || v.asString("").matches("^arn:aws[a-z-]*:secretsmanager:.*");
                if (!harmless
                        && SECRET_ATTRIBUTE.matcher(e.getKey()).matches()
                        && v.isString()
                        && TerraformModule.expression(v) == null
                        && !v.asString().contains("${")) {
                    out.add(path + " = " + v.asString());
                }
                secretLiterals(v, path, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                secretLiterals(node.get(i), at + "[" + i + "]", out);
            }
        }
    }
}
