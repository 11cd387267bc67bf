package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.aws.client.Accounts;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iam.model.MFADevice;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code iam_deactivate_mfa_device}: DeactivateMFADevice, for a lost or broken device. The user can then sign in
 * with the password alone until a new device is enabled, so it is destructive: it removes a factor.
 */
public final class DeactivateMfaDeviceTool extends IamChangeTool {

    public DeactivateMfaDeviceTool(Accounts accounts) {
        super(
                accounts,
                definition(
                        "iam_deactivate_mfa_device",
                        "Deactivate a lost MFA device",
                        "Deactivates an IAM user's MFA device (DeactivateMFADevice), e.g. a lost phone: the user"
                                + " signs in without MFA until a new device is enabled.",
                        JSON.objectNode().set("serial_number", IamArgs.SERIAL_NUMBER.schema()),
                        List.of("serial_number"),
                        true));
    }

    @Override
    Change planChange(AwsTarget t, String user, ObjectNode args) {
        String serial = IamArgs.SERIAL_NUMBER.read(args);
        List<MFADevice> devices = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_MFA_DEVICES, "the MFA devices of " + user, () -> {
            t.iam().listMFADevicesPaginator(b -> b.userName(user)).mfaDevices().forEach(devices::add);
            return null;
        });
        MFADevice device = devices.stream()
                .filter(d -> d.serialNumber().equals(serial))
                .findFirst()
                .orElseThrow(() -> new ToolException(
                        ToolException.Kind.NOT_FOUND,
                        "IAM user " + user + " in " + t.where() + " has no MFA device " + serial + "; its devices: "
                                + (devices.isEmpty()
                                        ? "none"
                                        : String.join(
                                                ", ",
                                                devices.stream()
                                                        .map(MFADevice::serialNumber)
                                                        .toList()))));
        ObjectNode params = JSON.objectNode().put("UserName", user).put("SerialNumber", serial);
        return new Change(
                t,
                user,
                Iam.USER,
                user,
                null,
                new ChangePreview(
                        "deactivate MFA device " + serial + " of IAM user " + user + " (enabled "
                                + Iam.iso(device.enableDate()) + "); " + (devices.size() - 1)
                                + " other device(s) remain",
                        JSON.objectNode().put("serial_number", serial).put("enabled", true),
                        JSON.objectNode().put("serial_number", serial).put("enabled", false),
                        true),
                List.of(new ApiRequest(AwsAction.IAM_DEACTIVATE_MFA_DEVICE, params)),
                () -> {
                    t.call(
                            AwsAction.IAM_DEACTIVATE_MFA_DEVICE,
                            "MFA device " + serial + " of " + user,
                            () -> t.iam()
                                    .deactivateMFADevice(b -> b.userName(user).serialNumber(serial)));
                    return JSON.objectNode().put("serial_number", serial).put("enabled", false);
                });
    }
}
