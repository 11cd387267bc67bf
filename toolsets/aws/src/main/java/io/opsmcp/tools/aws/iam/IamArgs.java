package io.opsmcp.tools.aws.iam;

import io.opsmcp.toolkit.ArgSpec;

/** The arguments of the IAM tools (AWS IAM API reference: {@code UserName}, {@code AccessKeyId}, {@code SerialNumber}). */
final class IamArgs {

    /** IAM user names: 1..64 of letters, digits and {@code _+=,.@-} (IAM API {@code UserName}). */
    static final String USER_NAME_PATTERN = "^[A-Za-z0-9_+=,.@-]{1,64}$";
    /** A whole access key id (IAM API {@code AccessKeyId}: 16..128 word characters; AWS issues 20 upper/digits). */
    static final String KEY_ID_PATTERN = "^[A-Z0-9]{16,128}$";
    /** A key id, or the masked form the tools show ({@code AKIA…WXYZ}, first and last four). */
    static final String KEY_REF_PATTERN = "^([A-Z0-9]{16,128}|[A-Z0-9]{4}(…|\\.\\.\\.)[A-Z0-9]{4})$";
    /** An MFA device: a virtual device's ARN or a hardware device's serial (IAM API {@code SerialNumber}). */
    static final String SERIAL_PATTERN = "^[A-Za-z0-9_+=/:,.@-]{9,256}$";

    static final ArgSpec<String> USER_NAME = ArgSpec.string("user_name")
            .pattern(USER_NAME_PATTERN)
            .description("IAM user name.")
            .required();

    static final ArgSpec<String> ACCESS_KEY_ID = ArgSpec.string("access_key_id")
            .pattern(KEY_ID_PATTERN)
            .description("The whole access key id (e.g. from a leak report or a log line).")
            .required();

    static final ArgSpec<String> ACCESS_KEY_REF = ArgSpec.string("access_key_id")
            .pattern(KEY_REF_PATTERN)
            .description("The whole access key id, or the masked form iam_user_access shows (AKIA…WXYZ).")
            .required();

    static final ArgSpec<String> SERIAL_NUMBER = ArgSpec.string("serial_number")
            .pattern(SERIAL_PATTERN)
            .description("The MFA device's serial number or ARN, as iam_user_access lists it.")
            .required();

    private IamArgs() {}
}
