package io.opsmcp.toolkit;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a {@link ToolDefinition} from {@link ArgSpec}s, so a tool's published input schema is exactly the set
 * of arguments it reads. A mutating tool (see {@link #mutating} and {@link #destructive}) gets the {@code dry_run}
 * argument added unless it declares its own wording of it; the gateway reads it into {@code ToolContext.dryRun()}
 * and {@link MutatingTool} honours it.
 *
 * <pre>{@code
 * ToolDefinition def = ToolSpec.tool("host_service_restart").title("Restart a systemd unit")
 *         .description("...").args(HOST, UNIT).mutating(false).build();
 * }</pre>
 */
public final class ToolSpec {

    /** The name of the preview argument every mutating tool has. */
    public static final String DRY_RUN = "dry_run";

    /** The default declaration of {@value #DRY_RUN}. */
    public static final ArgSpec<Boolean> DRY_RUN_ARG =
            ArgSpec.bool(DRY_RUN).defaultValue(false); // the name says it; every byte is read on every turn

    private final String name;
    private String title;
    private String description;
    private final List<ArgSpec<?>> args = new ArrayList<>();
    private ObjectNode output;
    private ToolAnnotations annotations = ToolAnnotations.readOnly();
    private boolean interrupting;

    private ToolSpec(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Starts a read-only tool named {@code name} ({@code ^[a-z][a-z0-9_]{0,63}$}). */
    public static ToolSpec tool(String name) {
        return new ToolSpec(name);
    }

    public ToolSpec title(String title) {
        this.title = title;
        return this;
    }

    /** What the tool does and when to use it, written for the model. */
    public ToolSpec description(String description) {
        this.description = description;
        return this;
    }

    /** The arguments, in the order they are published. */
    public ToolSpec args(ArgSpec<?>... specs) {
        args.addAll(List.of(specs));
        return this;
    }

    /** {@link #args(ArgSpec[])} for a list (shared argument groups). */
    public ToolSpec args(List<ArgSpec<?>> specs) {
        args.addAll(specs);
        return this;
    }

    /** The JSON Schema of the result's {@code structuredContent}. */
    public ToolSpec output(ObjectNode schema) {
        this.output = schema;
        return this;
    }

    /**
     * The shape of every dry-run result ({@link MutatingTool#preview}): {@code dry_run} true, the change's
     * {@code summary} and {@code destructive} flag, and the state {@code before} and {@code after} when known; tools add
     * their resource's ids. A mutating tool's published output schema is {@code anyOf} its result and this.
     */
    public static ObjectNode previewSchema() {
        ObjectNode p = JsonSchemas.properties();
        p.set("dry_run", JsonSchemas.type("boolean", "true: nothing was changed"));
        p.set("summary", JsonSchemas.type("string", "the change, in one line"));
        p.set("destructive", JsonSchemas.type("boolean", "the change stops or removes something"));
        // An object in each tool's own shape; declared as one so the schema constrains something (MCP Inspector
        // --strict flags a schema without any validation keyword).
        p.set("before", JsonSchemas.type("object", "the state now"));
        p.set("after", JsonSchemas.type("object", "the state the change would produce"));
        return JsonSchemas.output(p, "dry_run", "summary", "destructive");
    }

    /** Read-only (the default): no {@code dry_run}. */
    public ToolSpec readOnly() {
        this.annotations = ToolAnnotations.readOnly();
        this.interrupting = false;
        return this;
    }

    /** Changes something but destroys nothing (restart, retry, scale up). */
    public ToolSpec mutating(boolean idempotent) {
        this.annotations = ToolAnnotations.mutating(idempotent);
        this.interrupting = false;
        return this;
    }

    /** May destroy or stop something (scale to zero, delete, cancel). */
    public ToolSpec destructive() {
        this.annotations = ToolAnnotations.destructive();
        this.interrupting = false;
        return this;
    }

    /**
     * Interrupts a service without removing anything (restart, reload): {@code destructiveHint} for clients, which
     * auto-approve by hints, while the policy's {@code input.tool.destructive} stays false (see
     * {@link ToolDefinition#destructive()}).
     */
    public ToolSpec interrupting() {
        this.annotations = ToolAnnotations.destructive();
        this.interrupting = true;
        return this;
    }

    /**
     * Touches only ops-mcp's own state or configuration (no AWS, GitLab or host): {@code openWorldHint} false.
     * Call after {@link #readOnly}, {@link #mutating} or {@link #destructive}.
     */
    public ToolSpec closedWorld() {
        ToolAnnotations a = annotations;
        this.annotations = new ToolAnnotations(a.readOnlyHint(), a.destructiveHint(), a.idempotentHint(), false);
        return this;
    }

    /** Explicit annotations, for hints the shortcuts above do not express (e.g. no outside system). */
    public ToolSpec annotations(ToolAnnotations annotations) {
        this.annotations = Objects.requireNonNull(annotations, "annotations");
        return this;
    }

    /**
     * @throws IllegalArgumentException when the name is invalid, the description missing, or an argument is
     *                                  declared twice
     */
    public ToolDefinition build() {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("tool " + name + ": description is required");
        }
        List<ArgSpec<?>> all = new ArrayList<>(args);
        if (!annotations.readOnlyHint() && all.stream().noneMatch(a -> a.name().equals(DRY_RUN))) {
            all.add(DRY_RUN_ARG);
        }
        boolean destructive = !interrupting && !annotations.readOnlyHint() && annotations.destructiveHint();
        return new ToolDefinition(
                name, title, description, ArgSpec.schema(all), published(output), annotations, destructive);
    }

    /** A mutating tool's result is its own or, on a dry run, the {@linkplain #previewSchema preview}. */
    private ObjectNode published(ObjectNode output) {
        if (output == null || annotations.readOnlyHint()) {
            return output;
        }
        ObjectNode either = JsonSchemas.properties();
        either.put("type", "object");
        either.putArray("anyOf").add(output).add(previewSchema());
        return either;
    }
}
