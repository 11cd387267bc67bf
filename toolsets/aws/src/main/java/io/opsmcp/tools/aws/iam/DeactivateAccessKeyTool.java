package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.List;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_deactivate_access_key}: UpdateAccessKey to {@code Inactive}. Requests signed with the key fail from
 * then on; it can be activated again, so this is the first step for a leaked key (delete comes after review).
 */
public final class DeactivateAccessKeyTool extends IamChangeTool {

    public DeactivateAccessKeyTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "iam_deactivate_access_key",
                        "Deactivate an IAM access key",
                        "Sets an IAM user's access key Inactive (UpdateAccessKey): every request signed with it"
                                + " fails from then on; it can be re-activated. First step for a leaked key.",
                        JSON.objectNode().set("access_key_id", IamArgs.ACCESS_KEY_REF.schema()),
                        List.of("access_key_id"),
                        false));
    }

    @Override
    Change planChange(AwsTarget t, String user, ObjectNode args) {
        AccessKeyMetadata key = Iam.key(t, user, IamArgs.ACCESS_KEY_REF.read(args));
        String masked = Iam.mask(key.accessKeyId());
        if (key.status() == StatusType.INACTIVE) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "access key " + masked + " of " + user + " is already Inactive: nothing to change");
        }
        ObjectNode params = JSON.objectNode()
                .put("UserName", user)
                .put("AccessKeyId", masked)
                .put("Status", "Inactive");
        return new Change(
                t,
                user,
                Iam.ACCESS_KEY,
                masked,
                masked,
                new ChangePreview(
                        "deactivate access key " + masked + " of IAM user " + user + " (" + key.statusAsString()
                                + " -> Inactive)",
                        JSON.objectNode().put("key", masked).put("status", key.statusAsString()),
                        JSON.objectNode().put("key", masked).put("status", "Inactive")),
                List.of(new ApiRequest(AwsAction.IAM_UPDATE_ACCESS_KEY, params)),
                () -> {
                    t.call(
                            AwsAction.IAM_UPDATE_ACCESS_KEY,
                            "access key " + masked + " of " + user,
                            () -> t.iam()
                                    .updateAccessKey(b -> b.userName(user)
                                            .accessKeyId(key.accessKeyId())
                                            .status(StatusType.INACTIVE)));
                    return JSON.objectNode().put("key", masked).put("status", "Inactive");
                });
    }
}
