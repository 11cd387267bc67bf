package io.opsmcp.core.prompt;

import java.util.List;
import java.util.Map;

/**
 * An MCP prompt: a named, parameterised message template a user picks in the client ("troubleshoot an ECS
 * service"), which the server expands into messages for the model.
 */
public interface OpsPrompt {

    /**
     * @param name     argument name
     * @param description what to give
     * @param required whether the prompt needs it
     */
    record Argument(String name, String description, boolean required) {}

    /**
     * @param name        prompt name ({@code troubleshoot_ecs_service})
     * @param title       human title
     * @param description what the prompt does
     * @param arguments   its arguments
     */
    record Definition(String name, String title, String description, List<Argument> arguments) {
        public Definition {
            arguments = List.copyOf(arguments);
        }
    }

    /**
     * One expanded message.
     *
     * @param role {@code user} or {@code assistant}
     * @param text the text
     */
    record Message(String role, String text) {}

    Definition definition();

    /**
     * Expands the prompt.
     *
     * @throws io.opsmcp.core.tool.ToolException INVALID_ARGUMENT naming a missing or invalid argument
     */
    List<Message> render(Map<String, String> arguments);

    /** Completion values for one argument, best first, at most 100. */
    default List<String> complete(String argument, String prefix) {
        return List.of();
    }
}
