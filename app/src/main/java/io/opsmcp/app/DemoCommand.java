package io.opsmcp.app;

import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.cli.ControlSocket;
import io.opsmcp.server.cli.Main;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops-mcp demo}: starts the server with {@code --sandbox} over streamable HTTP on a random loopback
 * port, and with a real MCP client (MCP Java SDK) runs a short host investigation, then shows the guard: a
 * call on an out-of-scope host denied, a restart on a prod host held for approval, the approval by a second
 * principal through the CLI, the re-call running; then an incident in the simulated AWS account (out of
 * memory found, the fix previewed, approved and applied, the deployment steady); and the audit chain verified. Needs no configuration and
 * touches nothing outside a temporary data directory, except that the restart really runs (as
 * {@code service procps restart}, which re-applies sysctl settings, or its systemd equivalent).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run ops-mcp against its own sandbox host with a real MCP client and print the transcript.")
public final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--unit",
            paramLabel = "UNIT",
            defaultValue = "ssh",
            description = "Service whose status the investigation checks (default: ${DEFAULT-VALUE}).")
    String unit;

    @Option(
            names = "--restart-unit",
            paramLabel = "UNIT",
            defaultValue = "procps",
            description = "Service the approval part restarts on host sandbox-prod (default: ${DEFAULT-VALUE}).")
    String restartUnit;

    /** bob votes from the CLI as the OS user running the demo ({@code os_user}, filled in at start). */
    private static final String CONFIG = """
            # ops-mcp demo: alice (sre) asks, bob (sre-lead) approves prod changes from the CLI as OS user %s.
            identity: {id: alice, roles: [sre]}
            principals:
              - {id: bob, roles: [sre-lead], os_user: %s}
            # Alertmanager posts to /hooks/alertmanager with this bearer token (its SHA-256 here).
            alerts:
              aws_defaults: {account: sandbox, region: eu-west-1}
              alertmanager:
                bearer_token: {sha256: %s}
            # The default policy with the circuit breaker at one change per resource per hour, so the demo shows it.
            policy: {bundle_dir: "%s"}
            """;

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("ops-mcp-demo-");
        Path configFile = dataDir.resolve("ops-mcp.yaml");
        String osUser = ControlSocket.localOsUser();
        String hookToken = AlertLoop.newToken();
        Path bundle = AlertLoop.breakerBundle(dataDir.resolve("policy-bundle"), 1);
        Files.writeString(
                configFile,
                CONFIG.formatted(
                        osUser,
                        "\"" + osUser.replace("\"", "") + "\"",
                        AlertLoop.sha256Hex(hookToken),
                        bundle.toString().replace("\\", "/")));
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(
                        configFile,
                        new ConfigLoader.Overrides(
                                "http", "127.0.0.1", 0, List.of("hosts", "aws"), true, "warn", dataDir));
        Main.applyLogging(config);
        System.out.println("== ops-mcp demo ==");
        System.out.println("Starting ops-mcp with sandbox hosts (an embedded SSH server on loopback that runs commands"
                + " on this machine, registered as sandbox [dev], sandbox-staging [staging], sandbox-prod [prod] and sandbox-lab [no environment]),"
                + " streamable HTTP on 127.0.0.1, the default policy bundle, data in " + dataDir);
        System.out.println("Caller: alice (role sre). Approver: bob (role sre-lead).");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
                HttpTransport http = HttpTransport.start(runtime)) {
            HostInvestigation client = new HostInvestigation("http://127.0.0.1:" + http.port(), System.out);
            AlertLoop loop = new AlertLoop("http://127.0.0.1:" + http.port(), hookToken, System.out);
            links = new io.opsmcp.server.ui.ApprovalLinks(
                    java.util.Optional.of(java.net.URI.create("http://127.0.0.1:" + http.port())));
            int failures = 0;
            try (HostInvestigation.Session session = client.connect(loop::notified)) {
                session.listTools();
                System.out.println("\n-- 1. A first look at host sandbox (read-only calls, allowed in dev) --");
                for (HostInvestigation.Step step : HostInvestigation.stepsFor("sandbox", unit)) {
                    if (Boolean.TRUE.equals(session.call(step).isError())) {
                        failures++;
                    }
                }

                System.out.println("\n-- 2. A host outside every environment of the policy --");
                McpSchema.CallToolResult outOfScope = session.call(new HostInvestigation.Step(
                        "host_uptime_load", Map.of("host", "sandbox-lab"), "expected: denied, out of scope"));
                failures += expect(Boolean.TRUE.equals(outOfScope.isError()), "the out-of-scope call was not denied");

                System.out.println("\n-- 3. A change on a prod host: held for approval --");
                Map<String, Object> restart = new LinkedHashMap<>();
                restart.put("host", "sandbox-prod");
                restart.put("unit", restartUnit);
                McpSchema.CallToolResult pending = session.call(
                        new HostInvestigation.Step("host_service_restart", restart, "expected: approval required"));
                String approvalId = approvalId(pending);
                failures += expect(approvalId != null, "no approval id in the answer");
                if (approvalId != null) {
                    printApprovalPage(approvalId);
                    System.out.println("\n-- 4. bob approves through the CLI --");
                    failures += cli(
                            "approvals",
                            "approve",
                            approvalId,
                            "--as",
                            "bob",
                            "--reason",
                            "demo: restart procps",
                            "--config",
                            configFile.toString(),
                            "--data-dir",
                            dataDir.toString(),
                            "--log-level",
                            "warn");

                    System.out.println("\n-- 5. alice calls again with the approval: it runs --");
                    Map<String, Object> approved = new LinkedHashMap<>(restart);
                    approved.put("approval_id", approvalId);
                    McpSchema.CallToolResult ran = session.call(
                            new HostInvestigation.Step("host_service_restart", approved, "expected: executes"));
                    failures += expect(!Boolean.TRUE.equals(ran.isError()), "the approved restart failed");

                    System.out.println("\n-- 6. The same approval cannot run a second call --");
                    McpSchema.CallToolResult replay = session.call(new HostInvestigation.Step(
                            "host_service_restart", approved, "expected: denied, already used"));
                    failures += expect(Boolean.TRUE.equals(replay.isError()), "the replayed approval was accepted");
                }

                System.out.println(
                        "\n-- 7. An incident in the simulated AWS account (prod): Alertmanager reports checkout's"
                                + " memory --");
                session.subscribe(AlertLoop.ACTIVE);
                String alertId = loop.fire();
                failures += expect(alertId != null && loop.awaitNotified(AlertLoop.ACTIVE), "no alert notification");
                if (alertId != null) {
                    session.subscribe("ops://alerts/" + alertId);
                    session.call(new HostInvestigation.Step(
                            "alert_get", Map.of("id", alertId), "what is it, what changed, what to run first?"));
                }
                failures += ecsIncident(session, configFile, dataDir);
                if (alertId != null) {
                    System.out.println("\n-- 7b. Alertmanager reports it resolved: the alert links the change --");
                    loop.resolve();
                    failures += expect(loop.awaitNotified("ops://alerts/" + alertId), "no resolution notification");
                    String after = session.read("ops://alerts/" + alertId);
                    failures += expect(
                            after.contains("\"status\":\"resolved\"") && !after.contains("\"linked_changes\":[]"),
                            "the alert is not resolved with a linked change");
                    System.out.println(
                            "\n-- 7c. A second automatic fix on checkout within the hour: the circuit breaker"
                                    + " stops it --");
                    Map<String, Object> again = new LinkedHashMap<>();
                    again.put("account", "sandbox");
                    again.put("cluster", "shop");
                    again.put("service", "checkout");
                    again.put("container", "checkout");
                    again.put("memory", 2048);
                    McpSchema.CallToolResult stopped = session.call(new HostInvestigation.Step(
                            "ecs_update_task_resources", again, "expected: denied by the circuit breaker"));
                    failures += expect(
                            Boolean.TRUE.equals(stopped.isError())
                                    && text(stopped).contains("circuit breaker"),
                            "the circuit breaker did not stop the second fix");
                }
            }
            System.out.println("\n-- 8. The audit chain --");
            failures += cli(
                    "audit",
                    "verify",
                    "--config",
                    configFile.toString(),
                    "--data-dir",
                    dataDir.toString(),
                    "--log-level",
                    "warn");
            System.out.println(
                    failures == 0
                            ? "\nDemo finished: every step behaved as expected."
                            : "\nDemo finished with " + failures + " unexpected result(s).");
            return failures == 0 ? 0 : 1;
        }
    }

    /**
     * troubleshoot → out-of-memory finding → dry run of the memory change → approval required → approved by
     * bob through the CLI → the change runs and the deployment goes steady.
     */
    private int ecsIncident(HostInvestigation.Session session, Path configFile, Path dataDir) {
        int failures = 0;
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("account", "sandbox");
        service.put("cluster", "shop");
        service.put("service", "checkout");
        McpSchema.CallToolResult findings =
                session.call(new HostInvestigation.Step("ecs_troubleshoot", service, "why is checkout flapping?"));
        failures += expect(
                !Boolean.TRUE.equals(findings.isError()) && text(findings).contains("out_of_memory"),
                "troubleshoot did not report the out-of-memory finding");
        Map<String, Object> change = new LinkedHashMap<>(service);
        change.put("container", "checkout");
        change.put("memory", 1024);
        Map<String, Object> dryRun = new LinkedHashMap<>(change);
        dryRun.put("dry_run", true);
        McpSchema.CallToolResult preview = session.call(
                new HostInvestigation.Step("ecs_update_task_resources", dryRun, "preview the fix: nothing is sent"));
        failures += expect(!Boolean.TRUE.equals(preview.isError()), "the dry run failed");
        McpSchema.CallToolResult pending = session.call(
                new HostInvestigation.Step("ecs_update_task_resources", change, "apply it: prod needs an approval"));
        String approvalId = approvalId(pending);
        failures += expect(approvalId != null, "no approval id for the prod change");
        if (approvalId == null) {
            return failures;
        }
        printApprovalPage(approvalId);
        failures += cli(
                "approvals",
                "approve",
                approvalId,
                "--as",
                "bob",
                "--reason",
                "OOM kills; give checkout 1 GiB",
                "--config",
                configFile.toString(),
                "--data-dir",
                dataDir.toString(),
                "--log-level",
                "warn");
        Map<String, Object> approved = new LinkedHashMap<>(change);
        approved.put("approval_id", approvalId);
        McpSchema.CallToolResult ran = session.call(new HostInvestigation.Step(
                "ecs_update_task_resources", approved, "apply the approved change and wait for the deployment"));
        failures += expect(!Boolean.TRUE.equals(ran.isError()), "the approved change failed");
        McpSchema.CallToolResult after =
                session.call(new HostInvestigation.Step("ecs_troubleshoot", service, "check the fix"));
        failures += expect(!text(after).contains("CRITICAL"), "checkout still has a critical finding");
        return failures;
    }

    private static String text(McpSchema.CallToolResult result) {
        StringBuilder out = new StringBuilder();
        for (McpSchema.Content c : result.content()) {
            if (c instanceof McpSchema.TextContent t) {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    private static int cli(String... args) {
        System.out.println("$ ops-mcp " + String.join(" ", args));
        int code = Main.run(args);
        return code == 0 ? 0 : 1;
    }

    private static int expect(boolean ok, String problem) {
        if (!ok) {
            System.out.println("  !! " + problem);
        }
        return ok ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    /** Where the approval page of this run's server shows the request (set once the HTTP transport is up). */
    private io.opsmcp.server.ui.ApprovalLinks links;

    /** The approval page's link for the request, as a notification would carry it. */
    private void printApprovalPage(String approvalId) {
        System.out.println("Approval page: " + links.link(approvalId)
                + " (approvers sign in there with an API key or at the oauth issuer; this demo approves with the CLI)");
    }

    private static String approvalId(McpSchema.CallToolResult result) {
        if (result.structuredContent() instanceof Map<?, ?> map && map.get("approval_id") instanceof String id) {
            return id;
        }
        return null;
    }
}
