package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.redact.Redactor;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into client-facing {@link ToolException}s. Error codes are the ones the services document
 * (ECS, CloudWatch Logs and CloudWatch "Common Errors"; EC2 "Error codes"; ELBv2 and STS API references).
 * Messages from AWS pass through the {@link Redactor}; the SDK's own exception text is never shown as is.
 */
final class AwsErrors {

    private static final Set<String> ACCESS_DENIED = Set.of(
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "UnauthorizedException",
            "AuthorizationError",
            "NotAuthorized");
    private static final Set<String> BAD_CREDENTIALS = Set.of(
            "UnrecognizedClientException",
            "InvalidClientTokenId",
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "ExpiredToken",
            "ExpiredTokenException",
            "RequestExpired",
            "AuthFailure",
            "InvalidSignatureException",
            "MissingAuthenticationToken");
    private static final Set<String> NOT_FOUND = Set.of(
            "ClusterNotFoundException",
            "ServiceNotFoundException",
            "ServiceNotActiveException",
            "ResourceNotFoundException",
            "TargetGroupNotFound",
            "TargetGroupNotFoundException",
            "LoadBalancerNotFound",
            "InvalidGroup.NotFound",
            "InvalidSubnetID.NotFound",
            "InvalidGroupId.Malformed",
            "InvalidSubnetID.Malformed",
            "NoSuchEntity");
    private static final Set<String> INVALID = Set.of(
            "InvalidParameterException",
            "InvalidParameterValue",
            "InvalidParameterValueException",
            "ValidationException",
            "ValidationError",
            "InvalidParameterCombination",
            "MissingParameter",
            "PlatformTaskDefinitionIncompatibilityException",
            "LimitExceededException",
            "InvalidInput",
            "PasswordPolicyViolation");

    private final Redactor redactor;

    AwsErrors(Redactor redactor) {
        this.redactor = redactor;
    }

    ToolException translate(AwsAction action, String subject, AwsTarget target, SdkException e) {
        String where = target.where();
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new ToolException(
                    Kind.TIMEOUT, action.iamAction() + " on " + subject + " (" + where + ") did not answer in time");
        }
        if (e instanceof AwsServiceException ase) {
            String code =
                    ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            String message =
                    ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorMessage();
            String detail = message == null || message.isBlank() ? "" : ": " + redactor.redact(message);
            int status = ase.statusCode();
            if (code != null && ACCESS_DENIED.contains(code) || code == null && status == 403) {
                return new ToolException(
                        Kind.FORBIDDEN,
                        "the credentials of " + where
                                + " lack the IAM permission " + action.iamAction() + " (needed for " + subject
                                + "; AWS said " + (code == null ? "403" : code) + detail + "). Grant it: see"
                                + " toolsets/aws/IAM_ACTIONS.md");
            }
            if (code != null && BAD_CREDENTIALS.contains(code)) {
                return new ToolException(
                        Kind.UNAVAILABLE,
                        "AWS rejected the credentials of " + where + " (" + code + "); check aws.accounts["
                                + target.account().name() + "].credentials");
            }
            if (code != null && NOT_FOUND.contains(code) || isMissingTaskDefinition(code, message)) {
                return new ToolException(
                        Kind.NOT_FOUND, subject + " was not found in " + where + " (" + code + detail + ")");
            }
            if (ase.isThrottlingException()) {
                return new ToolException(
                        Kind.UNAVAILABLE,
                        action.iamAction() + " is still throttled by AWS in " + where
                                + " after the SDK's retries with backoff (" + code + "); try again in a minute");
            }
            if (status >= 500) {
                return new ToolException(
                        Kind.UNAVAILABLE,
                        action.iamAction() + " failed in " + where
                                + " with a server error after the SDK's retries (HTTP " + status
                                + (code == null ? "" : ", " + code) + detail + ")");
            }
            if (code != null && INVALID.contains(code) || "ClientException".equals(code)) {
                return new ToolException(
                        Kind.INVALID_ARGUMENT,
                        action.iamAction() + " rejected the request for " + subject + " in " + where + " (" + code
                                + detail + ")");
            }
            return new ToolException(
                    Kind.UNAVAILABLE,
                    action.iamAction() + " failed for " + subject + " in " + where + " (HTTP " + status
                            + (code == null ? "" : ", " + code) + detail + ")");
        }
        if (e instanceof SdkClientException) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("credentials") || msg.contains("Credentials")) {
                return new ToolException(
                        Kind.UNAVAILABLE,
                        "no usable credentials for " + where + " (credentials type " + typeOf(target) + "): "
                                + firstLine(redactor.redact(msg)));
            }
            return new ToolException(
                    Kind.UNAVAILABLE,
                    "cannot reach the AWS endpoint for " + action.iamAction() + " in " + where + ": "
                            + firstLine(redactor.redact(msg)));
        }
        return new ToolException(
                Kind.UNAVAILABLE,
                action.iamAction() + " failed in " + where + ": "
                        + firstLine(redactor.redact(String.valueOf(e.getMessage()))));
    }

    /** ECS answers DescribeTaskDefinition for an unknown family or revision with a generic ClientException. */
    private static boolean isMissingTaskDefinition(String code, String message) {
        return "ClientException".equals(code)
                && message != null
                && message.toLowerCase().contains("unable to describe task definition");
    }

    private static String typeOf(AwsTarget target) {
        return target.account().credentials().getClass().getSimpleName();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
