package io.opsmcp.toolkit.redact;

import static io.opsmcp.core.redact.RedactionRule.BASE64URL_DOT;
import static io.opsmcp.core.redact.RedactionRule.UPPER_DIGITS;

import io.opsmcp.core.redact.RedactionRule;
import java.util.List;

/**
 * The AWS and GitLab rules as the toolsets contribute them ({@code io.opsmcp.tools.aws.AwsRedaction},
 * {@code io.opsmcp.tools.gitlab.GitLabRedaction}), registered here because the guard cannot depend on the toolsets
 * (they depend on it). The corpus and the linear-time tests run with them so that contributed prefixes and headers
 * are covered by the same proofs as the built-in ones; AwsRedactionTest and GitLabRedactionTest in the toolsets
 * check that the real lists redact the same samples.
 */
public final class ContributedRules {

    /** AWS access key id prefixes and the session token header. */
    public static final List<RedactionRule> AWS = List.of(
            RedactionRule.token("AKIA", 16, UPPER_DIGITS), RedactionRule.token("ASIA", 16, UPPER_DIGITS),
            RedactionRule.token("AGPA", 16, UPPER_DIGITS), RedactionRule.token("AIDA", 16, UPPER_DIGITS),
            RedactionRule.token("AROA", 16, UPPER_DIGITS), RedactionRule.token("ANPA", 16, UPPER_DIGITS),
            RedactionRule.token("ANVA", 16, UPPER_DIGITS), RedactionRule.token("AIPA", 16, UPPER_DIGITS),
            RedactionRule.token("ABIA", 16, UPPER_DIGITS), RedactionRule.token("ACCA", 16, UPPER_DIGITS),
            RedactionRule.token("A3T", 17, UPPER_DIGITS), RedactionRule.header("x-amz-security-token"));

    /** GitLab token prefixes and token headers. */
    public static final List<RedactionRule> GITLAB = List.of(
            RedactionRule.token("glpat-", 16, BASE64URL_DOT), RedactionRule.token("gldt-", 16, BASE64URL_DOT),
            RedactionRule.token("glrt-", 16, BASE64URL_DOT), RedactionRule.token("glcbt-", 16, BASE64URL_DOT),
            RedactionRule.token("glptt-", 16, BASE64URL_DOT), RedactionRule.token("gloas-", 16, BASE64URL_DOT),
            RedactionRule.token("glft-", 16, BASE64URL_DOT), RedactionRule.token("glimt-", 16, BASE64URL_DOT),
            RedactionRule.token("glagent-", 16, BASE64URL_DOT), RedactionRule.token("glsoat-", 16, BASE64URL_DOT),
            RedactionRule.token("glwt-", 16, BASE64URL_DOT), RedactionRule.token("glffct-", 16, BASE64URL_DOT),
            RedactionRule.token("GR1348941", 16, BASE64URL_DOT), RedactionRule.header("private-token"),
            RedactionRule.header("job-token"), RedactionRule.header("x-gitlab-token"));

    /** Both. */
    public static final List<RedactionRule> ALL =
            List.of(AWS, GITLAB).stream().flatMap(List::stream).toList();

    /** The redactor as the server builds it with the shipped toolsets. */
    public static Redactor redactor() {
        return new Redactor(ALL);
    }

    private ContributedRules() {}
}
