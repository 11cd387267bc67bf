package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The CloudWatch tools on the sandbox account: checkout's memory alarm (the one an alert names) with its reason and
 * history, any metric through the {@code ecs_metrics} helper, and Logs Insights over checkout's log group.
 */
class CloudWatchSandboxTest {

    static AwsSandbox sandbox;
    static AwsToolset toolset;

    @BeforeAll
    static void start() {
        sandbox = AwsSandbox.start(1_000);
        toolset = Fixtures.toolset(sandbox.configure(JsonNodeFactory.instance.objectNode()), List.of());
    }

    @AfterAll
    static void stop() {
        toolset.close();
        sandbox.close();
    }

    @Test
    void checkoutsMemoryAlarmIsFiringWithItsReason() {
        ToolResult r = Fixtures.call(
                toolset,
                "cloudwatch_alarms",
                "{\"dimensions\": {\"ClusterName\": \"shop\", \"ServiceName\": \"checkout\"}}");
        JsonNode alarms = r.structuredContent().get("alarms");
        assertThat(Fixtures.names(alarms, "name")).containsExactly("shop-checkout-memory-high");
        JsonNode a = alarms.get(0);
        assertThat(a.get("state").asString()).isEqualTo("ALARM");
        assertThat(a.get("state_reason").asString()).startsWith("Threshold Crossed");
        assertThat(a.get("metric").asString()).isEqualTo("MemoryUtilization");
        assertThat(a.get("threshold").asDouble()).isEqualTo(90.0);
        assertThat(a.get("alarm_actions").get(0).asString()).endsWith(":shop-alerts");
        assertThat(a.get("state_updated").asString()).endsWith("Z");
        assertThat(r.text()).contains("shop-checkout-memory-high").contains("ALARM");

        JsonNode firing = Fixtures.call(toolset, "cloudwatch_alarms", "{\"state\": \"ALARM\"}")
                .structuredContent();
        assertThat(Fixtures.names(firing.get("alarms"), "name"))
                .containsExactly("shop-checkout-5xx", "shop-checkout-degraded", "shop-checkout-memory-high");
        assertThat(firing.get("counts").get("ALARM").asInt()).isEqualTo(3);
        JsonNode ok = Fixtures.call(toolset, "cloudwatch_alarms", "{\"state\": \"OK\", \"name_prefix\": \"shop-s\"}")
                .structuredContent();
        assertThat(Fixtures.names(ok.get("alarms"), "name")).containsExactly("shop-search-cpu-high");
    }

    @Test
    void historyShowsWhenTheAlarmFiredAndTheNotification() {
        JsonNode items = Fixtures.call(
                        toolset,
                        "cloudwatch_alarm_history",
                        "{\"alarm_name\": \"shop-checkout-memory-high\", \"since\": \"2d\"}")
                .structuredContent()
                .get("items");
        assertThat(Fixtures.names(items, "type")).containsExactly("Action", "StateUpdate");
        assertThat(items.get(1).get("old_state").asString()).isEqualTo("OK");
        assertThat(items.get(1).get("new_state").asString()).isEqualTo("ALARM");
        assertThat(items.get(1).get("reason").asString()).contains("threshold (90.0)");
        JsonNode config = Fixtures.call(
                        toolset,
                        "cloudwatch_alarm_history",
                        "{\"alarm_name\": \"shop-checkout-memory-high\", \"since\": \"30d\", \"type\": \"ConfigurationUpdate\"}")
                .structuredContent();
        assertThat(config.get("items")).hasSize(1);
    }

