package io.opsmcp.tools.aws;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.aws.client.AwsClients;
import io.opsmcp.tools.aws.config.AwsConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Shared helpers: a toolset over given settings, tool look-up, argument building, a recording context. */
final class Fixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Fixtures() {}

    static AwsToolset toolset(JsonNode settings, List<ExecutionInterceptor> interceptors) {
        AwsConfig config = AwsConfig.parse(settings);
        return new AwsToolset(config, new AwsClients(config, interceptors));
    }

    static OpsTool tool(AwsToolset toolset, String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ObjectNode args(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** A context that records progress notifications. */
    static final class Recorder {
        final List<String> progress = new CopyOnWriteArrayList<>();
        final ToolContext ctx;

        Recorder() {
            this(false);
        }

        /** @param dryRun what the gateway decides from the {@code dry_run} argument */
        Recorder(boolean dryRun) {
            ctx = new ToolContext(
                    new Principal("test", null, "local"),
                    "req-1",
                    Instant.now().plusSeconds(300),
                    (done, total, message) -> progress.add(done + "/" + total + " " + message),
                    null,
                    dryRun,
                    null);
        }
    }

    /** Runs describe then execute, as the gateway does (which also decides the dry run from {@code dry_run}). */
    static ToolResult call(AwsToolset toolset, String tool, String argsJson) {
        OpsTool t = tool(toolset, tool);
        ObjectNode a = args(argsJson);
        Recorder r = new Recorder(a.path("dry_run").asBoolean(false));
        t.describe(a, r.ctx);
        ToolResult result = t.execute(a, r.ctx);
        // every result a test sees must match the tool's published output schema (IamActionsTest runs every tool)
        List<String> problems = ToolDefinitionChecks.resultProblems(t.definition(), result);
        if (!problems.isEmpty()) {
            throw new AssertionError(tool + " result against its output schema:\n- " + String.join("\n- ", problems));
        }
        return result;
    }

    static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asString()));
        return out;
    }
}
