package io.opsmcp.server.cli;

import io.opsmcp.guard.policy.ApprovalRequirement;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.rego.RegoException;
import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.testing.TestRunner;
import io.opsmcp.server.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ops-mcp policy test [DIR]} and {@code ops-mcp policy eval --input FILE [--bundle DIR]}: work on an OPA
 * bundle (default: the shipped one) with the embedded Rego engine, no server started. See policies/README.md.
 */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Test a policy bundle or evaluate one decision (embedded Rego engine).",
        subcommands = {PolicyCommand.TestCommand.class, PolicyCommand.EvalCommand.class})
public final class PolicyCommand {

    /** Loads DIR as a bundle, or the shipped one; a missing directory is a usage error. */
    private static Bundle bundle(Path dir) {
        if (dir == null) {
            return BundleLoader.fromClasspath(
                    EmbeddedPolicyEngine.DEFAULT_BUNDLE, PolicyCommand.class.getClassLoader());
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("DIR: " + dir + " is not a directory");
        }
        return BundleLoader.fromDirectory(dir);
    }

    /** Runs the bundle's {@code test_*} rules from {@code *_test.rego} files, like {@code opa test}. */
    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Run the bundle's Rego tests (test_* rules in *_test.rego files), like `opa test`."
                    + " Exit code 0 when all pass, 1 when a test fails or the bundle does not compile.")
    static final class TestCommand implements Callable<Integer> {

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "DIR",
                description = "Bundle directory (default: the bundle shipped in ops-mcp).")
        Path dir;

        @Option(
                names = {"-v", "--verbose"},
                description = "Print every test, not only failures.")
        boolean verbose;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String where = dir == null
                    ? "shipped bundle (classpath:" + EmbeddedPolicyEngine.DEFAULT_BUNDLE + ")"
                    : dir.toString();
            TestRunner.Report report;
            try {
                Bundle b = bundle(dir);
                report = TestRunner.run(b.modules(), b.data());
            } catch (RegoException e) {
                spec.commandLine()
                        .getErr()
                        .println("ops-mcp: bundle " + where + " does not compile: " + e.getMessage());
                return 1;
            }
            out.println("bundle: " + where);
            for (TestRunner.TestResult r : report.results()) {
                if (verbose || r.status() != TestRunner.TestResult.Status.PASS) {
                    out.println(r.name() + ": " + r.status()
                            + (r.detail() == null || r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
                }
            }
            out.println("-".repeat(80));
            if (report.passed() > 0) {
                out.println("PASS: " + report.passed() + "/" + report.results().size());
            }
            if (report.failed() > 0) {
                out.println("FAIL: " + report.failed() + "/" + report.results().size());
            }
            if (report.results().isEmpty()) {
                out.println("no tests found (test_* rules in *_test.rego files)");
            }
            out.flush();
            return report.failed() == 0 ? 0 : 1;
        }
    }

    /** Evaluates {@code data.opsmcp.authz.decision} for one input file and shows how the guard reads it. */
    @Command(
            name = "eval",
            mixinStandardHelpOptions = true,
            description = "Evaluate data.opsmcp.authz.decision for one input (JSON, shape in policies/README.md);"
                    + " print the decision document and the decision the guard maps it to.")
    static final class EvalCommand implements Callable<Integer> {

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "Policy input, JSON.")
        Path input;

        @Option(names = "--bundle", paramLabel = "DIR", description = "Bundle directory (default: the shipped one).")
        Path bundleDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonMapper json = JsonMapper.builder()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();
            JsonNode in;
            try {
                in = json.readTree(Files.readString(input));
            } catch (IOException e) {
                throw new ConfigException("--input: cannot read " + input + " (" + e.getMessage() + ")");
            } catch (JacksonException e) {
                throw new ConfigException("--input: " + input + " is not JSON (" + e.getOriginalMessage() + ")");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (EmbeddedPolicyEngine engine = engine()) {
                Optional<JsonNode> document;
                try {
                    document = engine.evaluate(in);
                } catch (RegoException e) {
                    spec.commandLine().getErr().println("ops-mcp: evaluation failed: " + e.getMessage());
                    out.println("decision: deny (" + Decision.UNAVAILABLE + ")");
                    return 1;
                }
                out.println(document.map(json::writeValueAsString).orElse("undefined"));
                out.println(render(Decision.fromDocument(document.orElse(null))));
            }
            out.flush();
            return 0;
        }

        private EmbeddedPolicyEngine engine() {
            if (bundleDir == null) {
                return EmbeddedPolicyEngine.defaultBundle();
            }
            try {
                return EmbeddedPolicyEngine.directory(bundleDir, Duration.ZERO);
            } catch (EmbeddedPolicyEngine.BundleException e) {
                throw new ConfigException("--bundle: " + e.getMessage());
            }
        }

        /** One line naming the outcome, then the reasons. */
        static String render(Decision d) {
            StringBuilder sb = new StringBuilder("decision: ");
            if (d instanceof Decision.Allow) {
                sb.append("allow");
            } else if (d instanceof Decision.Deny) {
                sb.append("deny");
            } else {
                ApprovalRequirement r = ((Decision.NeedsApproval) d).requirement();
                sb.append("needs approval (")
                        .append(r.minApprovals())
                        .append(" by ")
                        .append(r.approverRoles().isEmpty() ? "anyone" : String.join(" or ", r.approverRoles()))
                        .append(r.allowSelfApproval() ? ", self-approval allowed" : ", not by the requester")
                        .append(", valid ")
                        .append(r.ttl().toSeconds())
                        .append(" s)");
            }
            for (String reason : d.reasons()) {
                sb.append(System.lineSeparator()).append("  - ").append(reason);
            }
            return sb.toString();
        }
    }
}
