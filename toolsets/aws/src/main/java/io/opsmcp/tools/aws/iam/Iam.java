package io.opsmcp.tools.aws.iam;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.AwsTool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;

/**
 * What the IAM tools share: the resources the policy sees ({@code iam:user}, {@code iam:access-key}), the masked
 * form of access key ids, and the look-ups of one user's console profile and keys.
 *
 * <p>Access key ids are never shown whole: the server's redactor removes every {@code AKIA…}/{@code ASIA…} id
 * from results and the audit ({@code AwsRedaction}), so the tools show the first and last four characters
 * ({@code AKIA…WXYZ}), which the change tools accept back for the same user.
 */
final class Iam {

    /** Kind of a user (console access, MFA, groups): the policy may ask more approvals for it than for ECS. */
    static final String USER = "iam:user";
    /** Kind of an access key. */
    static final String ACCESS_KEY = "iam:access-key";
    /** Access keys unused this long are stale (CIS AWS Foundations Benchmark 1.12: credentials unused 45 days). */
    static final Duration STALE_AFTER = Duration.ofDays(45);
    /** Access keys older than this are due for rotation (CIS AWS Foundations Benchmark 1.14: 90 days). */
    static final Duration ROTATE_AFTER = Duration.ofDays(90);

    private Iam() {}

    /** {@code AKIA…WXYZ}: the first and last four characters of a key id. */
    static String mask(String keyId) {
        if (keyId == null) {
            return null;
        }
        return keyId.length() < 12 ? "…" : keyId.substring(0, 4) + "…" + keyId.substring(keyId.length() - 4);
    }

    /** Whether {@code ref} (a whole id or a masked one) names {@code keyId}. */
    static boolean refersTo(String ref, String keyId) {
        if (ref.length() >= 16 && !ref.contains(".") && !ref.contains("…")) {
            return ref.equals(keyId);
        }
        String r = ref.replace("...", "…");
        return mask(keyId).equals(r);
    }

    /** Temporary (STS) credentials: key ids beginning {@code ASIA} (IAM User Guide, "Unique identifiers"). */
    static boolean temporary(String keyId) {
        return keyId.startsWith("ASIA");
    }

    /**
     * The descriptor the policy sees for an IAM resource: provider {@code aws}, the account's environment, ids
     * {@code account}, {@code account_id}, {@code region}, {@code user_name} and, for a key, {@code key} (masked).
     * Member names avoid the words the server's redactor takes for a secret's name ({@code access_key},
     * {@code password}, {@code secret}, …), which would blank their values.
     */
    static ActionDescriptor descriptor(
            AwsTarget t, String kind, String name, String userName, String maskedKey, ChangePreview change) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("account", t.account().name());
        ids.put("account_id", t.account().accountId());
        ids.put("region", t.region());
        if (userName != null) {
            ids.put("user_name", userName);
        }
        if (maskedKey != null) {
            ids.put("key", maskedKey);
        }
        return new ActionDescriptor(AwsTool.PROVIDER, kind, t.account().environment(), name, ids, change);
    }

    /** GetUser; NOT_FOUND naming the user and the account when there is none. */
    static User user(AwsTarget t, String userName) {
        return t.call(
                        AwsAction.IAM_GET_USER,
                        "IAM user " + userName,
                        () -> t.iam().getUser(b -> b.userName(userName)))
                .user();
    }

    /** GetLoginProfile; empty when the user has no console password (NoSuchEntity). */
    static Optional<LoginProfile> loginProfile(AwsTarget t, String userName) {
        return t.call(AwsAction.IAM_GET_LOGIN_PROFILE, "the console login profile of " + userName, () -> {
            try {
                return Optional.of(
                        t.iam().getLoginProfile(b -> b.userName(userName)).loginProfile());
            } catch (NoSuchEntityException e) {
                return Optional.empty();
            }
        });
    }

    /** ListAccessKeys of a user, every page (IAM allows two keys per user). */
    static List<AccessKeyMetadata> keys(AwsTarget t, String userName) {
        List<AccessKeyMetadata> out = new ArrayList<>();
        t.call(AwsAction.IAM_LIST_ACCESS_KEYS, "the access keys of " + userName, () -> {
            t.iam()
                    .listAccessKeysPaginator(b -> b.userName(userName))
                    .accessKeyMetadata()
                    .forEach(out::add);
            return null;
        });
        return out;
    }

    /** GetAccessKeyLastUsed; its {@code UserName} is the key's owner. */
    static KeyUse lastUsed(AwsTarget t, String keyId) {
        var r = t.call(
                AwsAction.IAM_GET_ACCESS_KEY_LAST_USED,
                "access key " + mask(keyId),
                () -> t.iam().getAccessKeyLastUsed(b -> b.accessKeyId(keyId)));
        return new KeyUse(r.userName(), r.accessKeyLastUsed());
    }

    /** The owner of a key and its last use ({@code lastUsedDate} null: never used). */
    record KeyUse(String userName, AccessKeyLastUsed lastUsed) {}

    /**
     * The one key of {@code userName} that {@code ref} names.
     *
     * @throws ToolException NOT_FOUND listing the user's keys (masked) when none matches; INVALID_ARGUMENT when a
     *                       masked reference matches more than one
     */
    static AccessKeyMetadata key(AwsTarget t, String userName, String ref) {
        List<AccessKeyMetadata> keys = keys(t, userName);
        List<AccessKeyMetadata> matching =
                keys.stream().filter(k -> refersTo(ref, k.accessKeyId())).toList();
        if (matching.isEmpty()) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "IAM user " + userName + " in " + t.where() + " has no access key " + displayRef(ref)
                            + "; its keys: "
                            + (keys.isEmpty()
                                    ? "none"
                                    : String.join(
                                            ", ",
                                            keys.stream()
                                                    .map(k -> mask(k.accessKeyId()) + " (" + k.statusAsString() + ")")
                                                    .toList())));
        }
        if (matching.size() > 1) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "access_key_id: " + displayRef(ref) + " matches " + matching.size() + " keys of " + userName
                            + "; give the whole key id");
        }
        return matching.get(0);
    }

    /** A reference as messages show it: masked, whatever the caller gave. */
    static String displayRef(String ref) {
        return ref.contains("…") || ref.contains("...") ? ref.replace("...", "…") : mask(ref);
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Whole days from {@code t} to {@code now}; null when {@code t} is. */
    static Long days(Instant t, Instant now) {
        return t == null ? null : Duration.between(t, now).toDays();
    }
}
