package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import io.opsmcp.tools.aws.sandbox.SandboxIam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * IAM_ACTIONS.md against the code: the file lists exactly the operations of {@link AwsAction}, read-only and
 * mutating in their own sections, and every operation the tools really send (recorded by an SDK interceptor
 * while every tool runs against the sandbox) is one of them.
 */
class IamActionsTest {

    private static List<String> section(List<String> lines, String heading) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                in = line.startsWith("## " + heading);
                continue;
            }
            if (in && line.startsWith("- ") && line.matches("^- [a-z0-9]+:[A-Za-z]+$")) {
                out.add(line.substring(2));
            }
        }
        return out;
    }

    @Test
    void fileListsExactlyTheOperationsTheToolsetCanCall() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("IAM_ACTIONS.md"));
        Set<String> readOnly = new TreeSet<>(section(lines, "Read-only"));
        Set<String> mutating = new TreeSet<>(section(lines, "Mutating"));
        assertThat(readOnly)
                .isEqualTo(new TreeSet<>(Arrays.stream(AwsAction.values())
                        .filter(a -> !a.mutating())
                        .map(AwsAction::iamAction)
                        .toList()));
        assertThat(mutating)
                .isEqualTo(new TreeSet<>(Arrays.stream(AwsAction.values())
                        .filter(AwsAction::mutating)
                        .map(AwsAction::iamAction)
                        .toList()));
    }

    @Test
    void everyOperationSentWhileRunningEveryToolIsListed() {
        Set<String> sent = new ConcurrentSkipListSet<>();
        Set<String> unknown = new ConcurrentSkipListSet<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String service = attributes.getAttribute(AwsExecutionAttribute.ENDPOINT_PREFIX);
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                AwsAction.of(service, operation)
                        .ifPresentOrElse(a -> sent.add(a.iamAction()), () -> unknown.add(service + ":" + operation));
            }
        };
        try (AwsSandbox sandbox = AwsSandbox.start(1_000);
                AwsToolset toolset = Fixtures.toolset(
                        IamToolsTest.withIam(sandbox.configure(JsonNodeFactory.instance.objectNode())),
                        List.of(recorder))) {
            String svc = "\"cluster\":\"shop\",\"service\":\"checkout\"";
            Fixtures.call(toolset, "aws_whoami", "{}");
            Fixtures.call(toolset, "ecs_list_clusters", "{}");
            Fixtures.call(toolset, "ecs_list_services", "{\"cluster\":\"shop\"}");
            Fixtures.call(toolset, "ecs_service_health", "{" + svc + "}");
            Fixtures.call(toolset, "ecs_task_failures", "{" + svc + "}");
            Fixtures.call(toolset, "ecs_task_definition", "{\"task_definition\":\"shop-checkout\"}");
            Fixtures.call(toolset, "ecs_logs", "{" + svc + "}");
            Fixtures.call(toolset, "ecs_metrics", "{" + svc + "}");
            Fixtures.call(toolset, "ecs_network", "{" + svc + "}");
            Fixtures.call(
                    toolset,
                    "cloudwatch_metric",
                    "{\"namespace\":\"AWS/ECS\",\"metric_name\":\"CPUUtilization\",\"dimensions\":{\"ServiceName\":\"checkout\"}}");
            Fixtures.call(toolset, "cloudwatch_alarms", "{}");
            Fixtures.call(toolset, "cloudwatch_alarm_history", "{}");
            Fixtures.call(
                    toolset,
                    "cloudwatch_logs_insights",
                    "{\"log_groups\":[\"/ecs/shop/checkout\"],\"query\":\"fields @message\"}");
            // StopQuery: a query whose wait ends before it completes (the sandbox answers Running first)
            Fixtures.tool(toolset, "cloudwatch_logs_insights")
                    .execute(
                            Fixtures.args("{\"log_groups\":[\"/ecs/shop/checkout\"],\"query\":\"fields @message\"}"),
                            new io.opsmcp.core.tool.ToolContext(
                                    new io.opsmcp.core.tool.Principal("test", null, "local"),
                                    "req-stop",
                                    java.time.Instant.now().plusMillis(3_100),
                                    null,
                                    null));
            Fixtures.call(toolset, "ecs_troubleshoot", "{" + svc + "}");
            Fixtures.call(
                    toolset, "ecs_scale_service", "{\"cluster\":\"shop\",\"service\":\"catalog\",\"desired_count\":3}");
            Fixtures.call(toolset, "ecs_force_new_deployment", "{\"cluster\":\"shop\",\"service\":\"catalog\"}");
            Fixtures.call(toolset, "ecs_rollback_service", "{\"cluster\":\"shop\",\"service\":\"payments\"}");
            Fixtures.call(
                    toolset, "ecs_update_task_resources", "{" + svc + ",\"container\":\"checkout\",\"memory\":1024}");
            Fixtures.call(toolset, "ecs_update_health_check_grace_period", "{" + svc + ",\"seconds\":90}");
            String deployBot = "\"user_name\":\"deploy-bot\",\"access_key_id\":\"";
            Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"maria\"}");
            Fixtures.call(toolset, "iam_access_key_lookup", "{\"access_key_id\":\"" + SandboxIam.LEAKED_KEY + "\"}");
            Fixtures.call(toolset, "iam_deactivate_access_key", "{" + deployBot + SandboxIam.LEAKED_KEY + "\"}");
            Fixtures.call(toolset, "iam_delete_access_key", "{" + deployBot + SandboxIam.LEAKED_KEY + "\"}");
            Fixtures.call(toolset, "iam_require_password_reset", "{\"user_name\":\"maria\"}");
            Fixtures.call(toolset, "iam_reset_console_password", "{\"user_name\":\"maria\"}");
            Fixtures.call(
                    toolset,
                    "iam_deactivate_mfa_device",
                    "{\"user_name\":\"maria\",\"serial_number\":\"arn:aws:iam::111122223333:mfa/maria\"}");
            List<String> tools = toolset.tools().stream()
                    .map(OpsTool::definition)
                    .map(d -> d.name())
                    .toList();
            assertThat(tools).hasSize(26);
        }
        assertThat(unknown).isEmpty();
        assertThat(sent)
                .isEqualTo(new TreeSet<>(Arrays.stream(AwsAction.values())
                        .map(AwsAction::iamAction)
                        .toList()));
    }
}
