package io.opsmcp.tools.aws.sandbox;

import io.opsmcp.tools.aws.sandbox.AwsWire.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox account's IAM users, their access keys, console passwords and MFA devices, and the Secrets Manager
 * secrets console passwords are delivered to; stateful (changes stick for the life of the sandbox). Spoken in
 * each service's wire protocol as SDK 2.41 sends it: IAM and STS GetAccessKeyInfo in the query protocol (XML,
 * namespaces {@value #IAM_NS} and {@value #STS_NS}), Secrets Manager in AWS JSON 1.1 ({@code X-Amz-Target:
 * secretsmanager.OP}).
 *
 * <p>The users, as an access review and the runbooks meet them:
 *
 * <ul>
 *   <li>{@code deploy-bot} — CI user, no console; key {@link #LEAKED_KEY} active and used an hour ago (the key of
 *       the leak report), a second key inactive.
 *   <li>{@code old-etl} — a retired job's user: one active key unused for 120 days (stale), 400 days old.
 *   <li>{@code maria} — console user locked out (forgot her password): password last used 30 days ago, a
 *       virtual MFA device; her password secret exists.
 *   <li>{@code alex} — console password without MFA, a fresh key.
 * </ul>
 *
 * Access key ids are assembled from parts so that no literal in the source looks like an AWS key to a scanner.
 */
public final class SandboxIam {

    static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    /** {@code X-Amz-Target} prefix of Secrets Manager operations. */
    public static final String SECRETS_PREFIX = "secretsmanager.";

    private static final String AKIA = "AKIA";
    /** The key the leak report names (deploy-bot's, active). */
    public static final String LEAKED_KEY = AKIA + "Q3SANDBOXLEAK3D7";
    /** deploy-bot's second key, already inactive. */
    public static final String DEPLOY_OLD_KEY = AKIA + "Q3SANDBOXDEPL0Y2";
    /** old-etl's stale key. */
    public static final String STALE_KEY = AKIA + "Q3SANDBOXSTALE01";
    /** alex's key. */
    public static final String ALEX_KEY = AKIA + "Q3SANDBOXALEXK3Y";
    /** The account any key the sandbox does not know belongs to (GetAccessKeyInfo). */
    public static final String FOREIGN_ACCOUNT = "999988887777";
    /** The locked-out console user. */
    public static final String LOCKED_OUT_USER = "maria";
    /** Where console passwords go: the sandbox account's {@code password_reset_secret}. */
    public static final String PASSWORD_SECRET = "arn:aws:secretsmanager:" + SandboxWorld.REGION + ":"
            + SandboxWorld.ACCOUNT_ID + ":secret:ops-mcp/console-password/{user}";

    private static final Set<String> ACTIONS = Set.of(
            "GetUser",
            "GetLoginProfile",
            "ListMFADevices",
            "ListAccessKeys",
            "GetAccessKeyLastUsed",
            "ListGroupsForUser",
            "ListAttachedUserPolicies",
            "ListUserPolicies",
            "UpdateAccessKey",
            "DeleteAccessKey",
            "UpdateLoginProfile",
            "DeactivateMFADevice",
            "GetAccessKeyInfo");

    private static final class Key {
        final String id;
        final String user;
        String status;
        final Instant created;
        final Instant lastUsed;
        final String service;

        Key(String id, String user, String status, Instant created, Instant lastUsed, String service) {
            this.id = id;
            this.user = user;
            this.status = status;
            this.created = created;
            this.lastUsed = lastUsed;
            this.service = service;
        }
    }

    private static final class User {
        final String name;
        final Instant created;
        Instant passwordCreated;
        boolean resetRequired;
        final Instant passwordLastUsed;
        final Map<String, Instant> mfa = new LinkedHashMap<>();
        final List<String> groups;
        final List<String> policies;
        final List<String> inline;

        User(
                String name,
                Instant created,
                Instant passwordCreated,
                Instant passwordLastUsed,
                List<String> groups,
                List<String> policies,
                List<String> inline) {
            this.name = name;
            this.created = created;
            this.passwordCreated = passwordCreated;
            this.passwordLastUsed = passwordLastUsed;
            this.groups = groups;
            this.policies = policies;
            this.inline = inline;
        }
    }

    /** One version of a secret: its id and value. */
    public record SecretVersion(String versionId, String value) {}

