package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.List;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_require_password_reset}: UpdateLoginProfile with {@code PasswordResetRequired}: the user keeps the
 * password but must choose a new one at the next console sign-in. No password is set or seen.
 */
public final class RequirePasswordResetTool extends IamChangeTool {

    public RequirePasswordResetTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "iam_require_password_reset",
                        "Require a new console password",
                        "Makes an IAM user choose a new console password at the next sign-in"
                                + " (UpdateLoginProfile PasswordResetRequired); the current password still works"
                                + " for that sign-in.",
                        JSON.objectNode(),
                        List.of(),
                        false));
    }

    @Override
    Change planChange(AwsTarget t, String user, ObjectNode args) {
        LoginProfile profile = Iam.loginProfile(t, user)
                .orElseThrow(() -> new ToolException(
                        ToolException.Kind.NOT_FOUND,
                        "IAM user " + user + " in " + t.where() + " has no console password (no login profile)"));
        if (Boolean.TRUE.equals(profile.passwordResetRequired())) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "IAM user " + user + " must already choose a new password at the next sign-in: nothing to"
                            + " change");
        }
        ObjectNode params = JSON.objectNode().put("UserName", user).put("PasswordResetRequired", true);
        return new Change(
                t,
                user,
                Iam.USER,
                user,
                null,
                new ChangePreview(
                        "require IAM user " + user + " to choose a new console password at the next sign-in",
                        JSON.objectNode().put("password_reset_required", false),
                        JSON.objectNode().put("password_reset_required", true)),
                List.of(new ApiRequest(AwsAction.IAM_UPDATE_LOGIN_PROFILE, params)),
                () -> {
                    t.call(
                            AwsAction.IAM_UPDATE_LOGIN_PROFILE,
                            "the console login profile of " + user,
                            () -> t.iam()
                                    .updateLoginProfile(b -> b.userName(user).passwordResetRequired(true)));
                    return JSON.objectNode().put("password_reset_required", true);
                });
    }
}
