package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.sandbox.AwsWire;
import io.opsmcp.tools.aws.sandbox.AwsWire.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cloudwatch_logs_insights} against a WireMock Logs endpoint speaking AWS JSON 1.1 ({@code X-Amz-Target:
 * Logs_20140328.StartQuery} / {@code GetQueryResults} / {@code StopQuery}) that answers like Logs Insights: at most
 * the request's {@code limit} (≤ 10,000) rows per query, both ends of the range (epoch seconds) included.
 */
class LogsInsightsWireTest {

    static final String TARGET = "Logs_20140328.";
    static final long END = Instant.now().getEpochSecond() / 3600 * 3600;
    static final long START = END - 3600;
    static final int EVENTS = 10_001;

    // one server for the class; each test says whether queries complete and starts from empty records
    static WireMockServer wm;
    static AwsToolset toolset;
    static volatile boolean completes;
    static final List<JsonNode> starts = new CopyOnWriteArrayList<>();
    static final List<String> stops = new CopyOnWriteArrayList<>();
    static final Map<String, JsonNode> running = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        wm = AwsWire.serve("logs-insights-test", 16, LogsInsightsWireTest::answer);
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

    private static void serve(boolean complete) {
        completes = complete;
        starts.clear();
        stops.clear();
        running.clear();
    }

    /** Logs Insights over a log group of {@link #EVENTS} events spread evenly over [START, END). */
    private static Reply answer(Request req) {
        {
            String target = req.getHeader("X-Amz-Target");
            JsonNode in = AwsWire.readJson(req.getBody());
            assertThat(req.getHeader("Content-Type")).startsWith("application/x-amz-json-1.1");
            switch (target.substring(TARGET.length())) {
                case "StartQuery" -> {
                    starts.add(in);
                    String id = "q-" + starts.size();
                    running.put(id, in);
                    return AwsWire.json(JsonNodeFactory.instance.objectNode().put("queryId", id));
                }
                case "StopQuery" -> {
                    stops.add(in.path("queryId").asString());
                    return AwsWire.json(JsonNodeFactory.instance.objectNode().put("success", true));
                }
                case "GetQueryResults" -> {
                    JsonNode q = running.get(in.path("queryId").asString());
                    ObjectNode out = JsonNodeFactory.instance.objectNode();
                    ArrayNode results = out.putArray("results");
                    if (!completes) {
                        out.put("status", "Running");
                        return AwsWire.json(out);
                    }
                    long from = q.path("startTime").asLong();
                    long to = q.path("endTime").asLong();
                    int limit = q.path("limit").asInt();
                    boolean stats = q.path("queryString").asString().contains("stats");
                    if (q.path("queryString").asString().contains("key")) {
                        results.addArray()
                                .addObject()
                                .put("field", "@message")
                                .put("value", "deploy used AKIAIOSFODNN7EXAMPLE for s3");
                        out.put("status", "Complete");
                        return AwsWire.json(out);
                    }
                    long matched = 0;
                    for (int i = 0; i < EVENTS; i++) {
                        long ms = START * 1000 + (long) i * 3_600_000 / EVENTS;
                        if (ms / 1000 < from || ms / 1000 > to) {
                            continue;
                        }
                        matched++;
                        if (results.size() < limit) {
                            ArrayNode row = results.addArray();
                            if (stats) {
                                row.addObject().put("field", "bin").put("value", String.valueOf(i));
                            } else {
                                row.addObject().put("field", "@timestamp").put("value", String.valueOf(ms));
                                row.addObject().put("field", "@message").put("value", "event " + i);
                                row.addObject().put("field", "@ptr").put("value", "ptr" + i);
                            }
                        }
                    }
                    out.put("status", "Complete");
                    out.putObject("statistics")
                            .put("recordsMatched", (double) matched)
                            .put("recordsScanned", (double) matched)
                            .put("bytesScanned", matched * 100.0);
                    return AwsWire.json(out);
                }
                default -> {
                    return AwsWire.jsonError(400, "UnknownOperationException", target);
                }
            }
        }
    }

    private static String args(String query, int limit) {
        return """
                {"log_groups": ["/ecs/shop/checkout"], "query": "%s", "limit": %d,
                 "since": "%s", "until": "%s"}""".formatted(query, limit, Instant.ofEpochSecond(START), Instant.ofEpochSecond(END - 1));
    }

    @Test
    void aRangeAtTheRowLimitIsBisectedUntilEverySliceIsCompleteAndMergedInTimeOrder() {
        serve(true);
        ToolResult r = Fixtures.call(toolset, "cloudwatch_logs_insights", args("fields @timestamp, @message", 50_000));
        JsonNode out = r.structuredContent();
        System.out.println(r.text().lines().limit(3).toList());
        assertThat(out.get("rows")).hasSize(EVENTS);
        assertThat(out.get("complete").asBoolean()).isTrue();
        assertThat(out.get("split").asBoolean()).isTrue();
        // 1 h at 10,001 rows: the whole range hits 10,000; its halves (about 5,000 each) do not
        assertThat(out.get("queries").asInt()).isEqualTo(3);
        assertThat(out.get("slices").asInt()).isEqualTo(2);
        assertThat(out.get("notes").get(0).asString()).contains("split in time");
        assertThat(out.get("fields").toString()).doesNotContain("@ptr");
        Set<String> seen = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (JsonNode row : out.get("rows")) {
            assertThat(seen.add(row.get("@message").asString()))
                    .as("no row twice")
                    .isTrue();
            long ts = Long.parseLong(row.get("@timestamp").asString());
            assertThat(ts).isGreaterThanOrEqualTo(previous);
            previous = ts;
        }
        // the slices tile the range: contiguous, whole seconds, nothing queried twice among the leaves
        assertThat(starts.get(0).path("startTime").asLong()).isEqualTo(START);
        assertThat(starts.get(0).path("endTime").asLong()).isEqualTo(END - 1);
        assertThat(starts.get(0).path("limit").asInt()).isEqualTo(10_000);
        assertThat(starts.get(0).path("logGroupNames").get(0).asString()).isEqualTo("/ecs/shop/checkout");
        assertThat(out.get("statistics").get("records_matched").asLong()).isEqualTo(EVENTS);
    }

