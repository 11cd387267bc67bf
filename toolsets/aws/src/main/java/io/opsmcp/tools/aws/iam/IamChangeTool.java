package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.MutatingTool;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import io.opsmcp.tools.aws.common.AwsTool;
import io.opsmcp.tools.aws.common.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shared flow of the IAM changes ({@code iam_deactivate_access_key}, {@code iam_delete_access_key},
 * {@code iam_require_password_reset}, {@code iam_reset_console_password}, {@code iam_deactivate_mfa_device}), on
 * the toolkit's {@link MutatingTool}: each plans from the user's current state (read-only IAM calls), the guard
 * decides on the plan's descriptor (kind {@code iam:user} or {@code iam:access-key}) and preview, a dry run returns
 * the preview and the requests it would send, and only an allowed call sends them.
 *
 * <p>Requests are shown as the service would receive them, except that access key ids are masked and no password
 * is ever part of a request shown, a result or a message.
 */
abstract class IamChangeTool extends MutatingTool<IamChangeTool.Change> {

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * A planned change.
     *
     * @param kind      {@link Iam#USER} or {@link Iam#ACCESS_KEY}
     * @param name      the resource name the policy sees (the user, or the masked key)
     * @param maskedKey the key it acts on (masked), or null
     * @param send      sends the requests; returns what they produced (never a secret)
     */
    record Change(
            AwsTarget target,
            String userName,
            String kind,
            String name,
            String maskedKey,
            ChangePreview preview,
            List<ApiRequest> requests,
            Supplier<ObjectNode> send) {}

    protected final Accounts accounts;

    IamChangeTool(Accounts accounts, ToolDefinition definition) {
        super(definition);
        this.accounts = accounts;
    }

    /** Reads the user's current state and plans the change; sends nothing. */
    abstract Change planChange(AwsTarget t, String userName, ObjectNode args);

    /**
     * The definition every IAM change shares: {@code account}, {@code region}, {@code user_name}, its own arguments
     * and {@code dry_run}; the output: where, the change, the requests and, after a real change, what they produced.
     * Every IAM change carries {@code destructiveHint} for clients (each can lock someone or something out);
     * {@code removes} says whether the policy sees it as destructive (it deletes or removes a factor for good).
     */
    static ToolDefinition definition(
            String name,
            String title,
            String description,
            ObjectNode extraInput,
            List<String> extraRequired,
            boolean removes) {
        ObjectNode in = Schemas.scoped();
        in.set("user_name", IamArgs.USER_NAME.schema());
        in.setAll(extraInput);
        in.set(ToolSpec.DRY_RUN, ToolSpec.DRY_RUN_ARG.schema());
        List<String> required = new ArrayList<>(List.of("user_name"));
        required.addAll(extraRequired);
        ObjectNode out = Schemas.scopedOutput();
        out.set("user_name", JsonSchemas.type("string", "IAM user"));
        out.set(ToolSpec.DRY_RUN, JsonSchemas.type("boolean", "nothing was sent"));
        out.set("summary", JsonSchemas.type("string", "the change in one line"));
        out.set("destructive", JsonSchemas.type("boolean", "the change removes or disables something"));
        out.set("before", JsonSchemas.type("object", "the relevant state now"));
        out.set("after", JsonSchemas.type("object", "the state the change produces"));
        Schemas.changeRequestsOutput(out, "operation (IAM action), parameters (key ids masked)");
        return new ToolDefinition(
                name,
                title,
                description,
                JsonSchemas.input(in, required.toArray(String[]::new)),
                JsonSchemas.output(out, "account", "account_id", "region", "user_name", "dry_run", "summary"),
                ToolAnnotations.destructive(),
                removes);
    }

    @Override
    protected PlannedChange<Change> plan(ObjectNode args, ToolContext ctx) {
        AwsTarget t = accounts.resolve(args);
        String user = IamArgs.USER_NAME.read(args);
        Change c = planChange(t, user, args);
        return new PlannedChange<>(Iam.descriptor(t, c.kind(), c.name(), user, c.maskedKey(), c.preview()), c);
    }

    @Override
    protected void previewDetails(PlannedChange<Change> plan, ObjectNode out) {
        where(plan.data(), out);
    }

    @Override
    protected String previewText(PlannedChange<Change> plan) {
        return "would send:\n" + ApiRequest.text(plan.data().requests());
    }

    @Override
    protected ToolResult apply(PlannedChange<Change> plan, ObjectNode args, ToolContext ctx) {
        Change c = plan.data();
        ObjectNode out = JSON.objectNode();
        where(c, out);
        out.put(ToolSpec.DRY_RUN, false);
        out.put("summary", c.preview().summary());
        out.put("destructive", c.preview().destructive());
        out.set("before", c.preview().before());
        out.set("after", c.preview().after());
        ObjectNode applied = c.send().get();
        out.set("applied", applied);
        return ToolResult.ok(
                definition().name() + ": " + c.preview().summary() + " — applied in "
                        + c.target().where() + "\n" + "sent:\n" + ApiRequest.text(c.requests()),
                out);
    }

    private static void where(Change c, ObjectNode out) {
        out.setAll(AwsTool.result(c.target()));
        out.put("user_name", c.userName());
        ApiRequest.appendTo(out.putArray("requests"), c.requests());
    }
}