    private final Map<String, User> users = new LinkedHashMap<>();
    private final List<Key> keys = new ArrayList<>();
    /** Secret name → versions, newest last. */
    private final Map<String, List<SecretVersion>> secrets = new LinkedHashMap<>();

    SandboxIam(Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        users.put(
                "deploy-bot",
                new User(
                        "deploy-bot",
                        t.minus(days(400)),
                        null,
                        null,
                        List.of("ci"),
                        List.of("AmazonS3FullAccess", "AmazonEC2ContainerRegistryPowerUser"),
                        List.of()));
        users.put(
                "old-etl",
                new User(
                        "old-etl",
                        t.minus(days(700)),
                        null,
                        null,
                        List.of(),
                        List.of("AmazonS3ReadOnlyAccess"),
                        List.of("etl-glue")));
        User maria = new User(
                LOCKED_OUT_USER,
                t.minus(days(300)),
                t.minus(days(200)),
                t.minus(days(30)),
                List.of("developers"),
                List.of("ReadOnlyAccess"),
                List.of());
        maria.mfa.put("arn:aws:iam::" + SandboxWorld.ACCOUNT_ID + ":mfa/maria", t.minus(days(299)));
        users.put(maria.name, maria);
        users.put(
                "alex",
                new User(
                        "alex",
                        t.minus(days(20)),
                        t.minus(days(20)),
                        t.minus(days(1)),
                        List.of("developers"),
                        List.of(),
                        List.of()));
        keys.add(new Key(LEAKED_KEY, "deploy-bot", "Active", t.minus(days(200)), t.minus(Duration.ofHours(1)), "s3"));
        keys.add(new Key(DEPLOY_OLD_KEY, "deploy-bot", "Inactive", t.minus(days(390)), t.minus(days(210)), "ecr"));
        keys.add(new Key(STALE_KEY, "old-etl", "Active", t.minus(days(400)), t.minus(days(120)), "s3"));
        keys.add(new Key(ALEX_KEY, "alex", "Active", t.minus(days(20)), null, null));
        secrets.put(secretName(LOCKED_OUT_USER), new ArrayList<>());
        secrets.put(secretName("alex"), new ArrayList<>());
    }

    private static Duration days(long n) {
        return Duration.ofDays(n);
    }

    private static String secretName(String user) {
        return "ops-mcp/console-password/" + user;
    }

    static boolean handles(String action) {
        return ACTIONS.contains(action);
    }

    /** The versions written to the console password secret of {@code user}, oldest first (tests read them). */
    public synchronized List<SecretVersion> secretVersions(String user) {
        return List.copyOf(secrets.getOrDefault(secretName(user), List.of()));
    }

    /** The status of an access key, if the sandbox has it. */
    public synchronized Optional<String> keyStatus(String keyId) {
        return keys.stream().filter(k -> k.id.equals(keyId)).map(k -> k.status).findFirst();
    }

    /** Whether {@code user} must choose a new password at the next sign-in. */
    public synchronized boolean passwordResetRequired(String user) {
        User u = users.get(user);
        return u != null && u.resetRequired;
    }

    // ---- IAM and STS (query protocol) ------------------------------------------------------------------------

