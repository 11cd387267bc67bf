package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyEngines;
import io.opsmcp.server.cli.PolicyCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attack: the shipped policy with its data.json missing, empty or malformed allowed a principal without roles to
 * read a prod host (a deny rule went undefined). Defence: the policy denies by default and allows only on
 * positive facts; here the shipped authz.rego runs with such data through {@code ops-mcp policy eval} and through
 * the embedded engine the guard uses, and every call is denied.
 */
class PolicyFailsClosedWithoutDataTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** A prod host read by a principal without roles, by an sre, and a dev change by an sre. */
    private static final Map<String, String> INPUTS = Map.of(
            "mallory-reads-prod", input("{\"id\": \"mallory\", \"roles\": [], \"auth\": \"api-key\"}", true),
            "alice-reads-prod", input("{\"id\": \"alice\", \"roles\": [\"sre\"], \"auth\": \"api-key\"}", true),
            "alice-changes-prod", input("{\"id\": \"alice\", \"roles\": [\"sre\"], \"auth\": \"api-key\"}", false));

    private static String input(String principal, boolean readOnly) {
        return """
                {"action": "tools/call", "principal": %s,
                 "tool": {"name": "host_service_restart", "toolset": "hosts", "read_only": %s, "destructive": false},
                 "resource": {"provider": "host", "kind": "host", "environment": "prod", "name": "sandbox-prod",
                              "host_group": "sandbox-prod", "address": "127.0.0.1"},
                 "args": {"host": "sandbox-prod", "unit": "nginx"}, "change": null, "approval": null,
                 "history": {"actions_on_resource_last_hour": 0, "actions_by_principal_last_hour": 0},
                 "now": "2026-11-21T10:00:00Z"}
                """.formatted(principal, readOnly);
    }

    private Path bundle(String data) throws IOException {
        Path b = dir.resolve("bundle");
        Files.createDirectories(b.resolve("opsmcp"));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("opsmcp-bundle/opsmcp/authz.rego")) {
            Files.write(b.resolve("opsmcp/authz.rego"), in.readAllBytes());
        }
        Files.writeString(
                b.resolve(".manifest"), "{\"revision\": \"no-data\", \"roots\": [\"opsmcp\"], \"rego_version\": 1}");
        if (data != null) {
            Files.writeString(b.resolve("opsmcp/data.json"), data);
        }
        return b;
    }

    @ParameterizedTest(name = "data.json: {0}")
    @ValueSource(
            strings = {
                "absent",
                "{}",
                "{\"roles\": \"sre\", \"environments\": [\"prod\"], \"unscoped\": \"*\"}",
                "{\"roles\": {\"sre\": {\"read\": \"prod\", \"change\": \"prod\"}}, \"environments\": {\"prod\": {\"rank\": \"3\","
                        + " \"hosts\": {\"host_groups\": \"sandbox-prod\"}, \"approval\": \"none\"}},"
                        + " \"circuit_breaker\": {\"max_mutations_per_resource_per_hour\": \"5\"}, \"change_freezes\": {}}",
                "{\"roles\": {\"sre\": {\"read\": [\"prod\"], \"change\": [\"prod\"]}}, \"environments\": {\"prod\": {\"rank\": 3,"
                        + " \"hosts\": {\"host_groups\": [\"sandbox-prod\"], \"names\": []}, \"approval\": \"none\"}},"
                        + " \"unscoped\": [], \"circuit_breaker\": {\"max_mutations_per_resource_per_hour\": \"5\"},"
                        + " \"change_freezes\": \"none\", \"destructive\": {}}"
            })
    void everyCallIsDeniedThroughPolicyEvalAndTheEmbeddedEngine(String data) throws IOException {
        Path bundle = bundle("absent".equals(data) ? null : data);
        for (var e : INPUTS.entrySet()) {
            if (e.getKey().equals("alice-reads-prod") && data.contains("\"read\": [\"prod\"]")) {
                continue; // this data does let an sre read prod hosts: a well-formed part of it
            }
            Path input = dir.resolve(e.getKey() + ".json");
            Files.writeString(input, e.getValue());
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new PolicyCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            cli.execute("eval", "--input", input.toString(), "--bundle", bundle.toString());
            assertThat(out.toString())
                    .as(e.getKey() + " with data " + data)
                    .contains("decision: deny")
                    .doesNotContain("decision: allow")
                    .doesNotContain("needs approval");

            try (PolicyEngine engine = PolicyEngines.create(
                    JSON.readTree("{\"bundle_dir\": " + JSON.writeValueAsString(bundle.toString())
                            + ", \"reload_interval_ms\": 0}"),
                    dir)) {
                Decision d = engine.decide(JSON.readTree(e.getValue()));
                assertThat(d).as(e.getKey() + " with data " + data).isInstanceOf(Decision.Deny.class);
                assertThat(d.reasons()).isNotEmpty();
            }
        }
    }
}
