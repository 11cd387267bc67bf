package io.opsmcp.tools.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.sandbox.AwsWire;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_alarms} and {@code cloudwatch_alarm_history} against plain WireMock stubs in CloudWatch's wire
 * protocol as SDK 2.41 speaks it, Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/OP},
 * header {@code smithy-protocol: rpc-v2-cbor}): what the requests carry, paging by {@code NextToken}, and errors.
 */
class CloudWatchAlarmsWireTest {

    static final String PATH = AwsWire.CBOR_PATH;
    static WireMockServer wm;
    static AwsToolset toolset;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(
                WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        toolset = Fixtures.toolset(Fixtures.args("""
                {"aws": {"max_attempts": 1, "accounts": [{"name": "prod", "account_id": "123456789012",
                  "environment": "prod", "default_region": "eu-west-1", "regions": ["eu-west-1"],
                  "endpoint_url": "http://127.0.0.1:%d",
                  "credentials": {"type": "static", "access_key_id": "AKIAIOSFODNN7EXAMPLE",
                                  "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}]}}
                """.formatted(wm.port())), List.of());
    }

    @AfterAll
    static void stop() {
        toolset.close();
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static byte[] cbor(JsonNode out) {
        return AwsWire.cbor(out, Set.of("StateUpdatedTimestamp", "Timestamp")).body();
    }

    private static ObjectNode alarm(String name, String state, String service) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("AlarmName", name).put("StateValue", state).put("StateReason", "Threshold Crossed: x");
        a.put("StateUpdatedTimestamp", 1_764_000_000.5);
        a.put("Namespace", "AWS/ECS").put("MetricName", "MemoryUtilization").put("Statistic", "Maximum");
        a.put("Threshold", 90.0).put("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        a.put("Period", 60).put("EvaluationPeriods", 3);
        a.putArray("Dimensions").addObject().put("Name", "ServiceName").put("Value", service);
        return a;
    }

    private void stub(String operation, JsonNode out) {
        wm.stubFor(post(urlEqualTo(PATH + operation))
                .withHeader("smithy-protocol", equalTo("rpc-v2-cbor"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/cbor")
                        .withHeader("smithy-protocol", "rpc-v2-cbor")
                        .withBody(cbor(out))));
    }

    private static List<JsonNode> requests(String operation) {
        return wm.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r -> r.getUrl().equals(PATH + operation))
                .map(r -> AwsWire.readCbor(r.getBody()))
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                    // the journal holds the newest first
                    java.util.Collections.reverse(l);
                    return l;
                }));
    }

    @Test
    void describeAlarmsSendsPrefixAndStateAndFiltersByDimensionsAcrossPages() {
        ObjectNode page1 = JsonNodeFactory.instance.objectNode();
        page1.putArray("MetricAlarms").add(alarm("shop-checkout-mem", "ALARM", "checkout"));
        page1.put("NextToken", "t2");
        ObjectNode page2 = JsonNodeFactory.instance.objectNode();
        page2.putArray("MetricAlarms").add(alarm("shop-catalog-mem", "ALARM", "catalog"));
        wm.stubFor(post(urlEqualTo(PATH + "DescribeAlarms"))
                .atPriority(5)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/cbor")
                        .withHeader("smithy-protocol", "rpc-v2-cbor")
                        .withBody(cbor(page1))));
        wm.stubFor(post(urlEqualTo(PATH + "DescribeAlarms"))
                .atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("t2"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/cbor")
                        .withHeader("smithy-protocol", "rpc-v2-cbor")
                        .withBody(cbor(page2))));
        JsonNode out = Fixtures.call(
                        toolset,
                        "cloudwatch_alarms",
                        "{\"name_prefix\": \"shop-\", \"state\": \"ALARM\", \"dimensions\": {\"ServiceName\": \"catalog\"}}")
                .structuredContent();
        assertThat(Fixtures.names(out.get("alarms"), "name")).containsExactly("shop-catalog-mem");
        assertThat(out.get("alarms").get(0).get("state_updated").asString()).isEqualTo("2025-11-24T16:00:00.500Z");
        List<JsonNode> sent = requests("DescribeAlarms");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).get("AlarmNamePrefix").asString()).isEqualTo("shop-");
        assertThat(sent.get(0).get("StateValue").asString()).isEqualTo("ALARM");
        assertThat(sent.get(0).get("AlarmTypes").toString())
                .contains("MetricAlarm")
                .contains("CompositeAlarm");
        assertThat(sent.get(1).get("NextToken").asString()).isEqualTo("t2");
    }

    @Test
    void historySendsTheWindowAndReadsStateChanges() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putArray("AlarmHistoryItems")
                .addObject()
                .put("AlarmName", "shop-checkout-mem")
                .put("AlarmType", "MetricAlarm")
                .put("Timestamp", 1_764_000_000.0)
                .put("HistoryItemType", "StateUpdate")
                .put("HistorySummary", "Alarm updated from OK to ALARM")
                .put(
                        "HistoryData",
                        "{\"oldState\":{\"stateValue\":\"OK\"},\"newState\":{\"stateValue\":\"ALARM\","
                                + "\"stateReason\":\"Threshold Crossed\"}}");
        stub("DescribeAlarmHistory", out);
        JsonNode items = Fixtures.call(
                        toolset,
                        "cloudwatch_alarm_history",
                        "{\"alarm_name\": \"shop-checkout-mem\", \"type\": \"StateUpdate\", \"since\": \"6h\"}")
                .structuredContent()
                .get("items");
        assertThat(items.get(0).get("old_state").asString()).isEqualTo("OK");
        assertThat(items.get(0).get("new_state").asString()).isEqualTo("ALARM");
        JsonNode sent = requests("DescribeAlarmHistory").get(0);
        assertThat(sent.get("AlarmName").asString()).isEqualTo("shop-checkout-mem");
        assertThat(sent.get("HistoryItemType").asString()).isEqualTo("StateUpdate");
        assertThat(sent.get("ScanBy").asString()).isEqualTo("TimestampDescending");
        double now = System.currentTimeMillis() / 1000.0;
        assertThat(sent.get("StartDate").asDouble()).isBetween(now - 6 * 3600 - 60, now - 6 * 3600 + 60);
    }

    @Test
    void accessDeniedNamesTheMissingPermission() {
        wm.stubFor(post(urlEqualTo(PATH + "DescribeAlarms"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/cbor")
                        .withHeader("smithy-protocol", "rpc-v2-cbor")
                        .withBody(AwsWire.cborError("AccessDenied", "not authorized")
                                .body())));
        ToolException e = org.junit.jupiter.api.Assertions.assertThrows(
                ToolException.class, () -> Fixtures.call(toolset, "cloudwatch_alarms", "{}"));
        assertThat(e.kind()).isEqualTo(ToolException.Kind.FORBIDDEN);
        assertThat(e.getMessage()).contains("cloudwatch:DescribeAlarms");
    }
}
