package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.toolkit.redact.Redactor;
import org.junit.jupiter.api.Test;

/** The AWS rules the toolset contributes, through the guard's redactor (as the server applies them). */
class AwsRedactionTest {

    private final Redactor redactor = new Redactor(new AwsToolsetProvider().redactionRules());

    @Test
    void accessKeyIdsAndSessionTokenHeadersAreRedacted() {
        assertThat(redactor.redact("key id AKIAIOSFODNN7EXAMPLE in use")).isEqualTo("key id [REDACTED] in use");
        assertThat(redactor.redact("temporary ASIAY34FZKBOKMUTVV7A")).doesNotContain("ASIAY34FZKBOKMUTVV7A");
        assertThat(redactor.redact("x-amz-security-token: FwoGZXIvYXdzEBYa token"))
                .isEqualTo("x-amz-security-token: [REDACTED]");
        assertThat(redactor.cut("cut off: AKIAIOSFODNN7EX", 100)).doesNotContain("AKIAIOSFODNN7EX");
    }

    @Test
    void withoutTheRulesTheGenericRedactorLeavesKeyIds() {
        assertThat(new Redactor().redact("key id AKIAIOSFODNN7EXAMPLE in use")).contains("AKIAIOSFODNN7EXAMPLE");
    }
}
