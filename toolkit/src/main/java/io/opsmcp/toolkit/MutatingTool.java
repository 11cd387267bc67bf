package io.opsmcp.toolkit;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.LogLevel;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The base of every tool that changes something. {@link #describe} plans the call from the current state
 * (read-only requests) and returns the descriptor with its change preview for the guard; {@link #execute} plans
 * again (the state may have moved while an approval was pending) and then either returns the preview, when the
 * gateway set {@link ToolContext#dryRun()}, or applies it. Both are final: a mutating tool cannot ignore a dry run
 * or be decided on a preview other than the one it applies.
 *
 * @param <P> what the plan carries from planning to applying
 */
public abstract class MutatingTool<P> implements OpsTool {

    private final ToolDefinition definition;

    /**
     * @throws IllegalArgumentException when the definition is read-only (a read-only tool has no change to plan)
     */
    protected MutatingTool(ToolDefinition definition) {
        if (definition.readOnly()) {
            throw new IllegalArgumentException("tool " + definition.name() + " is a MutatingTool but read-only");
        }
        this.definition = definition;
    }

    @Override
    public final ToolDefinition definition() {
        return definition;
    }

    /**
     * Reads the current state and decides what the call would do; must not change anything.
     *
     * @throws io.opsmcp.core.tool.ToolException when the resource is unknown, out of scope or in no state to change
     */
    protected abstract PlannedChange<P> plan(ObjectNode args, ToolContext ctx);

    /** Makes the planned change. Called only after the guard allowed exactly this plan's descriptor. */
    protected abstract ToolResult apply(PlannedChange<P> plan, ObjectNode args, ToolContext ctx);

    @Override
    public final ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return plan(args, ctx).descriptor();
    }

    @Override
    public final ToolResult execute(ObjectNode args, ToolContext ctx) {
        PlannedChange<P> plan = plan(args, ctx);
        if (ctx.dryRun()) {
            return preview(plan, ctx);
        }
        // The point of no return is here, after planning and before the first request of the change is sent: a
        // cancellation that arrives earlier sends nothing; one that arrives later is reported as cancelled after
        // the change was sent (apply's waiting and polling still stop).
        String what = plan.change().summary() + " on " + plan.descriptor().kind() + " "
                + plan.descriptor().name();
        if (!ctx.cancellation().pointOfNoReturn(what)) {
            throw new ToolException(
                    ToolException.Kind.TIMEOUT,
                    definition.name() + " was cancelled before anything was sent: nothing was changed");
        }
        // The client's log (MCP notifications/message) says what is being changed before it happens, so a user
        // watching a long apply sees it even when the result comes late or not at all.
        ctx.log().log(LogLevel.NOTICE, definition.name() + ": applying " + what);
        return apply(plan, args, ctx);
    }

    /**
     * The dry-run result: text {@code "Dry run (nothing was changed): <summary>"} followed by
     * {@link #previewText}, and structured content {@code {dry_run: true, summary, destructive, before, after}} ({@link ToolSpec#previewSchema}; before and
     * after absent when unknown)
     * plus {@link #previewDetails}.
     */
    protected ToolResult preview(PlannedChange<P> plan, ToolContext ctx) {
        ChangePreview change = plan.change();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        previewDetails(plan, out);
        out.put(ToolSpec.DRY_RUN, true);
        out.put("summary", change.summary());
        out.put("destructive", change.destructive());
        // absent rather than null when unknown: an output schema types each member once, without "null"
        if (change.before() != null && !change.before().isNull()) {
            out.set("before", change.before());
        }
        if (change.after() != null && !change.after().isNull()) {
            out.set("after", change.after());
        }
        String extra = previewText(plan);
        return ToolResult.ok(
                "Dry run (nothing was changed): " + change.summary() + (extra.isEmpty() ? "" : "\n" + extra), out);
    }

    /** Members added first to the dry-run result (the resource's ids, the requests that would be sent). */
    protected void previewDetails(PlannedChange<P> plan, ObjectNode out) {}

    /** Extra dry-run text (a diff, the requests); empty by default. */
    protected String previewText(PlannedChange<P> plan) {
        return "";
    }
}
