package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool that changes something in GitLab. {@link #describe} plans the call from the current state (read-only
 * requests only) and returns the change preview; {@link #execute} plans again, and with {@code dry_run} returns
 * that preview without sending anything, otherwise applies it.
 *
 * @param <P> what the plan carries from planning to applying
 */
public abstract class MutatingTool<P> extends GitLabTool {

    /** A planned change: the project, the descriptor with its preview, and the tool's own data. */
    public record Plan<P>(ProjectRef project, ActionDescriptor descriptor, P data) {
        public ChangePreview change() {
            return descriptor.change();
        }
    }

    protected MutatingTool(GitLabContext gl, ToolDefinition definition) {
        super(gl, definition);
    }

    /** Reads the current state and decides what the call would do; must not change anything. */
    protected abstract Plan<P> plan(ObjectNode args, ToolContext ctx);

    /** Does it. */
    protected abstract ToolResult apply(Plan<P> plan, ObjectNode args, ToolContext ctx);

    @Override
    public final ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return plan(args, ctx).descriptor();
    }

    @Override
    public final ToolResult execute(ObjectNode args, ToolContext ctx) {
        Plan<P> plan = plan(args, ctx);
        if (Params.bool(args, "dry_run")) {
            return preview(plan);
        }
        return apply(plan, args, ctx);
    }

    /** The dry-run result: summary, before and after, and {@code dry_run: true}; nothing was sent. */
    protected ToolResult preview(Plan<P> plan) {
        ChangePreview change = plan.change();
        ObjectNode out = Json.result(plan.project());
        out.put("dry_run", true);
        out.put("summary", change.summary());
        out.set("before", change.before());
        out.set("after", change.after());
        return ToolResult.ok("Dry run (nothing was sent to GitLab): " + change.summary() + "\n" + previewText(plan), out);
    }

    /** Extra preview text (a diff, say); empty by default. */
    protected String previewText(Plan<P> plan) {
        return "";
    }
}