    @Test
    void anyMetricWithTheSameSummaryAndSparklineAsEcsMetrics() {
        JsonNode out = Fixtures.call(toolset, "cloudwatch_metric", """
                        {"namespace": "AWS/ECS", "metric_name": "MemoryUtilization", "minutes": 30,
                         "dimensions": {"ClusterName": "shop", "ServiceName": "checkout"}, "stats": ["Maximum", "p99.9"]}""").structuredContent();
        JsonNode max = out.get("metrics").get("maximum");
        assertThat(max.get("max").asDouble()).isGreaterThanOrEqualTo(95.0);
        assertThat(max.get("unit").asString()).isEqualTo("%");
        assertThat(max.get("sparkline").asString())
                .hasSize(max.get("points").asInt())
                .isNotEmpty();
        assertThat(out.get("metrics").has("p99_9")).isTrue();
        // the same numbers as ecs_metrics: one helper
        JsonNode ecs = Fixtures.call(
                        toolset, "ecs_metrics", "{\"cluster\": \"shop\", \"service\": \"checkout\", \"minutes\": 30}")
                .structuredContent();
        assertThat(ecs.get("period_seconds")).isEqualTo(out.get("period_seconds"));
        assertThat(ecs.get("metrics").get("memory_max").get("max")).isEqualTo(max.get("max"));
        assertThat(ecs.get("metrics").get("memory_max").get("points")).isEqualTo(max.get("points"));

        ActionDescriptor d = Fixtures.tool(toolset, "cloudwatch_metric")
                .describe(
                        Fixtures.args("{\"namespace\": \"AWS/ECS\", \"metric_name\": \"CPUUtilization\","
                                + " \"dimensions\": {\"ClusterName\": \"shop\", \"ServiceName\": \"checkout\"}}"),
                        new Fixtures.Recorder().ctx);
        assertThat(d.kind()).isEqualTo("cloudwatch:metric");
        assertThat(d.name()).isEqualTo("AWS/ECS/CPUUtilization");
        assertThat(d.ids()).containsEntry("service", "checkout").containsEntry("account", "sandbox");
    }

    @Test
    void logsInsightsFindsCheckoutsOutOfMemoryErrors() {
        ToolResult r = Fixtures.call(toolset, "cloudwatch_logs_insights", """
                {"log_groups": ["/ecs/shop/checkout"], "since": "1h",
                 "query": "fields @timestamp, @message | filter @message like /OutOfMemoryError/ | sort @timestamp desc"}""");
        JsonNode out = r.structuredContent();
        assertThat(out.get("complete").asBoolean()).isTrue();
        assertThat(out.get("rows").size()).isPositive();
        out.get("rows")
                .forEach(row -> assertThat(row.get("@message").asString()).contains("OutOfMemoryError"));
        assertThat(out.get("statistics").get("records_matched").asLong())
                .isEqualTo(out.get("rows").size());
        JsonNode count = Fixtures.call(
                        toolset,
                        "cloudwatch_logs_insights",
                        "{\"log_groups\": [\"/ecs/shop/checkout\"], \"query\": \"filter @message like /ERROR/ | stats count(*)\"}")
                .structuredContent();
        assertThat(count.get("rows").get(0).get("count(*)").asLong())
                .isEqualTo(out.get("rows").size());
        ToolException missing = org.junit.jupiter.api.Assertions.assertThrows(
                ToolException.class,
                () -> Fixtures.call(
                        toolset,
                        "cloudwatch_logs_insights",
                        "{\"log_groups\": [\"/ecs/shop/nope\"], \"query\": \"fields @message\"}"));
        assertThat(missing.kind()).isEqualTo(ToolException.Kind.NOT_FOUND);
    }

    @Test
    void logsInsightsReportsProgressWhileTheQueryRuns() {
        Fixtures.Recorder rec = new Fixtures.Recorder();
        Fixtures.tool(toolset, "cloudwatch_logs_insights")
                .execute(
                        Fixtures.args("{\"log_groups\": [\"/ecs/shop/catalog\"], \"query\": \"fields @message\"}"),
                        rec.ctx);
        assertThat(rec.progress).anyMatch(p -> p.contains("Running")).anyMatch(p -> p.contains("Complete"));
    }

    @Test
    void alarmReadsAreScopedLikeEveryAwsRead() {
        for (String tool : List.of("cloudwatch_alarms", "cloudwatch_alarm_history")) {
            ToolException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ToolException.class, () -> Fixtures.call(toolset, tool, "{\"region\": \"us-east-1\"}"));
            assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN);
        }
        ActionDescriptor d = Fixtures.tool(toolset, "cloudwatch_alarms")
                .describe(Fixtures.args("{\"name_prefix\": \"shop-checkout\"}"), new Fixtures.Recorder().ctx);
        assertThat(d.kind()).isEqualTo("cloudwatch:alarm");
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.name()).isEqualTo("shop-checkout*");
    }
}