    synchronized Reply query(String action, Map<String, List<String>> form) {
        if ("GetAccessKeyInfo".equals(action)) {
            String id = param(form, "AccessKeyId");
            boolean known = id.startsWith("ASIA") || keys.stream().anyMatch(k -> k.id.equals(id));
            return AwsWire.xml(
                    200,
                    "<GetAccessKeyInfoResponse xmlns=\"" + STS_NS + "\"><GetAccessKeyInfoResult><Account>"
                            + (known ? SandboxWorld.ACCOUNT_ID : FOREIGN_ACCOUNT)
                            + "</Account></GetAccessKeyInfoResult>" + metadata() + "</GetAccessKeyInfoResponse>");
        }
        if ("GetAccessKeyLastUsed".equals(action)) {
            String id = param(form, "AccessKeyId");
            Key k = keys.stream().filter(x -> x.id.equals(id)).findFirst().orElse(null);
            if (k == null) {
                return noSuchEntity("The Access Key with id " + id.substring(0, 4) + "… cannot be found.");
            }
            String used = k.lastUsed == null
                    ? "<Region>N/A</Region><ServiceName>N/A</ServiceName>"
                    : "<LastUsedDate>" + k.lastUsed + "</LastUsedDate><Region>" + SandboxWorld.REGION
                            + "</Region><ServiceName>" + k.service + "</ServiceName>";
            return result(
                    action, "<UserName>" + k.user + "</UserName><AccessKeyLastUsed>" + used + "</AccessKeyLastUsed>");
        }
        String name = param(form, "UserName");
        User u = users.get(name);
        if (u == null) {
            return noSuchEntity("The user with name " + esc(name) + " cannot be found.");
        }
        switch (action) {
            case "GetUser" -> {
                return result(
                        action,
                        "<User><Path>/</Path><UserName>" + u.name + "</UserName><UserId>SANDBOXUSERID"
                                + u.name.length() + "</UserId><Arn>" + userArn(u.name) + "</Arn><CreateDate>"
                                + u.created + "</CreateDate>"
                                + (u.passwordLastUsed == null
                                        ? ""
                                        : "<PasswordLastUsed>" + u.passwordLastUsed + "</PasswordLastUsed>")
                                + "</User>");
            }
            case "GetLoginProfile" -> {
                if (u.passwordCreated == null) {
                    return noSuchEntity("Login Profile for User " + u.name + " cannot be found.");
                }
                return result(
                        action,
                        "<LoginProfile><UserName>" + u.name + "</UserName><CreateDate>" + u.passwordCreated
                                + "</CreateDate><PasswordResetRequired>" + u.resetRequired
                                + "</PasswordResetRequired></LoginProfile>");
            }
            case "ListMFADevices" -> {
                StringBuilder sb = new StringBuilder();
                u.mfa.forEach((serial, enabled) -> sb.append("<member><UserName>")
                        .append(u.name)
                        .append("</UserName><SerialNumber>")
                        .append(serial)
                        .append("</SerialNumber><EnableDate>")
                        .append(enabled)
                        .append("</EnableDate></member>"));
                return result(action, "<MFADevices>" + sb + "</MFADevices><IsTruncated>false</IsTruncated>");
            }
            case "ListAccessKeys" -> {
                StringBuilder sb = new StringBuilder();
                keys.stream()
                        .filter(k -> k.user.equals(u.name))
                        .forEach(k -> sb.append("<member><UserName>")
                                .append(k.user)
                                .append("</UserName><AccessKeyId>")
                                .append(k.id)
                                .append("</AccessKeyId><Status>")
                                .append(k.status)
                                .append("</Status><CreateDate>")
                                .append(k.created)
                                .append("</CreateDate></member>"));
                return result(
                        action, "<AccessKeyMetadata>" + sb + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>");
            }
            case "ListGroupsForUser" -> {
                StringBuilder sb = new StringBuilder();
                u.groups.forEach(g -> sb.append("<member><Path>/</Path><GroupName>")
                        .append(g)
                        .append("</GroupName><GroupId>SANDBOXGROUP")
                        .append(g.length())
                        .append("</GroupId><Arn>arn:aws:iam::")
                        .append(SandboxWorld.ACCOUNT_ID)
                        .append(":group/")
                        .append(g)
                        .append("</Arn><CreateDate>")
                        .append(u.created)
                        .append("</CreateDate></member>"));
                return result(action, "<Groups>" + sb + "</Groups><IsTruncated>false</IsTruncated>");
            }
            case "ListAttachedUserPolicies" -> {
                StringBuilder sb = new StringBuilder();
                u.policies.forEach(p -> sb.append("<member><PolicyName>")
                        .append(p)
                        .append("</PolicyName><PolicyArn>arn:aws:iam::aws:policy/")
                        .append(p)
                        .append("</PolicyArn></member>"));
                return result(
                        action, "<AttachedPolicies>" + sb + "</AttachedPolicies><IsTruncated>false</IsTruncated>");
            }
            case "ListUserPolicies" -> {
                StringBuilder sb = new StringBuilder();
                u.inline.forEach(p -> sb.append("<member>").append(p).append("</member>"));
                return result(action, "<PolicyNames>" + sb + "</PolicyNames><IsTruncated>false</IsTruncated>");
            }
            case "UpdateAccessKey", "DeleteAccessKey" -> {
                String id = param(form, "AccessKeyId");
                Key k = keys.stream()
                        .filter(x -> x.id.equals(id) && x.user.equals(u.name))
                        .findFirst()
                        .orElse(null);
                if (k == null) {
                    return noSuchEntity("The Access Key with id " + id.substring(0, Math.min(4, id.length()))
                            + "… cannot be found.");
                }
                if ("DeleteAccessKey".equals(action)) {
                    keys.remove(k);
                } else {
                    String status = param(form, "Status");
                    if (!status.equals("Active") && !status.equals("Inactive")) {
                        return AwsWire.queryError(400, "ValidationError", "Status must be Active or Inactive");
                    }
                    k.status = status;
                }
                return empty(action);
            }
            case "UpdateLoginProfile" -> {
                if (u.passwordCreated == null) {
                    return noSuchEntity("Login Profile for User " + u.name + " cannot be found.");
                }
                String password = param(form, "Password");
                if (!password.isEmpty()) {
                    if (password.length() < 8) {
                        return AwsWire.queryError(
                                400, "PasswordPolicyViolation", "Password should have a minimum length of 8");
                    }
                    u.passwordCreated = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                }
                if (form.containsKey("PasswordResetRequired")) {
                    u.resetRequired = Boolean.parseBoolean(param(form, "PasswordResetRequired"));
                }
                return empty(action);
            }
            case "DeactivateMFADevice" -> {
                if (u.mfa.remove(param(form, "SerialNumber")) == null) {
                    return noSuchEntity(
                            "MFA Device with serial number " + esc(param(form, "SerialNumber")) + " cannot be found.");
                }
                return empty(action);
            }
            default -> {
                return AwsWire.queryError(400, "InvalidAction", "the sandbox does not simulate IAM " + action);
            }
        }
    }

    // ---- Secrets Manager (JSON 1.1) -------------------------------------------------------------------------

    synchronized Reply secrets(String operation, JsonNode in) {
        String id = in.path("SecretId").asString("");
        String name = id.startsWith("arn:") ? id.substring(id.indexOf(":secret:") + ":secret:".length()) : id;
        List<SecretVersion> versions = secrets.get(name);
        if (versions == null) {
            return AwsWire.jsonError(
                    400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("ARN", secretArn(name));
        out.put("Name", name);
        switch (operation) {
            case "PutSecretValue" -> {
                String token =
                        in.path("ClientRequestToken").asString(UUID.randomUUID().toString());
                versions.add(new SecretVersion(token, in.path("SecretString").asString("")));
                out.put("VersionId", token);
                out.putArray("VersionStages").add("AWSCURRENT");
            }
            case "GetSecretValue" -> {
                if (versions.isEmpty()) {
                    return AwsWire.jsonError(
                            400,
                            "ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
                }
                SecretVersion v = versions.get(versions.size() - 1);
                out.put("VersionId", v.versionId());
                out.put("SecretString", v.value());
                out.putArray("VersionStages").add("AWSCURRENT");
            }
            default -> {
                return AwsWire.jsonError(
                        400, "UnknownOperationException", "the sandbox does not simulate Secrets Manager " + operation);
            }
        }
        return AwsWire.json(out);
    }

    /** Real secret ARNs end in a six-character random suffix. */
    private static String secretArn(String name) {
        return "arn:aws:secretsmanager:" + SandboxWorld.REGION + ":" + SandboxWorld.ACCOUNT_ID + ":secret:" + name
                + "-Sbx0" + Math.abs(name.hashCode() % 90 + 10);
    }

    private static String userArn(String name) {
        return "arn:aws:iam::" + SandboxWorld.ACCOUNT_ID + ":user/" + name;
    }

    private static String param(Map<String, List<String>> form, String key) {
        return form.getOrDefault(key, List.of("")).get(0);
    }

    private static Reply result(String action, String inner) {
        return AwsWire.xml(
                200,
                "<" + action + "Response xmlns=\"" + IAM_NS + "\"><" + action + "Result>" + inner + "</" + action
                        + "Result>" + metadata() + "</" + action + "Response>");
    }

    private static Reply empty(String action) {
        return AwsWire.xml(
                200, "<" + action + "Response xmlns=\"" + IAM_NS + "\">" + metadata() + "</" + action + "Response>");
    }

    private static Reply noSuchEntity(String message) {
        return AwsWire.queryError(404, "NoSuchEntity", message);
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>";
    }

    private static String esc(String s) {
        return AwsQueryProtocol.escape(s);
    }
}
