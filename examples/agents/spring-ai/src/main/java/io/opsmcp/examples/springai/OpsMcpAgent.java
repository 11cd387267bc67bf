package io.opsmcp.examples.springai;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring AI agent with ops-mcp as its toolset: the tools come from ops-mcp's {@code tools/list} through
 * {@link SyncMcpToolCallbackProvider}; the agent loop runs them with Spring AI's {@link ToolCallingManager}
 * (user-controlled tool execution), so it can stop when ops-mcp answers "approval required", wait until
 * {@code approval_status} shows the human's decision (given out of band: {@code ops-mcp approvals approve ID} or
 * {@code POST /approvals/ID/approve}), and then let the model re-call with the {@code approval_id}.
 *
 * <p>The flow: diagnose a failed GitLab pipeline, preview the proposed fix, apply it (held for approval), verify.
 * The model is scripted ({@link ScriptedChatModel}); README.md shows how to put a provider's {@code ChatModel} in.
 *
 * <p>Usage: {@code java -jar ops-mcp-spring-ai-agent.jar --url http://127.0.0.1:8080 [--project shop/checkout]
 * [--pipeline 1003] [--poll-ms 500] [--max-wait-s 600]}; {@code OPS_MCP_API_KEY} is sent as the bearer key.
 * Transcript lines start with a tag ({@code [tools]}, {@code [call]}, {@code [result]}, {@code [interrupt]},
 * {@code [resume]}, {@code [report]}); exit 0 when the run reached its report, 1 otherwise.
 */
public final class OpsMcpAgent {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NEXT_FIX = Pattern.compile("next: gitlab_propose_fix (\\{[^}]*})");
    private static final Pattern MERGE_REQUEST = Pattern.compile("merge request (!\\d+)");

    private static final String INSTRUCTIONS = """
            You are an SRE agent working through ops-mcp's tools. For the failed pipeline you are given: diagnose it
            with gitlab_pipeline_failure_analysis; preview the analysis' proposed fix with "dry_run": true; then make
            the same call without dry_run. If ops-mcp answers "approval required", stop calling tools until you are
            told the human's decision; when approved, call the same tool again with the same arguments plus
            "approval_id". Verify with gitlab_pipelines and answer with a one-line report.""";

    private final Options options;

    private OpsMcpAgent(Options options) {
        this.options = options;
    }

