package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.toolkit.redact.Redactor;
import org.junit.jupiter.api.Test;

/** The GitLab rules the toolset contributes, through the guard's redactor (as the server applies them). */
class GitLabRedactionTest {

    private final Redactor redactor = new Redactor(new GitLabToolsetProvider().redactionRules());

    @Test
    void tokensByPrefixAndTokenHeadersAreRedacted() {
        assertThat(redactor.redact("clone with glpat-xxxxxxxxxxxxxxxxxxxx please"))
                .isEqualTo("clone with [REDACTED] please");
        assertThat(redactor.redact("/usr/bin/gitlab-runner run --token glrt-a1B2c3D4e5F6g7H8i9J0 --url x"))
                .doesNotContain("glrt-a1B2c3D4e5F6g7H8i9J0");
        assertThat(redactor.redact("GR1348941abcdefghijklmnopqrst")).isEqualTo("[REDACTED]");
        assertThat(redactor.redact("PRIVATE-TOKEN: s3cr3t-value here")).isEqualTo("PRIVATE-TOKEN: [REDACTED]");
        assertThat(redactor.redact("JOB-TOKEN: abc def")).isEqualTo("JOB-TOKEN: [REDACTED]");
        assertThat(redactor.redact("1234 root /usr/bin/app --x glpat-abcd…")).doesNotContain("glpat-abcd");
    }

    @Test
    void withoutTheRulesTheGenericRedactorLeavesGitLabTokens() {
        assertThat(new Redactor().redact("clone with glpat-xxxxxxxxxxxxxxxxxxxx please"))
                .contains("glpat-");
    }
}
