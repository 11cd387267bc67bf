package io.opsmcp.core.tool;

import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import java.util.List;
import java.util.Map;

/**
 * What one tool module contributes under one name ({@code hosts}, {@code aws}, {@code gitlab}).
 * Toolsets are enabled by name in configuration.
 */
public interface OpsToolset extends AutoCloseable {

    /** Name used in configuration and in the policy input ({@code input.tool.toolset}). */
    String name();

    /** One line for {@code ops-mcp tools} and for errors that list the available toolsets. */
    String description();

    List<OpsTool> tools();

    /** Fixed resources (MCP {@code resources/list}); none by default. */
    default List<OpsResource> resources() {
        return List.of();
    }

    /** Resource templates (MCP {@code resources/templates/list}); none by default. */
    default List<OpsResourceTemplate> resourceTemplates() {
        return List.of();
    }

    /** Prompts (MCP {@code prompts/list}); none by default. */
    default List<OpsPrompt> prompts() {
        return List.of();
    }

    /**
     * Completion values this toolset knows for a well-known argument name, used for prompt and template
     * completions across toolsets: {@code host}, {@code account}, {@code cluster}, {@code service},
     * {@code project}. Best first, at most 100; empty when the toolset does not know the argument.
     *
     * @param argument the argument name
     * @param prefix   what the user typed so far
     * @param context  arguments already given (e.g. {@code cluster} when completing {@code service})
     */
    default List<String> complete(String argument, String prefix, Map<String, String> context) {
        return List.of();
    }

    /**
     * The resource one completion value of {@link #complete} names (a host, an ECS service, a GitLab project), so
     * the server shows it only to callers the policy lets read it; {@code null} when this toolset cannot say, and
     * then the value is not shown.
     */
    default ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        return null;
    }

    /**
     * Starts on a background thread the work this toolset left out of its constructor so the server answers its
     * first request sooner (e.g. building a search index; see {@code io.opsmcp.toolkit.Deferred}); returns at once.
     * Called once, after the server's first answer; work not started by then is done on first use.
     */
    default void startInBackground() {}

    /** Releases what the toolset holds (connection pools, threads); called once at shutdown. */
    @Override
    default void close() {}
}
