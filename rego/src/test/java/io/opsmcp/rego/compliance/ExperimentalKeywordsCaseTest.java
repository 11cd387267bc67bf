package io.opsmcp.rego.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner hands a case's {@code experimental_keywords} flag to the engine. */
class ExperimentalKeywordsCaseTest {
    private static String yaml(boolean flag) {
        return """
        cases:
          - note: or keyword
            experimental_keywords: %s
            query: data.t.p = x
            modules:
              - |
                package t
                import future.keywords.or
                p if { input.a or input.b }
            input: {b: true}
            want_result:
              - x: true
        """.formatted(flag);
    }

    @Test
    void flagEnablesTheKeywords() {
        List<ComplianceCase> cs = ComplianceRunner.parse("f.yaml", yaml(true));
        assertThat(cs.get(0).experimentalKeywords()).isTrue();
        assertThat(new ComplianceRunner(5_000, false).run(cs.get(0)).status()).isEqualTo(CaseOutcome.Status.PASS);
    }

    @Test
    void withoutTheFlagTheImportIsAParseError() {
        ComplianceCase c = ComplianceRunner.parse("f.yaml", yaml(false)).get(0);
        assertThat(c.experimentalKeywords()).isFalse();
        CaseOutcome o = new ComplianceRunner(5_000, false).run(c);
        assertThat(o.status()).isEqualTo(CaseOutcome.Status.FAIL);
        assertThat(o.got()).contains("rego_parse_error").contains("unexpected keyword, must be one of");
    }
}
