package io.opsmcp.examples.springai;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A {@link ChatModel} for CI and offline runs: each turn is a function of the conversation so far that returns the
 * next assistant message (tool calls or the final answer). The turn is the number of assistant messages in the prompt,
 * so the script follows the conversation, not its own counter. A tool call to a tool the prompt does not offer is an
 * error: the script may only use what ops-mcp published.
 */
final class ScriptedChatModel implements ChatModel {

    private final List<Function<List<Message>, AssistantMessage>> turns;
    private final AtomicInteger calls = new AtomicInteger();

    ScriptedChatModel(List<Function<List<Message>, AssistantMessage>> turns) {
        this.turns = List.copyOf(turns);
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        calls.incrementAndGet();
        List<Message> messages = prompt.getInstructions();
        int turn = (int)
                messages.stream().filter(m -> m instanceof AssistantMessage).count();
        AssistantMessage reply = turns.get(Math.min(turn, turns.size() - 1)).apply(messages);
        if (prompt.getOptions() instanceof ToolCallingChatOptions options) {
            List<String> offered = options.getToolCallbacks().stream()
                    .map(c -> c.getToolDefinition().name())
                    .toList();
            for (AssistantMessage.ToolCall call : reply.getToolCalls()) {
                if (!offered.contains(call.name())) {
                    throw new IllegalStateException(
                            "scripted model: " + call.name() + " is not among the tools loaded from ops-mcp");
                }
            }
        }
        return new ChatResponse(List.of(new Generation(reply)));
    }
}