    @Test
    void newestFirstQueriesMergeTheNewerSliceFirst() {
        serve(true);
        ToolResult r = Fixtures.call(
                toolset, "cloudwatch_logs_insights", args("fields @timestamp | sort @timestamp desc", 6_000));
        JsonNode rows = r.structuredContent().get("rows");
        assertThat(rows).hasSize(6_000);
        // the newer half's rows come first, then the older half's
        assertThat(Long.parseLong(rows.get(0).get("@timestamp").asString()) / 1000)
                .isGreaterThanOrEqualTo(END - 1800);
        assertThat(Long.parseLong(rows.get(5_999).get("@timestamp").asString()) / 1000)
                .isLessThan(END - 1800);
        assertThat(r.structuredContent().get("complete").asBoolean()).isFalse();
        assertThat(r.structuredContent().get("stop_reason").asString()).startsWith("limit (6000 rows)");
    }

    @Test
    void anAggregatingQueryIsNotSplitAndSaysItMayMissRows() {
        serve(true);
        ToolResult r = Fixtures.call(toolset, "cloudwatch_logs_insights", args("stats count(*) by bin(1s)", 50_000));
        JsonNode out = r.structuredContent();
        assertThat(starts).hasSize(1);
        assertThat(out.get("rows")).hasSize(10_000);
        assertThat(out.get("complete").asBoolean()).isFalse();
        assertThat(out.get("notes").toString()).contains("not split").contains("stats");
    }

    @Test
    void cancellingTheCallSendsStopQuery() throws Exception {
        serve(false);
        CancellationSignal cancellation = new CancellationSignal();
        ToolContext ctx = new ToolContext(
                new Principal("test", null, "local"),
                "req-1",
                Instant.now().plusSeconds(300),
                null,
                null,
                false,
                cancellation);
        OpsTool tool = Fixtures.tool(toolset, "cloudwatch_logs_insights");
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return tool.execute(Fixtures.args(args("fields @message", 100)), ctx);
            } catch (RuntimeException e) {
                return e;
            }
        });
        for (int i = 0; i < 100 && starts.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(starts).hasSize(1);
        cancellation.cancel();
        Object outcome = call.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(ToolException.class);
        assertThat(((ToolException) outcome).getMessage()).contains("cancelled").contains("q-1");
        assertThat(stops).containsExactly("q-1");
    }

    @Test
    void theWaitEndsAtTheCallsDeadlineAndStopsTheQuery() {
        serve(false);
        // the deadline leaves one second after the 3-second margin
        ToolContext ctx = new ToolContext(
                new Principal("test", null, "local"), "req-2", Instant.now().plusSeconds(4), null, null);
        ToolResult r = Fixtures.tool(toolset, "cloudwatch_logs_insights")
                .execute(Fixtures.args(args("fields @message", 100)), ctx);
        assertThat(r.structuredContent().get("complete").asBoolean()).isFalse();
        assertThat(r.structuredContent().get("stop_reason").asString()).startsWith("wait");
        assertThat(stops).containsExactly("q-1");
    }

    @Test
    void credentialsInLogLinesAreRedactedInRowsAndText() {
        serve(true);
        ToolResult r = Fixtures.call(toolset, "cloudwatch_logs_insights", args("fields @message | filter key", 10));
        assertThat(r.structuredContent().toString()).contains("deploy used").doesNotContain("AKIAIOSFODNN7EXAMPLE");
        assertThat(r.text()).contains("deploy used").doesNotContain("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void scopeIsTheResolvedAccountOnly() {
        serve(true);
        List<String> refused = new ArrayList<>();
        for (String bad : List.of(
                "{\"log_groups\": [\"arn:aws:logs:eu-west-1:999999999999:log-group:/x\"], \"query\": \"fields @message\"}",
                "{\"log_groups\": [\"/x\"], \"query\": \"SOURCE logGroups(namePrefix: ['/']) | fields @message\"}",
                "{\"log_groups\": [\"/x\"], \"query\": \"fields @message |  source logGroups()\"}",
                "{\"log_groups\": [\"/x\"], \"query\": \"fields @message\", \"region\": \"us-east-1\"}",
                "{\"log_groups\": [\"/x\"], \"query\": \"fields @message\", \"account\": \"other\"}",
                "{\"log_groups\": [], \"query\": \"fields @message\"}")) {
            try {
                Fixtures.call(toolset, "cloudwatch_logs_insights", bad);
            } catch (ToolException e) {
                refused.add(e.kind() + ": " + e.getMessage());
            }
        }
        assertThat(refused).hasSize(6);
        assertThat(refused.get(0)).startsWith("INVALID_ARGUMENT: log_groups[0]");
        assertThat(refused.get(1)).contains("SOURCE");
        assertThat(refused.get(2)).contains("SOURCE");
        assertThat(refused.get(3)).startsWith("FORBIDDEN");
        assertThat(refused.get(4)).startsWith("NOT_FOUND");
        assertThat(refused.get(5)).startsWith("INVALID_ARGUMENT: log_groups");
        assertThat(starts).as("nothing reached AWS").isEmpty();
    }
}
