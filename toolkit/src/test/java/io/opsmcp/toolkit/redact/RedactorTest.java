package io.opsmcp.toolkit.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RedactorTest {

    private final Redactor redactor = ContributedRules.redactor();
    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "key id AKIAIOSFODNN7EXAMPLE in use|AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDHhBTEXAMPLEtoken1234567|FwoGZXIvYXdzEBYaDHhBTEXAMPLEtoken1234567",
                "clone with glpat-xxxxxxxxxxxxxxxxxxxx please|glpat-xxxxxxxxxxxxxxxxxxxx",
                "Authorization: Bearer abc.def-123|abc.def-123",
                "curl -H 'authorization: Basic dXNlcjpwYXNz' x|dXNlcjpwYXNz",
                "db password=hunter2 host=db|hunter2",
                "?token=s3cr3t&x=1|s3cr3t",
                "client_secret: topsecret|topsecret",
                "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end|eyJhbGciOiJIUzI1NiJ9",
                "postgres://app:pa55word@db:5432/x|pa55word",
            })
    void removesSecretsFromText(String input, String secret) {
        String out = redactor.redact(input);
        assertThat(out).doesNotContain(secret).contains(Redactor.MARK);
    }

    @Test
    void removesPrivateKeyBlocksEvenWhenCutOff() {
        String full =
                "before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----\nafter";
        assertThat(redactor.redact(full))
                .doesNotContain("b3BlbnNzaC1rZXktdjEAAAA")
                .contains("before")
                .contains("after");
        String cut = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA";
        assertThat(redactor.redact(cut)).doesNotContain("MIIEowIBAAKCAQEA");
    }

    @Test
    void keepsOrdinaryOutputIntact() {
        String df = "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/vda 263174212 23000000 80000000 22% /";
        assertThat(redactor.redact(df)).isEqualTo(df);
        assertThat(redactor.redact("max_tokens: 10, status: active (running)"))
                .isEqualTo("max_tokens: 10, status: active (running)");
        assertThat(redactor.redact("https://gitlab.example.com/shop/checkout"))
                .isEqualTo("https://gitlab.example.com/shop/checkout");
    }

    @Test
    void redactsJsonBySecretNamesAndByValue() throws Exception {
        JsonNode in = json.readTree("""
                {"host":"web-1","password":"hunter2","nested":{"aws_secret_access_key":"abc","note":"key AKIAIOSFODNN7EXAMPLE"},
                 "headers":[{"Authorization":"Bearer xyz"}],"SecretAccessKey":"k","max_tokens":5,"enabled":true}""");
        JsonNode out = redactor.redact(in);
        String text = out.toString();
        assertThat(text).doesNotContain("hunter2", "\"abc\"", "AKIAIOSFODNN7EXAMPLE", "xyz", "\"k\"");
        assertThat(out.get("host").asString()).isEqualTo("web-1");
        assertThat(out.get("max_tokens").asInt()).isEqualTo(5);
        assertThat(in.get("password").asString()).as("input is not modified").isEqualTo("hunter2");
    }

    @Test
    void theRedactedTreeIsACopyWhoseContainersAreNewAndWhoseCleanStringsAreShared() throws Exception {
        var in = (tools.jackson.databind.node.ObjectNode)
                json.readTree("{\"host\":\"web-1\",\"note\":\"token=hunter2\",\"rows\":[{\"name\":\"a\"}]}");
        var out = (tools.jackson.databind.node.ObjectNode) redactor.redact(in);
        assertThat(out).isNotSameAs(in);
        assertThat(out.get("rows")).isNotSameAs(in.get("rows"));
        assertThat(out.get("rows").get(0)).isNotSameAs(in.get("rows").get(0));
        assertThat(out.get("host")).isSameAs(in.get("host")); // an immutable leaf without a secret
        assertThat(out.get("note").asString()).doesNotContain("hunter2");
        // changing the input afterwards (a tool that keeps its tree) does not reach what was redacted
        in.put("host", "password=hunter2");
        ((tools.jackson.databind.node.ObjectNode) in.get("rows").get(0)).put("name", "token=hunter2");
        assertThat(out.toString()).doesNotContain("hunter2");
    }

    @org.junit.jupiter.api.Test
    void aPrefixContributedTwiceOrEqualToABuiltInOneIsTriedOnceAndOthersStillCount() {
        io.opsmcp.core.redact.RedactionRule.Token ghp = new io.opsmcp.core.redact.RedactionRule.Token(
                "ghp_", 30, io.opsmcp.core.redact.RedactionRule.BASE64URL);
        io.opsmcp.core.redact.RedactionRule.Token own =
                new io.opsmcp.core.redact.RedactionRule.Token("zzq_", 8, io.opsmcp.core.redact.RedactionRule.BASE64URL);
        Redactor plain = new Redactor();
        Redactor twice = new Redactor(java.util.List.of(ghp, ghp, own, own));
        String text = "see ghp_" + "a".repeat(36) + " and zzq_abcdefgh12 and ghp_short " + "ghp_x ".repeat(50);
        assertThat(twice.redact(text)).isEqualTo("see [REDACTED] and [REDACTED] and ghp_short " + "ghp_x ".repeat(50));
        assertThat(plain.redact(text)).startsWith("see [REDACTED] and zzq_abcdefgh12");
        // the same work per g as the built-in rules alone: a duplicate in the table would be compared again
        String gs = "ghp_x ".repeat(200);
        assertThat(twice.work(gs)).isEqualTo(plain.work(gs));
    }
}
