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
 * {@code iam_delete_access_key}: DeleteAccessKey, for good. Only an Inactive key is deleted: deactivating first
 * (and waiting to see that nothing legitimate breaks) is the IAM User Guide's order for removing a key, and it
 * keeps a deletion from being the first thing that happens to a key in use.
 */
public final class DeleteAccessKeyTool extends IamChangeTool {

    public DeleteAccessKeyTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "iam_delete_access_key",
                        "Delete an IAM access key",
                        "Deletes an IAM user's access key for good (DeleteAccessKey). Only an Inactive key:"
                                + " deactivate it first (iam_deactivate_access_key).",
                        JSON.objectNode().set("access_key_id", IamArgs.ACCESS_KEY_REF.schema()),
                        List.of("access_key_id"),
                        true));
    }

    @Override
    Change planChange(AwsTarget t, String user, ObjectNode args) {
        AccessKeyMetadata key = Iam.key(t, user, IamArgs.ACCESS_KEY_REF.read(args));
        String masked = Iam.mask(key.accessKeyId());
        if (key.status() != StatusType.INACTIVE) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "access key " + masked + " of " + user + " is " + key.statusAsString()
                            + ": deactivate it first (iam_deactivate_access_key), then delete it");
        }
        ObjectNode params = JSON.objectNode().put("UserName", user).put("AccessKeyId", masked);
        return new Change(
                t,
                user,
                Iam.ACCESS_KEY,
                masked,
                masked,
                new ChangePreview(
                        "delete access key " + masked + " of IAM user " + user + " (Inactive, created "
                                + Iam.iso(key.createDate()) + "); this cannot be undone",
                        JSON.objectNode().put("key", masked).put("status", key.statusAsString()),
                        JSON.objectNode().put("key", masked).put("status", "Deleted"),
                        true),
                List.of(new ApiRequest(AwsAction.IAM_DELETE_ACCESS_KEY, params)),
                () -> {
                    t.call(
                            AwsAction.IAM_DELETE_ACCESS_KEY,
                            "access key " + masked + " of " + user,
                            () -> t.iam().deleteAccessKey(b -> b.userName(user).accessKeyId(key.accessKeyId())));
                    return JSON.objectNode().put("key", masked).put("status", "Deleted");
                });
    }
}
