package io.opsmcp.tools.gitlab;

import static io.opsmcp.core.redact.RedactionRule.BASE64URL_DOT;

import io.opsmcp.core.redact.RedactionRule;
import java.util.List;

/**
 * GitLab credential formats the server's redactor removes: tokens by their documented prefixes
 * (docs.gitlab.com/security/tokens: personal, deploy, runner, CI build, trigger, OAuth, feed, incoming mail,
 * agent, SCIM, workspace, feature flags client; runner registration tokens {@code GR1348941}) and the token
 * headers of the API and CI jobs.
 */
public final class GitLabRedaction {

    /** The rules, contributed through {@link GitLabToolsetProvider#redactionRules()}. */
    public static final List<RedactionRule> RULES = List.of(
            RedactionRule.token("glpat-", 16, BASE64URL_DOT),
            RedactionRule.token("gldt-", 16, BASE64URL_DOT),
            RedactionRule.token("glrt-", 16, BASE64URL_DOT),
            RedactionRule.token("glcbt-", 16, BASE64URL_DOT),
            RedactionRule.token("glptt-", 16, BASE64URL_DOT),
            RedactionRule.token("gloas-", 16, BASE64URL_DOT),
            RedactionRule.token("glft-", 16, BASE64URL_DOT),
            RedactionRule.token("glimt-", 16, BASE64URL_DOT),
            RedactionRule.token("glagent-", 16, BASE64URL_DOT),
            RedactionRule.token("glsoat-", 16, BASE64URL_DOT),
            RedactionRule.token("glwt-", 16, BASE64URL_DOT),
            RedactionRule.token("glffct-", 16, BASE64URL_DOT),
            RedactionRule.token("GR1348941", 16, BASE64URL_DOT),
            RedactionRule.header("private-token"),
            RedactionRule.header("job-token"),
            RedactionRule.header("x-gitlab-token"));

    private GitLabRedaction() {}
}
