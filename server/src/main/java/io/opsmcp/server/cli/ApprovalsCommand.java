package io.opsmcp.server.cli;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.guard.Principals;
import io.opsmcp.server.store.Approval;
import io.opsmcp.server.store.ApprovalException;
import io.opsmcp.server.store.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops-mcp approvals}: the out-of-band approval desk, against the same store the server uses. Whoever
 * can run it with the server's configuration acts as the principal named with {@code --as}; its roles come
 * from the configuration ({@code principals}, {@code auth.api_keys}, {@code identity}).
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "List, show, approve or deny approval requests.",
        subcommands = {ApprovalsCommand.ListCommand.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
                ApprovalsCommand.Deny.class})
public final class ApprovalsCommand {

    static Stores open(OpsMcpConfig config) {
        return Stores.open(config.tree().path("store"), config.server().dataDir());
    }

    static void print(Approval a) {
        System.out.printf("%s  %-8s  %s by %s  %s%n", a.id(), a.status(), a.tool(), a.requester(),
                a.changeSummary() == null ? "" : a.changeSummary());
        System.out.printf("    needs %d approval(s) from %s%s; expires %s%n", a.minApprovals(),
                a.approverRoles().isEmpty() ? "any role" : String.join(" or ", a.approverRoles()),
                a.allowSelfApproval() ? "" : " (not the requester)", a.expiresAt());
        if (a.resource() != null) {
            System.out.println("    resource: " + a.resource());
        }
        System.out.println("    reasons: " + a.reasons());
        for (Approval.Vote v : a.votes()) {
            System.out.printf("    %s by %s at %s%s%n", v.approve() ? "approved" : "denied", v.principal(), v.at(),
                    v.reason() == null ? "" : ": " + v.reason());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending approvals (with --all: every status).")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--all", description = "Include approved, denied, used and expired requests.")
        boolean all;

        @Override
        public Integer call() {
            OpsMcpConfig config = options.load(null, null, null);
            try (Stores stores = open(config)) {
                List<Approval> list = stores.approvals().list(all ? EnumSet.allOf(Approval.Status.class)
                        : EnumSet.of(Approval.Status.PENDING), 200);
                if (list.isEmpty()) {
                    System.out.println(all ? "no approval requests" : "no pending approval requests");
                }
                list.forEach(ApprovalsCommand::print);
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One approval request and its votes.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            OpsMcpConfig config = options.load(null, null, null);
            try (Stores stores = open(config)) {
                var approval = stores.approvals().find(id);
                if (approval.isEmpty()) {
                    System.err.println("ops-mcp: approval " + id + " does not exist");
                    return 1;
                }
                print(approval.get());
                return 0;
            }
        }
    }

    /** Shared by approve and deny. */
    abstract static class Vote implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--as", required = true, paramLabel = "PRINCIPAL",
                description = "Who is voting; must be a configured principal with one of the approver roles.")
        String as;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded with the vote).")
        String reason;

        abstract boolean approve();

        @Override
        public Integer call() {
            OpsMcpConfig config = options.load(null, null, null);
            Principal voter = Principals.fromConfig(config, config.apiKeys()).find(as).orElse(null);
            if (voter == null) {
                System.err.println("ops-mcp: principal '" + as + "' is not configured (principals, auth.api_keys or identity)");
                return 2;
            }
            try (Stores stores = open(config)) {
                Approval after = stores.approvals().vote(id, voter.id(), List.copyOf(voter.roles()), approve(), reason,
                        Instant.now());
                print(after);
                if (after.status() == Approval.Status.APPROVED) {
                    System.out.println("Approved. The requester can now call " + after.tool()
                            + " again with the same arguments plus approval_id " + after.id() + ".");
                }
                return 0;
            } catch (ApprovalException e) {
                System.err.println("ops-mcp: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a request as a principal.")
    static final class Approve extends Vote {
        @Override
        boolean approve() {
            return true;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Deny a request as a principal.")
    static final class Deny extends Vote {
        @Override
        boolean approve() {
            return false;
        }
    }
}
