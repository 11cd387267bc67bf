package io.opsmcp.core.redact;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Removes credentials from text and JSON before it leaves the server (tool results, logs, audit records,
 * error messages). Every secret is replaced with {@value #MARK}; the surrounding text is kept so that output
 * stays readable.
 *
 * <p>Recognised: AWS access key ids (AKIA/ASIA/… prefixes, AWS IAM identifier docs), AWS secret access keys
 * and session tokens next to their usual names, GitLab tokens ({@code glpat-} and the other documented
 * prefixes, GitLab "Token prefixes" docs), PEM private key blocks, {@code Authorization:} and
 * {@code Proxy-Authorization:} header values, {@code password=}/{@code token=}/{@code secret=}-style
 * assignments (also as JSON or YAML keys), and JWTs (RFC 7519 compact form). In JSON, any member whose name
 * looks like a secret has its whole value replaced.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MARK = "[REDACTED]";

    private static final String KEYWORDS =
            "password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
                    + "|client[_-]?secret|credentials?|authorization|auth[_-]?token|session[_-]?token";

    /** A JSON member or mapping key whose value is a secret as a whole. */
    private static final Pattern SECRET_KEY_NAME = Pattern.compile(
            "(?i)^(?:[a-z0-9_.-]*[_.-])?(?:" + KEYWORDS + ")(?:[_.-][a-z0-9_.-]*)?$|^x-amz-security-token$"
                    + "|(?i)^(?:[a-z0-9]*)(?:Password|Secret|Token|SecretAccessKey|SessionToken|PrivateKey|ApiKey)$");

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // PEM private keys, also when cut off before the END line.
            new Rule(Pattern.compile(
                    "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----(?:.*?-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|.*\\z)",
                    Pattern.DOTALL),
                    "-----BEGIN PRIVATE KEY-----" + MARK + "-----END PRIVATE KEY-----"),
            // HTTP authorization headers: everything after the colon to the end of the line.
            new Rule(Pattern.compile("(?im)\\b((?:proxy-)?authorization)([\"']?\\s*[:=]\\s*[\"']?)(?:bearer |basic |token )?[^\\r\\n\"']+"),
                    "$1$2" + MARK),
            // JWT: base64url header.payload.signature where the header is a JSON object.
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}"), MARK),
            // GitLab tokens.
            new Rule(Pattern.compile("\\bgl(?:pat|dt|rt|cbt|ptt|oas|ft|imt|agent|soat|wt|ffct)-[0-9A-Za-z_.-]{16,}"), MARK),
            // AWS access key ids.
            new Rule(Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\\b"), MARK),
            // AWS secret keys and session tokens after their names (env, credentials file, JSON, CLI output).
            new Rule(Pattern.compile("(?i)((?:aws_?)?(?:secret_?access_?key|session_?token|security_?token)[\"']?\\s*[:=]\\s*[\"']?)"
                    + "[A-Za-z0-9/+=]{16,}"), "$1" + MARK),
            // key=value and key: value assignments whose key names a secret.
            new Rule(Pattern.compile("(?i)([\\w.-]*(?:" + KEYWORDS + ")(?:[_.-][\\w.-]*)?[\"']?\\s*(?:=|:(?!//))\\s*)"
                    + "(\"[^\"\\r\\n]*\"|'[^'\\r\\n]*'|[^\\s&,;\"'}\\]]+)"),
                    "$1" + MARK),
            // user:password@ in URLs.
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@"), "$1" + MARK + "@"));

    /** Returns the text with every recognised secret replaced; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern.matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement);
            }
        }
        return out;
    }

    /**
     * Returns a redacted deep copy of a JSON tree: string values are redacted as text, and members whose name
     * looks like a secret ({@code password}, {@code aws_secret_access_key}, {@code Authorization}, …) have their
     * value replaced whole.
     */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            return StringNode.valueOf(redact(node.asString()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                if (isSecretName(e.getKey()) && !v.isNull() && !v.isContainer() && !v.isBoolean()) {
                    copy.put(e.getKey(), MARK);
                } else {
                    copy.set(e.getKey(), redact(v));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode v : node) {
                copy.add(redact(v));
            }
            return copy;
        }
        return node;
    }

    /** Whether a field, header or variable name names a secret. */
    public boolean isSecretName(String name) {
        return name != null && SECRET_KEY_NAME.matcher(name).find();
    }
}
