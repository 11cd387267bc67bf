package io.opsmcp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ops-mcp policy test|eval}: output and exit codes. */
class PolicyCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new PolicyCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private void bundle(String policy, String test) throws IOException {
        Files.createDirectories(dir.resolve("opsmcp"));
        Files.writeString(dir.resolve("opsmcp/authz.rego"), policy);
        Files.writeString(dir.resolve("opsmcp/authz_test.rego"), test);
    }

    @Test
    void testOnTheShippedBundlePassesWithACount() {
        assertThat(run("test")).isZero();
        assertThat(out.toString()).containsPattern("PASS: (\\d+)/\\1\\n").doesNotContain("FAIL");
    }

    @Test
    void aFailingTestIsReportedAndExitsNonZero() throws IOException {
        bundle(
                "package opsmcp.authz\n\nimport rego.v1\n\ndecision := {\"allow\": true, \"reasons\": []}\n",
                "package opsmcp.authz_test\n\nimport rego.v1\n\n"
                        + "test_allows if data.opsmcp.authz.decision.allow\n"
                        + "test_denies if data.opsmcp.authz.decision.allow == false\n");

        assertThat(run("test", dir.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("data.opsmcp.authz_test.test_denies: FAIL")
                .doesNotContain("test_allows: PASS")
                .contains("PASS: 1/2")
                .contains("FAIL: 1/2");
    }

    @Test
    void evalPrintsTheDocumentAndTheMappedDecision() throws IOException {
        Path input = dir.resolve("input.json");
        Files.writeString(input, """
                {"principal": {"id": "vera", "roles": ["viewer"], "auth": "api-key"},
                 "tool": {"name": "ecs_service_health", "toolset": "aws", "read_only": true, "destructive": false},
                 "resource": {"provider": "aws", "kind": "ecs:service", "environment": "prod", "account": "sandbox",
                              "account_id": "123456789012", "region": "eu-west-1", "cluster": "shop",
                              "name": "checkout"},
                 "args": {}, "change": null, "approval": null,
                 "history": {"actions_on_resource_last_hour": 0, "actions_by_principal_last_hour": 0},
                 "now": "2026-11-21T10:00:00Z"}
                """);

        assertThat(run("eval", "--input", input.toString())).isZero();
        assertThat(out.toString())
                .contains("\"allow\" : false")
                .contains("decision: deny\n  - vera (roles: viewer) may not see prod resources");
    }
}
