package io.opsmcp.core.tool;

import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client sees of a tool in {@code tools/list}.
 *
 * @param name         stable public name, {@code ^[a-z][a-z0-9_]{0,63}$} (e.g. {@code host_disk_usage})
 * @param title        short human title
 * @param description  what the tool does and when to use it, written for the model
 * @param inputSchema  JSON Schema (draft 2020-12) of the arguments object; arguments are validated against it
 *                     before {@link OpsTool#describe} runs
 * @param outputSchema JSON Schema of {@link ToolResult#structuredContent()}, or {@code null} when the tool
 *                     returns text only
 * @param annotations  MCP hints, conservative for clients that auto-approve by them: a tool that interrupts a service
 *                     (restart, redeploy) carries {@code destructiveHint} even when it removes nothing
 * @param destructive  what the policy sees as {@code input.tool.destructive}: the tool stops or removes something
 *                     (scale to zero, delete, cancel). Interrupting is not enough, so adding a hint for clients never
 *                     changes who must approve; a destructive tool always carries {@code destructiveHint}
 */
public record ToolDefinition(
        String name,
        String title,
        String description,
        ObjectNode inputSchema,
        ObjectNode outputSchema,
        ToolAnnotations annotations,
        boolean destructive) {

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + NAME.pattern());
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
        Objects.requireNonNull(annotations, "annotations");
        if (title == null) {
            title = name;
        }
        if (destructive && (annotations.readOnlyHint() || !annotations.destructiveHint())) {
            throw new IllegalArgumentException("tool " + name + ": a destructive tool must carry destructiveHint");
        }
    }

    /** A definition whose policy classification follows its hints: destructive when not read-only and hinted so. */
    public ToolDefinition(
            String name,
            String title,
            String description,
            ObjectNode inputSchema,
            ObjectNode outputSchema,
            ToolAnnotations annotations) {
        this(
                name,
                title,
                description,
                inputSchema,
                outputSchema,
                annotations,
                annotations != null && !annotations.readOnlyHint() && annotations.destructiveHint());
    }

    public boolean readOnly() {
        return annotations.readOnlyHint();
    }
}