    /** Command line: --url, --project, --pipeline, --poll-ms, --max-wait-s. */
    record Options(String url, String project, long pipeline, long pollMs, long maxWaitMs) {
        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>(Map.of(
                    "--project", "shop/checkout", "--pipeline", "1003", "--poll-ms", "500", "--max-wait-s", "600"));
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(
                            "usage: --url URL [--project P] [--pipeline ID] [--poll-ms N] [--max-wait-s N]");
                }
                values.put(args[i], args[++i]);
            }
            String url = values.get("--url");
            if (url == null) {
                throw new IllegalArgumentException("--url: ops-mcp's base URL is required (http://host:port)");
            }
            return new Options(
                    url,
                    values.get("--project"),
                    Long.parseLong(values.get("--pipeline")),
                    Long.parseLong(values.get("--poll-ms")),
                    Long.parseLong(values.get("--max-wait-s")) * 1000);
        }
    }

    public static void main(String[] args) {
        try {
            int code = new OpsMcpAgent(Options.parse(args)).run();
            System.exit(code);
        } catch (RuntimeException e) {
            log("failed", e.toString());
            System.exit(1);
        }
    }

    int run() {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        String key = System.getenv("OPS_MCP_API_KEY");
        if (key != null && !key.isBlank()) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(options.url())
                .endpoint("/mcp")
                .requestBuilder(request)
                .build();
        try (McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("ops-mcp-spring-ai-agent", "0.1.0"))
                .requestTimeout(Duration.ofSeconds(60))
                .build()) {
            client.initialize();
            List<ToolCallback> tools = Arrays.asList(SyncMcpToolCallbackProvider.builder()
                    .mcpClients(client)
                    .build()
                    .getToolCallbacks());
            log(
                    "tools",
                    tools.size() + " tool callbacks from ops-mcp through SyncMcpToolCallbackProvider: "
                            + String.join(
                                    ", ",
                                    tools.stream()
                                            .map(t -> t.getToolDefinition().name())
                                            .toList()));
            ChatModel model = new ScriptedChatModel(script());
            log("model", "scripted");
            return loop(model, tools);
        }
    }

    /** The agent loop: model → tools (ToolCallingManager) → approval gate → model, until the model answers in text. */
    private int loop(ChatModel model, List<ToolCallback> tools) {
        ToolCallingChatOptions chatOptions =
                ToolCallingChatOptions.builder().toolCallbacks(tools).build();
        ToolCallingManager manager = ToolCallingManager.builder().build();
        List<Message> history = new ArrayList<>(List.of(
                new SystemMessage(INSTRUCTIONS),
                new UserMessage("Pipeline " + options.pipeline() + " of " + options.project() + " failed.")));
        for (int turn = 0; turn < 20; turn++) {
            Prompt prompt = new Prompt(history, chatOptions);
            ChatResponse response = model.call(prompt);
            AssistantMessage reply = response.getResult().getOutput();
            if (!reply.hasToolCalls()) {
                log("report", reply.getText());
                return 0;
            }
            reply.getToolCalls().forEach(c -> log("call", c.name() + " " + c.arguments()));
            ToolExecutionResult executed = manager.executeToolCalls(prompt, response);
            history = new ArrayList<>(executed.conversationHistory());
            if (!(history.get(history.size() - 1) instanceof ToolResponseMessage results)) {
                throw new IllegalStateException("no tool results after the tool calls");
            }
            for (ToolResponseMessage.ToolResponse r : results.getResponses()) {
                Optional<JsonNode> notice = approvalNotice(r.responseData());
                log(
                        "result",
                        r.name() + ": "
                                + notice.map(n -> "approval required ("
                                                + n.get("approval_id").asString() + ")")
                                        .orElse(firstLine(r.responseData())));
                if (notice.isPresent()) {
                    history.add(new UserMessage(awaitDecision(notice.get(), tools)));
                }
            }
        }
        log("failed", "no report after 20 turns");
        return 1;
    }

    /** Stops for the human: prints the change and the approval id, polls approval_status, returns the outcome. */
    private String awaitDecision(JsonNode notice, List<ToolCallback> tools) {
        String id = notice.get("approval_id").asString();
        log(
                "interrupt",
                "approval required: " + id + " for " + notice.get("tool").asString());
        log("interrupt", "change: " + notice.get("change").asString());
        ToolCallback status = tools.stream()
                .filter(t -> t.getToolDefinition().name().equals("approval_status"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("ops-mcp offered no approval_status tool"));
        long deadline = System.currentTimeMillis() + options.maxWaitMs();
        String state = "approval_required";
        JsonNode last = notice;
        while (state.equals("approval_required") && System.currentTimeMillis() < deadline) {
            sleep(options.pollMs());
            last = structured(status.call(JSON.writeValueAsString(Map.of("approval_id", id))))
                    .orElse(last);
            state = last.path("status").asString("approval_required");
        }
        List<String> approvers = new ArrayList<>();
        last.path("approvers").forEach(a -> approvers.add(a.path("principal").asString(a.asString())));
        log("resume", id + " is " + state + (approvers.isEmpty() ? "" : " by " + String.join(", ", approvers)));
        return state.equals("approved")
                ? "Approval " + id + " is approved. Call " + notice.get("tool").asString()
                        + " again with the same arguments plus \"approval_id\": \"" + id + "\"."
                : "Approval " + id + " was not given (" + state + "). Do not apply the change; report.";
    }

    /** The scripted model's turns: the same steps a real model takes, arguments read from ops-mcp's answers. */
    private List<Function<List<Message>, AssistantMessage>> script() {
        String target =
                JSON.writeValueAsString(Map.of("project", options.project(), "pipeline_id", options.pipeline()));
        return List.of(
                m -> call("gitlab_pipeline_failure_analysis", target),
                m -> call("gitlab_propose_fix", withField(proposedFix(m), "dry_run", true)),
                m -> call("gitlab_propose_fix", proposedFix(m)),
                m -> call("gitlab_propose_fix", withField(proposedFix(m), "approval_id", lastApprovalId(m))),
                m -> call(
                        "gitlab_pipelines",
                        JSON.writeValueAsString(Map.of("project", options.project(), "ref", "main"))),
                m -> {
                    Matcher mr = MERGE_REQUEST.matcher(lastResult(m, "gitlab_propose_fix"));
                    return AssistantMessage.builder()
                            .content("fix proposed in merge request " + (mr.find() ? mr.group(1) : "(none)")
                                    + " after approval; main's pipelines: "
                                    + firstLine(lastResult(m, "gitlab_pipelines")))
                            .build();
                });
    }

    private static AssistantMessage call(String tool, String arguments) {
        return AssistantMessage.builder()
                .toolCalls(List.of(new AssistantMessage.ToolCall(
                        "call_" + Long.toHexString(System.nanoTime()), "function", tool, arguments)))
                .build();
    }

    private static String proposedFix(List<Message> messages) {
        Matcher next = NEXT_FIX.matcher(texts(lastResult(messages, "gitlab_pipeline_failure_analysis")));
        if (!next.find()) {
            throw new IllegalStateException("scripted model: the analysis proposed no fix");
        }
        return next.group(1);
    }

    private static String withField(String json, String field, Object value) {
        Map<String, Object> args = new LinkedHashMap<>();
        JSON.readTree(json).properties().forEach(e -> args.put(e.getKey(), e.getValue()));
        args.put(field, value);
        return JSON.writeValueAsString(args);
    }

    private static String lastApprovalId(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolResponseMessage t) {
                for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
                    Optional<JsonNode> n = approvalNotice(r.responseData());
                    if (n.isPresent()) {
                        return n.get().get("approval_id").asString();
                    }
                }
            }
        }
        throw new IllegalStateException("scripted model: no approval notice in the conversation");
    }

    private static String lastResult(List<Message> messages, String tool) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ToolResponseMessage t) {
                for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
                    if (r.name().equals(tool)) {
                        return r.responseData();
                    }
                }
            }
        }
        throw new IllegalStateException("scripted model: no result of " + tool + " in the conversation");
    }

    /**
     * The texts of a tool result as SyncMcpToolCallback returns it: the MCP {@code content} list as JSON
     * ([{"type":"text","text":…}, …]); anything else is taken as text.
     */
    static String texts(String responseData) {
        try {
            JsonNode node = JSON.readTree(responseData);
            if (node.isArray()) {
                List<String> out = new ArrayList<>();
                node.forEach(c -> out.add(c.path("text").asString("")));
                return String.join("\n", out);
            }
            if (node.isString()) {
                return node.asString();
            }
        } catch (RuntimeException notJson) {
            // an error message from the tool execution exception processor, as is
        }
        return responseData;
    }

    /** ops-mcp's structured result: the text block that is a JSON object ({"status": …, …}), if any. */
    static Optional<JsonNode> structured(String responseData) {
        for (String text : texts(responseData).split("\n")) {
            if (text.startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(text);
                    if (n.isObject() && n.has("status")) {
                        return Optional.of(n);
                    }
                } catch (RuntimeException notJson) {
                    // a text line that is not JSON
                }
            }
        }
        return Optional.empty();
    }

    /** The "approval required" notice in a tool result, if it is one. */
    static Optional<JsonNode> approvalNotice(String responseData) {
        return structured(responseData)
                .filter(n -> n.path("status").asString("").equals("approval_required") && n.has("approval_id"));
    }

    private static String firstLine(String responseData) {
        String text = texts(responseData);
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the approval", e);
        }
    }

    private static void log(String tag, String text) {
        System.out.println("[" + tag + "] " + text);
        System.out.flush();
    }
}
